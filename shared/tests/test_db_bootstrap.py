"""Migrations, the configuration upsert, the read helpers and ``python -m oii_shared.bootstrap``.

Runs on real SQLite files; set OII_TEST_POSTGRES_URL to a database the tests may
wipe (``postgresql+psycopg://user@host/db``) to run the database tests there too.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, col, delete, select

from oii_shared.channels import Channel
from oii_shared.config.loader import demo_config_path, load_config
from oii_shared.config.schema import ContactCenterConfig
from oii_shared.db.engine import (
    ConfigCounts,
    async_database_url,
    count_config,
    create_engine_for_url,
    create_migration_engine,
    session_factory,
    sync_database_url,
)
from oii_shared.db.migrate import alembic_config, upgrade
from oii_shared.db.models import ModuleParameter, Queue, User, UserQueue
from oii_shared.db.repository import (
    get_parameters,
    get_queue,
    get_user,
    list_queues,
    list_users,
    upsert_config,
)


def config_of(data: dict[str, object]) -> ContactCenterConfig:
    return ContactCenterConfig.model_validate(data)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def test_migrate_twice_is_idempotent(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)

    engine = create_migration_engine(database_url)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
    engine.dispose()


def test_migrations_match_models(database_url: str) -> None:
    upgrade(database_url)

    engine = create_migration_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = tmp_path / "oii.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{database}")

    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_deleting_a_queue_removes_its_memberships(engine: AsyncEngine) -> None:
    await upsert_config(engine, load_config(demo_config_path()))

    async with session_factory(engine)() as session, session.begin():
        await session.exec(delete(Queue).where(col(Queue.id) == "2001"))
    async with session_factory(engine)() as session:
        memberships = await session.exec(select(UserQueue).where(UserQueue.queue_id == "2001"))
        assert memberships.all() == []


async def test_upsert_inserts_the_demo(engine: AsyncEngine) -> None:
    summary = await upsert_config(engine, load_config(demo_config_path()))

    assert (summary.users_inserted, summary.users_updated) == (4, 0)
    assert (summary.queues_inserted, summary.queues_updated) == (6, 0)
    counts = await count_config(engine)
    assert (counts.users, counts.queues) == (4, 6)
    async with session_factory(engine)() as session:
        harri = await get_user(session, "harri")
        assert harri is not None
        assert (harri.id, harri.name, harri.phone) == ("HARRI", "Harri Agent", "+129")
        assert {"2001", "2002", "2003", "ACTION"} <= set(harri.queues)
        assert harri.skills == {"English": 4, "Finnish": 5}
        action = await get_queue(session, "ACTION")
        assert action is not None and action.channel is Channel.ACTION
        phone_queues = await list_queues(session, Channel.PHONE)
        assert [(q.id, q.name) for q in phone_queues] == [
            ("2001", "Q 2001"),
            ("2002", "Q 2002"),
            ("2003", "Q 2003"),
        ]
        assert phone_queues[2].skills == {"English": 3}
        assert await get_user(session, "nobody") is None

    again = await upsert_config(engine, load_config(demo_config_path()))
    assert (again.users_inserted, again.users_updated, again.queues_inserted) == (0, 4, 0)
    assert await count_config(engine) == counts


async def test_upsert_updates_replaces_and_leaves_other_rows_alone(engine: AsyncEngine) -> None:
    await upsert_config(
        engine,
        config_of(
            {
                "parameters": {"OII.Country": "358"},
                "queues": [
                    {"id": "2001", "name": "Q 2001", "channel": "phone", "skills": {"A": 1}},
                    {"id": "2002", "name": "Q 2002", "channel": "phone"},
                ],
                "users": [
                    {
                        "id": "HARRI",
                        "phone": "+129",
                        "queues": ["2001", "2002"],
                        "skills": {"A": 2},
                    },
                    {"id": "ANNA", "queues": ["2001"]},
                ],
            }
        ),
    )
    async with session_factory(engine)() as session, session.begin():
        session.add(Queue(id="9999", name="Admin queue", channel="phone"))
        session.add(User(id="ADMIN", key="admin", name="Added by the admin API"))
        session.add(ModuleParameter(name="OII.Chat", value="1"))

    summary = await upsert_config(
        engine,
        config_of(
            {
                "parameters": {"OII.Country": "49"},
                "queues": [{"id": "2001", "name": "Renamed", "channel": "phone", "enabled": False}],
                "users": [
                    {
                        "id": "harri",
                        "name": "Harri",
                        "phone": "+130",
                        "queues": ["2001", "OII_EMAIL"],
                        "skills": {"B": 3},
                    }
                ],
            }
        ),
    )

    assert (summary.users_inserted, summary.users_updated) == (0, 1)
    async with session_factory(engine)() as session:
        harri = await get_user(session, "HARRI")
        assert harri is not None
        # The stored spelling of the login name stays: other rows may refer to it.
        assert (harri.id, harri.name, harri.phone) == ("HARRI", "Harri", "+130")
        assert harri.queues == ("2001", "OII_EMAIL")
        assert harri.skills == {"B": 3}
        renamed = await get_queue(session, "2001")
        assert renamed is not None
        assert (renamed.name, renamed.enabled, renamed.skills) == ("Renamed", False, {})
        pseudo = await get_queue(session, "OII_EMAIL")
        assert pseudo is not None and pseudo.channel is Channel.EMAIL
        users = {user.id: user for user in await list_users(session)}
        assert set(users) == {"ADMIN", "ANNA", "HARRI"}
        assert users["ANNA"].queues == ("2001",)
        queue_ids = {queue.id for queue in await list_queues(session)}
        assert queue_ids == {"2001", "2002", "9999", "ACTION", "OII_EMAIL"}
        parameters = await get_parameters(session)
        assert parameters.text("OII.Country") == "49"
        assert parameters.flag("OII.Chat") is True


async def test_parameters_default_to_the_spec_and_the_database_wins(engine: AsyncEngine) -> None:
    async with session_factory(engine)() as session:
        defaults = await get_parameters(session)
    assert defaults.explicit == {}
    assert defaults.text("OII.Country") == "49"
    assert defaults.flag("OII.Email") is False
    assert defaults.integer("SOAP_TIMEOUT_MS") == 100_000
    assert defaults.text("OII.PdEndPreviewReject") == "SKIP"

    await upsert_config(engine, config_of({"parameters": {"oii.email": "true"}}))
    async with session_factory(engine)() as session, session.begin():
        session.add(ModuleParameter(name="OII.Country", value="358"))
    async with session_factory(engine)() as session:
        stored = await get_parameters(session)
    assert stored.flag("OII.Email") is True
    assert stored.text("OII.Country") == "358"
    assert stored.text("OII.IDD") == "00"


def run_bootstrap(tmp_path: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OII_")}
    env |= {"OII_DATA_DIR": str(tmp_path / "data"), "OII_CONFIG": str(config)}
    return subprocess.run(
        [sys.executable, "-m", "oii_shared.bootstrap"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_bootstrap_command(tmp_path: Path) -> None:
    for _ in range(2):
        result = run_bootstrap(tmp_path, demo_config_path())
        assert result.returncode == 0, result.stderr
    assert "4 users" in result.stderr

    with sqlite3.connect(tmp_path / "data" / "oii.sqlite3") as connection:
        assert connection.execute("SELECT id FROM users WHERE key = 'harri'").fetchone() == (
            "HARRI",
        )


def test_bootstrap_command_rejects_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "cc.yaml"
    bad.write_text("users: [{id: HARRI, queues: ['2009']}]\n", encoding="utf-8")

    result = run_bootstrap(tmp_path, bad)

    assert result.returncode == 2
    assert result.stderr.strip() == (
        f'config error in {bad}: users[0] (id HARRI): queues: unknown queue "2009"'
    )
    assert not (tmp_path / "data").exists()


async def test_concurrent_loads_do_not_collide(engine: AsyncEngine, database_url: str) -> None:
    other = create_engine_for_url(database_url)
    try:
        config = load_config(demo_config_path())
        first, second = await asyncio.gather(
            upsert_config(engine, config), upsert_config(other, config)
        )
    finally:
        await other.dispose()

    assert first.users_inserted + second.users_inserted == 4
    assert await count_config(engine) == ConfigCounts(users=4, queues=6)


@pytest.mark.parametrize(
    ("given", "for_async", "for_migrations"),
    [
        ("sqlite+aiosqlite:////x/oii.sqlite3", "sqlite+aiosqlite", "sqlite"),
        ("sqlite:////x/oii.sqlite3", "sqlite+aiosqlite", "sqlite"),
        ("postgresql://u:p@db/oii", "postgresql+psycopg", "postgresql+psycopg"),
        ("postgresql+psycopg://u:p@db/oii", "postgresql+psycopg", "postgresql+psycopg"),
        ("postgresql+asyncpg://u:p@db/oii", "postgresql+psycopg", "postgresql+psycopg"),
    ],
)
def test_database_url_drivers(given: str, for_async: str, for_migrations: str) -> None:
    assert async_database_url(given).drivername == for_async
    assert sync_database_url(given).drivername == for_migrations
    assert sync_database_url(given).database == async_database_url(given).database


def test_the_migrations_have_one_head() -> None:
    """Each channel adds its migration on the current head; two heads mean one forgot."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
