"""Fixtures of action-svc's tests: its real composition on a real nats-server and SQLite.

``start_action`` builds ``compose_action`` (without HTTP) on a nats-server of the
test alone and a copy of a database migrated and loaded with ``CONFIG`` once per
session; calling it again on the same database with a new nats-server is a
restart that lost NATS' state.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
import yaml

# --import-mode=importlib puts nothing on sys.path: the tests import action_harness from here.
sys.path.append(str(Path(__file__).resolve().parent))

from action_harness import CONFIG, ActionHarness, StartAction, running_action

from oii_action.settings import ActionSettings
from oii_shared.bootstrap import prepare_database
from oii_shared.config.loader import load_config
from oii_shared.embedded.nats_server import start_nats_server
from oii_shared.settings import Settings


@pytest.fixture(scope="session")
def action_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("action-db")
    config_file = root / "contact-center.yaml"
    config_file.write_text(yaml.safe_dump(CONFIG))
    prepare_database(Settings(data_dir=root), load_config(config_file))
    return root / "oii.sqlite3", config_file


@pytest.fixture
async def start_action(
    tmp_path: Path, action_database: tuple[Path, Path]
) -> AsyncIterator[StartAction]:
    database, config_file = action_database
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(database, data_dir / "oii.sqlite3")
    async with AsyncExitStack() as stack:
        runs = 0

        async def start(**overrides: Any) -> ActionHarness:
            nonlocal runs
            runs += 1
            nats_dir = tmp_path / f"nats-{runs}"
            server = await start_nats_server(nats_dir, log_file=nats_dir / "nats-server.log")
            stack.push_async_callback(server.stop)
            settings = ActionSettings(
                service=f"action-test-{runs}",
                data_dir=data_dir,
                nats_url=server.url,
                config=config_file,
                alert_timeout_ms=60_000,
            ).model_copy(update=overrides)
            return await stack.enter_async_context(running_action(settings))

        yield start
