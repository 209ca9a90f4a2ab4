"""Health of the services behind the gateway, reported into the gateway's aggregator."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp

from oii_shared.ici.schema import Owner
from oii_shared.paths import HEALTHZ
from oii_shared.service.health import ComponentStatus, HealthCheck, StatusAggregator


def service_check(session: aiohttp.ClientSession, url: str) -> HealthCheck:
    async def check() -> ComponentStatus:
        try:
            async with session.get(url.rstrip("/") + HEALTHZ) as answer:
                body = await answer.json(content_type=None)
        except (aiohttp.ClientError, ValueError) as exc:
            return ComponentStatus(False, f"unreachable: {exc}")
        ok = answer.status == 200
        detail = "" if ok else f"unhealthy: {', '.join(body.get('down', [])) or answer.status}"
        return ComponentStatus(ok, detail, data={"url": url, "health": body})

    return check


def register_service_checks(
    health: StatusAggregator, session: aiohttp.ClientSession, urls: Mapping[Owner, str]
) -> None:
    for owner, url in urls.items():
        if url:
            health.register(owner.value, service_check(session, url))
        else:
            health.register(owner.value, _unconfigured(owner))


def _unconfigured(owner: Owner) -> HealthCheck:
    async def check() -> ComponentStatus:
        return ComponentStatus(False, f"OII_{owner.value.upper()}_URL is not set")

    return check
