"""The connections a service owns for its lifetime: NATS, JetStream, database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.bus.connect import close, connect
from oii_shared.bus.topology import ensure_topology
from oii_shared.configuration import Configuration, ConfigurationFollower
from oii_shared.db.engine import create_engine
from oii_shared.redaction import set_secure_logging
from oii_shared.service.health import ComponentStatus, StatusAggregator
from oii_shared.service.logs import LastErrorHandler, set_level
from oii_shared.settings import Settings

log = logging.getLogger(__name__)

# The JetStream account info request: the cheapest round trip that proves KV can work.
JETSTREAM_INFO_SUBJECT = "$JS.API.INFO"
# Within the status aggregator's own bound (OII_HEALTH_TIMEOUT_MS, 1 s by default).
NATS_CHECK_TIMEOUT_S = 0.8

# Core NATS subject of the admin operation SetLogLevel (UpdateSettings: CONFIG_CHANGED_SUBJECT).
LOG_LEVEL_SUBJECT = "oii.admin.log_level"


@dataclass(slots=True)
class Infrastructure:
    settings: Settings
    nats: NATS
    js: JetStreamContext
    engine: AsyncEngine
    health: StatusAggregator
    last_error: LastErrorHandler
    configuration: ConfigurationFollower


@asynccontextmanager
async def open_infrastructure(
    settings: Settings, last_error: LastErrorHandler
) -> AsyncIterator[Infrastructure]:
    nc = await connect(settings, settings.service)
    engine = create_engine(settings)
    try:
        js = nc.jetstream()
        await ensure_topology(js)
        health = StatusAggregator(settings.health_timeout_ms / 1000)
        health.register("nats", lambda: nats_status(nc))
        health.register("database", lambda: _database_status(engine))
        await nc.subscribe(LOG_LEVEL_SUBJECT, cb=_follow_log_level)
        configuration = ConfigurationFollower(engine, nc)
        try:
            await configuration.start()
        except SQLAlchemyError as exc:
            log.warning("no configuration read (%s); the spec's defaults stand", exc)
        await configuration.listen(_follow_secure_logging)
        yield Infrastructure(settings, nc, js, engine, health, last_error, configuration)
        await configuration.stop()
    finally:
        await close(nc)
        await engine.dispose()


async def _follow_log_level(msg: Msg) -> None:
    try:
        level = set_level(msg.data.decode())
    except ValueError as exc:
        log.warning("ignored log level change: %s", exc)
        return
    log.warning("log level set to %s", level)


def _follow_secure_logging(configuration: Configuration) -> None:
    """UseSecureLogging (spec 4.2) as the configuration says."""
    set_secure_logging(configuration.parameters.flag("UseSecureLogging"))


async def nats_status(nc: NATS) -> ComponentStatus:
    """Connected, and JetStream (which every KV operation needs) answers a request in time.

    A real request with its own timeout, not ``flush``: while the server is stuck
    the connection may still look connected, and a KV operation would fail.
    """
    if not nc.is_connected:
        state = "reconnecting" if nc.is_reconnecting else "not connected"
        return ComponentStatus(False, state)
    try:
        answer = await nc.request(JETSTREAM_INFO_SUBJECT, b"", timeout=NATS_CHECK_TIMEOUT_S)
    except NatsTimeoutError:
        return ComponentStatus(False, "JetStream does not answer")
    if b'"error"' in answer.data:
        return ComponentStatus(False, f"JetStream: {answer.data[:200].decode(errors='replace')}")
    return ComponentStatus(
        True, data={"server": nc.connected_url.netloc if nc.connected_url else ""}
    )


async def _database_status(engine: AsyncEngine) -> ComponentStatus:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return ComponentStatus(True, data={"dialect": engine.dialect.name})
