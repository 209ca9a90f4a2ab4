"""Alembic environment: run by ``oii_shared.db.migrate.upgrade``, never by hand-made config.

The database URL comes from ``config.attributes["database_url"]`` (or an open
connection from ``config.attributes["connection"]``), so no alembic.ini and no
``%`` escaping of passwords are involved.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

import oii_shared.db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from oii_shared.db.engine import create_migration_engine, sync_database_url

# Any number, the same in every process: serialises concurrent upgrades on PostgreSQL.
_POSTGRES_MIGRATION_LOCK = 0x0011_C0DE

config = context.config
target_metadata = SQLModel.metadata


def _database_url() -> str:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: call oii_shared.db.migrate.upgrade(database_url)")
    return str(url)


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_MIGRATION_LOCK}
            )
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=sync_database_url(_database_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run_on(connection)
        return
    engine = create_migration_engine(_database_url())
    try:
        with engine.connect() as connection:
            _run_on(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
