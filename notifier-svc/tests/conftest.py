"""Fixtures of the notifier's tests: a real nats-server, and the CRM stand-in on the path."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# --import-mode=importlib puts nothing on sys.path: the tests import crm_receiver from here
# (appended, so that "conftest" still names the stack tests' own).
sys.path.append(str(Path(__file__).resolve().parent))

from oii_shared.embedded.nats_server import start_nats_server


@pytest.fixture
async def nats_url(tmp_path: Path) -> AsyncIterator[str]:
    """A nats-server of this test alone (the notifier uses the suite's fixed bucket names)."""
    server = await start_nats_server(tmp_path / "store", log_file=tmp_path / "nats-server.log")
    try:
        yield server.url
    finally:
        await server.stop()
