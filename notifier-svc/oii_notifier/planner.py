"""From an event to its deliveries: one POST per final URL, carrying every subscribed appId.

The sessions watching the event's target are found in the index; each
session's appUrl goes through the URL rules (4.4.1, 4.4.2); sessions that end
at the same URL share one POST whose appIds list names each of them once. The
SSRF guard checks the final URL: a refused one gets nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from oii_notifier.cache import RefreshingCache
from oii_notifier.config import ConfigHolder
from oii_notifier.delivery import Delivery
from oii_notifier.index import SubscriptionIndex
from oii_notifier.stats import DeliveryStats
from oii_shared.bus.ici_events import IciEvent
from oii_shared.ici.registry import event_registry
from oii_shared.ici.schema import Interface, Operation
from oii_shared.soap.codec import encode_request
from oii_shared.subscriptions.model import Subscription
from oii_shared.subscriptions.url_guard import UrlGuard

log = logging.getLogger(__name__)

# A guard verdict is fresh this long: one DNS resolution per URL and period, not per event.
GUARD_FRESH_S = 10.0
# A name whose resolution takes longer is refused (its POST would not get far either).
GUARD_DNS_TIMEOUT_S = 5.0


class CachedUrlGuard:
    """The SSRF guard's verdicts per final URL; an expired one is renewed in the background."""

    def __init__(self, guard: UrlGuard, fresh_s: float = GUARD_FRESH_S) -> None:
        self._guard = guard
        self._fresh_s = fresh_s
        self._cache = RefreshingCache[str | None](self._verdict)
        self._last: dict[str, str | None] = {}

    async def refusal(self, url: str) -> str | None:
        return await self._cache.get(url)

    async def _verdict(self, url: str) -> tuple[str | None, float]:
        try:
            async with asyncio.timeout(GUARD_DNS_TIMEOUT_S):
                refusal = await self._guard.refusal(url)
        except TimeoutError:
            refusal = f"no DNS answer within {GUARD_DNS_TIMEOUT_S:.0f} s"
        if refusal is not None and self._last.get(url, "") != refusal:
            # Said when it starts, not for every event.
            log.error("events to %s are refused: %s", url, refusal)
        if len(self._last) >= 10_000:
            self._last.clear()
        self._last[url] = refusal
        return refusal, self._fresh_s


class DeliveryPlanner:
    def __init__(
        self,
        index: SubscriptionIndex,
        config: ConfigHolder,
        guard: CachedUrlGuard,
        stats: DeliveryStats,
    ) -> None:
        self._index = index
        self._config = config
        self._guard = guard
        self._stats = stats

    async def for_event(self, event: IciEvent) -> list[Delivery]:
        sessions = self._index.sessions_for(event.target)
        if not sessions:
            return []
        return await self.plan(
            sessions, _operation(event.operation), event.parts(), event.occurred_at
        )

    async def plan(
        self,
        sessions: Iterable[Subscription],
        operation: Operation,
        parts: Mapping[str, Any],
        occurred_at: float | None,
    ) -> list[Delivery]:
        config = self._config.current
        app_ids_by_url: dict[str, set[str]] = {}
        for session in sessions:
            url = await config.rules.final_url(session.app_url)
            app_ids_by_url.setdefault(url, set()).add(session.app_id)
        retry_until = asyncio.get_running_loop().time() + config.retry_s
        deliveries = []
        for url, app_ids in app_ids_by_url.items():
            if await self._guard.refusal(url) is not None:
                self._stats.refused += 1
                continue
            ordered = tuple(sorted(app_ids))
            body = encode_request(operation, {"appIds": ordered, **parts})
            deliveries.append(
                Delivery(url, ordered, operation.name, body, occurred_at, retry_until)
            )
        return deliveries


def _operation(name: str) -> Operation:
    operation = event_registry().find(Interface.EVENT, name)
    if operation is None:
        raise ValueError(f"IciEvent has no operation {name}")
    return operation


def event_operation(name: str) -> Operation:
    return _operation(name)
