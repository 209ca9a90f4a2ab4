"""Prepare the database before the services start: ``python -m oii_shared.bootstrap``.

Creates the data directory, migrates the schema, and loads the contact-center
YAML (``OII_CONFIG``, or the built-in demo) into the database. Safe to run on
every start: migrations stop at head and loading is an upsert.

Exit codes: 0 done, 2 unusable settings or configuration file.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.engine import make_url

from oii_shared.config.loader import ConfigError, demo_config_path, load_config
from oii_shared.config.schema import ContactCenterConfig
from oii_shared.db.engine import create_engine
from oii_shared.db.migrate import upgrade
from oii_shared.db.repository import ConfigConflict, UpsertSummary, upsert_config
from oii_shared.settings import Settings

EXIT_OK = 0
EXIT_BAD_CONFIGURATION = 2

log = logging.getLogger("oii_shared.bootstrap")


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"settings error: {error}", file=sys.stderr)
        return EXIT_BAD_CONFIGURATION
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    config_path = _config_path(settings)
    try:
        config = load_config(config_path)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_CONFIGURATION
    try:
        summary = prepare_database(settings, config)
    except ConfigConflict as error:
        print(f"config error in {config_path}: {error}", file=sys.stderr)
        return EXIT_BAD_CONFIGURATION
    log.info(_summary_line(settings, config_path, config, summary))
    return EXIT_OK


def prepare_database(settings: Settings, config: ContactCenterConfig) -> UpsertSummary:
    """Migrate the database of ``settings`` to the newest schema and load ``config`` into it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    return asyncio.run(_load_into_database(settings, config))


def _config_path(settings: Settings) -> Path:
    # OII_CONFIG set to an empty string reads as Path("."): treat it as unset.
    if settings.config is None or settings.config == Path():
        return demo_config_path()
    return settings.config


async def _load_into_database(settings: Settings, config: ContactCenterConfig) -> UpsertSummary:
    engine = create_engine(settings)
    try:
        return await upsert_config(engine, config)
    finally:
        await engine.dispose()


def _summary_line(
    settings: Settings, config_path: Path, config: ContactCenterConfig, summary: UpsertSummary
) -> str:
    database = make_url(settings.resolved_database_url).render_as_string(hide_password=True)
    source = "built-in demo" if config_path == demo_config_path() else str(config_path)
    return (
        f"database {database} ready; configuration from {source}: "
        f"{len(config.users)} users ({summary.users_inserted} new), "
        f"{len(config.queues)} queues ({summary.queues_inserted} new), "
        f"{summary.parameters_set} parameters"
    )


if __name__ == "__main__":
    sys.exit(main())
