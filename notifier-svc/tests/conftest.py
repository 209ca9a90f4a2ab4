"""Fixtures of the notifier's tests: a real nats-server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from oii_shared.embedded.nats_server import start_nats_server


@pytest.fixture
async def nats_url(tmp_path: Path) -> AsyncIterator[str]:
    """A nats-server of this test alone (the notifier uses the suite's fixed bucket names)."""
    server = await start_nats_server(tmp_path / "store", log_file=tmp_path / "nats-server.log")
    try:
        yield server.url
    finally:
        await server.stop()
