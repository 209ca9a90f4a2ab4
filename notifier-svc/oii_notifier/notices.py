"""subscriptionEnded (spec 9.3.2): reason 2 when the admin Stop pauses OII, 1 when it shuts down.

Paused: the run state in KV ``oii_system`` turns "stopped" (admin operation
Stop); every session is told, in order with its other events, and its
subscriptions stay. Shut down: the notifier stops in order (SIGTERM); every
session is told within a short time, then the subscriptions are removed, as the
spec says they are lost and CRM must subscribe again.
"""

from __future__ import annotations

import asyncio
import logging

from nats.js.kv import KeyValue

from oii_notifier.delivery import Delivery
from oii_notifier.lanes import Lanes
from oii_notifier.planner import DeliveryPlanner, event_operation
from oii_notifier.sender import Sender
from oii_shared import PRODUCT_NAME
from oii_shared.ici.tables import SubscriptionEndedReason
from oii_shared.subscriptions.model import Subscription

log = logging.getLogger(__name__)

# The spec's sample says "WicomOII Stop"; these are this product's words.
DESCRIPTIONS = {
    SubscriptionEndedReason.SHUTDOWN: f"{PRODUCT_NAME} shut down: subscribe again",
    SubscriptionEndedReason.PAUSED: f"{PRODUCT_NAME} stopped by the administrator (paused)",
}
SHUTDOWN_NOTICE_TIMEOUT_S = 3.0


class SubscriptionEndedNotices:
    def __init__(
        self, planner: DeliveryPlanner, lanes: Lanes, sender: Sender, subscriptions: KeyValue
    ) -> None:
        self._planner = planner
        self._lanes = lanes
        self._sender = sender
        self._subscriptions = subscriptions

    async def paused(self, sessions: dict[str, Subscription]) -> None:
        """Queue reason 2 to every session, behind the events it has not got yet."""
        deliveries = await self._plan(sessions, SubscriptionEndedReason.PAUSED)
        for delivery in deliveries:
            self._lanes.submit(delivery)
        log.warning("OII paused: subscriptionEnded (2) to %d session(s)", len(sessions))

    async def shut_down(self, sessions: dict[str, Subscription]) -> None:
        """Reason 1 to every session (one attempt each, bounded), then drop the subscriptions."""
        deliveries = await self._plan(sessions, SubscriptionEndedReason.SHUTDOWN)
        await asyncio.gather(
            *(self._sender.send_once(each, SHUTDOWN_NOTICE_TIMEOUT_S) for each in deliveries)
        )
        results = await asyncio.gather(
            *(self._subscriptions.delete(key) for key in sessions), return_exceptions=True
        )
        failed = [result for result in results if isinstance(result, BaseException)]
        log.warning(
            "notifier stopping: subscriptionEnded (1) sent for %d session(s); "
            "%d subscription(s) removed%s",
            len(sessions),
            len(sessions) - len(failed),
            f", {len(failed)} not: {failed[0]}" if failed else "",
        )

    async def _plan(
        self, sessions: dict[str, Subscription], reason: SubscriptionEndedReason
    ) -> list[Delivery]:
        parts = {"reason": {"id": str(int(reason)), "description": DESCRIPTIONS[reason]}}
        return await self._planner.plan(
            sessions.values(), event_operation("subscriptionEnded"), parts, None
        )
