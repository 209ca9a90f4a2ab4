"""Database engines and sessions; each service's lifespan creates and disposes its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy import create_engine as create_sync_engine_for_url
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

from oii_shared.db.models import Queue, User
from oii_shared.settings import Settings

# Up to eight processes write the one SQLite file: wait for a lock instead of failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def async_database_url(database_url: str) -> URL:
    """``database_url`` with a driver that runs under asyncio (aiosqlite, psycopg 3)."""
    return _with_driver(database_url, _ASYNC_DRIVERS)


def sync_database_url(database_url: str) -> URL:
    """``database_url`` with a blocking driver, for migrations (sqlite3, psycopg 3)."""
    return _with_driver(database_url, _SYNC_DRIVERS)


def _with_driver(database_url: str, drivers: dict[str, str]) -> URL:
    url = make_url(database_url)
    driver = drivers.get(url.get_backend_name())
    return url if driver is None else url.set(drivername=driver)


def create_engine(settings: Settings) -> AsyncEngine:
    """The async engine for ``settings.resolved_database_url``."""
    return create_engine_for_url(settings.resolved_database_url)


def create_engine_for_url(database_url: str) -> AsyncEngine:
    url = async_database_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _prepare_sqlite_connection)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def create_migration_engine(database_url: str) -> Engine:
    """A blocking engine for Alembic, without connection pooling."""
    url = sync_database_url(database_url)
    engine = create_sync_engine_for_url(url, poolclass=NullPool)
    if url.get_backend_name() == "sqlite":
        # Batch migrations copy tables; enforced foreign keys would cascade deletes there.
        event.listen(engine, "connect", _prepare_sqlite_migration_connection)
    return engine


def _prepare_sqlite_connection(dbapi_connection: Any, _record: object) -> None:
    _run_pragmas(dbapi_connection, foreign_keys=True)


def _prepare_sqlite_migration_connection(dbapi_connection: Any, _record: object) -> None:
    _run_pragmas(dbapi_connection, foreign_keys=False)


def _run_pragmas(dbapi_connection: Any, *, foreign_keys: bool) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        # Readers never block the writer and the writer never blocks readers.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    finally:
        cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (they are handed to SOAP encoders)."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@dataclass(frozen=True, slots=True)
class ConfigCounts:
    users: int
    queues: int


async def count_config(engine: AsyncEngine) -> ConfigCounts:
    """How many users and queues are configured, for the status page."""
    async with engine.connect() as connection:
        users = await connection.scalar(select(func.count()).select_from(User))
        queues = await connection.scalar(select(func.count()).select_from(Queue))
    return ConfigCounts(users=users or 0, queues=queues or 0)
