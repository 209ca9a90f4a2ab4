"""Everything the status page shows, gathered concurrently."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oii_gateway.admin.service import AdminService
from oii_shared import PRODUCT_NAME, PRODUCT_VERSION
from oii_shared.bus.kv import live_count
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET
from oii_shared.db.engine import count_config
from oii_shared.ici.schema import Owner
from oii_shared.items.store import live_items
from oii_shared.service.health import ComponentStatus, StatusAggregator


@dataclass(frozen=True, slots=True)
class ServiceLine:
    name: str
    ok: bool
    detail: str
    uptime_s: float | None


@dataclass(frozen=True, slots=True)
class StatusSnapshot:
    title: str
    version: str
    instance: str
    application_state: str
    nats_state: str
    database_state: str
    objects: dict[str, int | str]
    services: list[ServiceLine]
    # The notifier's statistics line (spec chapter 12 ``[SOAP:...]``), or why there is none.
    events: str
    server_time: datetime
    server_utc_time: datetime
    log_level: str
    log_file: str
    last_error: str


async def take_snapshot(admin: AdminService, health: StatusAggregator) -> StatusSnapshot:
    state, statuses, objects, log_file = await asyncio.gather(
        admin.get_state(), health.collect(), _objects(admin), admin.get_log_path()
    )
    now = time.time()
    settings = admin.settings
    return StatusSnapshot(
        title=f"{PRODUCT_NAME} {PRODUCT_VERSION}",
        version=PRODUCT_VERSION,
        instance=f"{settings.data_dir.resolve()} (gateway port {settings.port})",
        application_state=state,
        nats_state=_describe(statuses.get("nats"), "Connected", "Not connected"),
        database_state=_describe(statuses.get("database"), "Connected", "Not connected"),
        objects=objects,
        services=[
            _service_line(name, status)
            for name, status in statuses.items()
            if name not in {"nats", "database"}
        ],
        events=_events(statuses.get(Owner.NOTIFIER.value)),
        server_time=datetime.fromtimestamp(now).astimezone(),
        server_utc_time=datetime.fromtimestamp(now, UTC),
        log_level=logging.getLevelName(logging.getLogger().level),
        log_file=log_file,
        last_error=_last_error(admin, statuses),
    )


async def _objects(admin: AdminService) -> dict[str, int | str]:
    try:
        config, items, subscriptions = await asyncio.gather(
            count_config(admin.engine),
            live_items(admin.js),
            live_count(admin.js, SUBSCRIPTIONS_BUCKET),
        )
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {
        "Users": config.users,
        "Queues": config.queues,
        "Items": len(items),
        "Subs": subscriptions,
    }


def _describe(status: ComponentStatus | None, up: str, down: str) -> str:
    if status is None:
        return "unknown"
    if status.ok:
        extra = ", ".join(f"{k} {v}" for k, v in status.data.items())
        return f"{up} ({extra})" if extra else up
    return f"{down}: {status.detail}"


def _service_line(name: str, status: ComponentStatus) -> ServiceLine:
    health: dict[str, Any] = status.data.get("health") or {}
    uptime = health.get("uptime_s")
    return ServiceLine(
        name=name,
        ok=status.ok,
        detail=status.detail,
        uptime_s=float(uptime) if isinstance(uptime, int | float) else None,
    )


def _events(status: ComponentStatus | None) -> str:
    """The ``[SOAP:...]`` line of the notifier's delivery component."""
    if status is None:
        return "unknown"
    health: dict[str, Any] = status.data.get("health") or {}
    delivery = (health.get("components") or {}).get("delivery") or {}
    line = delivery.get("line")
    if not isinstance(line, str):
        return status.detail or "no statistics"
    sessions = delivery.get("sessions")
    return f"{line} sessions={sessions}" if sessions is not None else line


def _last_error(admin: AdminService, statuses: dict[str, ComponentStatus]) -> str:
    """The most recent error logged by the gateway or any service."""
    candidates: list[tuple[float, str]] = []
    for name, status in statuses.items():
        last = (status.data.get("health") or {}).get("last_error") or {}
        if last.get("text"):
            candidates.append((float(last.get("at", 0)), f"{name}: {last['text']}"))
    own = admin.last_error.last
    if own.text:
        candidates.append((own.at, f"gateway: {own.text}"))
    if not candidates:
        return ""
    at, text = max(candidates)
    return f"{datetime.fromtimestamp(at, UTC):%Y-%m-%d %H:%M:%S} UTC {text}"
