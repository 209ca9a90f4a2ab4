"""Run the Alembic migrations from code: ``upgrade(database_url)``.

The migration scripts ship inside the package, so no alembic.ini is needed on
disk; the URL is handed to ``migrations/env.py`` through the config attributes.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    """An Alembic config for the packaged migrations and ``database_url`` (any driver)."""
    config = Config()
    # Config values go through configparser interpolation: a % must be doubled.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to ``revision``; a database already there is left unchanged."""
    command.upgrade(alembic_config(database_url), revision)
