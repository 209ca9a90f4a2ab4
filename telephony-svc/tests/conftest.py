"""Fixtures of telephony's tests: the real call engine on a real nats-server and SQLite.

``harness`` builds telephony-svc's composition (``compose_telephony``) without
HTTP, on a nats-server of the test alone (the suite's bucket names are fixed)
and a copy of a database migrated and loaded with ``CONFIG`` once per session.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

# --import-mode=importlib puts nothing on sys.path: the tests import telephony_harness from
# here (appended, so that "conftest" still names the stack tests' own).
sys.path.append(str(Path(__file__).resolve().parent))

from telephony_harness import CONFIG, Harness, running_engine

from oii_shared.bootstrap import prepare_database
from oii_shared.bus.events import decode_event
from oii_shared.bus.ici_events import ICI_EVENT_TYPES
from oii_shared.bus.topology import EVENTS_STREAM
from oii_shared.config.loader import load_config
from oii_shared.embedded.nats_server import start_nats_server
from oii_shared.settings import Settings
from oii_telephony.settings import TelephonySettings


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A migrated SQLite database with ``CONFIG`` loaded, and the YAML it came from."""
    root = tmp_path_factory.mktemp("telephony-db")
    config_file = root / "contact-center.yaml"
    config_file.write_text(yaml.safe_dump(CONFIG))
    prepare_database(Settings(data_dir=root), load_config(config_file))
    return root / "oii.sqlite3", config_file


@pytest.fixture
async def harness(tmp_path: Path, template_database: tuple[Path, Path]) -> AsyncIterator[Harness]:
    database, config_file = template_database
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(database, data_dir / "oii.sqlite3")
    server = await start_nats_server(tmp_path / "nats", log_file=tmp_path / "nats-server.log")
    settings = TelephonySettings(
        service="telephony-test",
        data_dir=data_dir,
        nats_url=server.url,
        config=config_file,
        sim_answer_ms=50,
        sim_ring_timeout_ms=60_000,
        alert_timeout_ms=60_000,
    )
    try:
        async with running_engine(settings) as (infra, telephony):
            harness = Harness(infra, telephony)

            async def collect(msg: Any) -> None:
                event = decode_event(msg.data, ICI_EVENT_TYPES)
                if event is not None:
                    harness.events.append(event)

            subscription = await infra.js.subscribe(
                "oii.events.ici.>", stream=EVENTS_STREAM, cb=collect, ordered_consumer=True
            )
            try:
                yield harness
            finally:
                await subscription.unsubscribe()
    finally:
        await server.stop()
