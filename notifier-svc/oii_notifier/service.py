"""The notifier's parts started and stopped in the right order, and its health."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from nats.aio.client import Client as NATS

from oii_notifier.consumer import EventConsumer
from oii_notifier.index import SubscriptionFollower
from oii_notifier.lanes import Lanes
from oii_notifier.notices import SubscriptionEndedNotices
from oii_notifier.stats import DeliveryStats
from oii_shared.run_state import RunMode, RunStateFollower
from oii_shared.service.health import ComponentStatus

log = logging.getLogger(__name__)

# Deliveries in flight at an orderly stop get this long to finish; the rest go back to
# the stream and are sent by the next notifier.
STOP_GRACE_S = 2.0
# Spec chapter 12: the status line is written once a minute (here: when there was traffic).
STATS_LOG_PERIOD_S = 60.0


@dataclass(eq=False)
class Notifier:
    nats: NATS
    stats: DeliveryStats
    follower: SubscriptionFollower
    lanes: Lanes
    consumer: EventConsumer
    notices: SubscriptionEndedNotices
    run_state: RunStateFollower
    _stats_task: asyncio.Task[None] | None = field(default=None, init=False)
    # Set once this process consumes the events: only then is it the notifier CRM knows.
    _active: bool = field(default=False, init=False)

    async def start(self) -> None:
        self._stats_task = asyncio.create_task(self._log_stats(), name="notifier-stats")
        await self.follower.start()
        await self.run_state.start()
        await self.consumer.start()
        self._active = True

    async def stop(self) -> None:
        """Orderly stop: finish or hand back the events; CRM's sessions stay as they are.

        A notifier stops for a restart or an upgrade as often as for good; only the
        operator's stop of the whole suite ends the sessions (``end_sessions``).
        Also safe after a start that failed half-way.
        """
        if self._stats_task is not None:
            self._stats_task.cancel()
        await self.consumer.stop_intake()
        await self.run_state.stop()
        if not await self.lanes.wait_idle(STOP_GRACE_S):
            log.warning("stopping with events still in delivery; they will be sent again")
        await self.lanes.close()
        await self.consumer.give_back_unfinished()
        await self.follower.stop()
        log.info("final %s", self.stats.line())

    async def end_sessions(self) -> int:
        """The suite stops for good: subscriptionEnded (1) to every session, then drop them.

        Events on their way get ``STOP_GRACE_S`` to arrive first. Returns the number of
        sessions ended; a notifier that is not the active one ends none.
        """
        if not self._active:
            return 0
        await self.lanes.wait_idle(STOP_GRACE_S)
        sessions = self.follower.index.sessions()
        await self.notices.shut_down(sessions)
        return len(sessions)

    async def on_run_mode(self, mode: RunMode) -> None:
        """Admin Stop pauses OII: every session hears it (reason 2); Start says nothing."""
        if mode is RunMode.STOPPED:
            await self.notices.paused(self.follower.index.sessions())

    async def health(self) -> ComponentStatus:
        data = {**self.stats.as_json(), "sessions": len(self.follower.index)}
        data["unfinished_events"] = self.consumer.unfinished
        if not self.follower.following:
            return ComponentStatus(False, "not following the subscriptions", data)
        if not self.consumer.consuming:
            return ComponentStatus(False, "not consuming events", data)
        return ComponentStatus(True, data=data)

    async def _log_stats(self) -> None:
        last = (-1, -1)
        while True:
            await asyncio.sleep(STATS_LOG_PERIOD_S)
            now = (self.stats.delivered, self.stats.errors)
            if now != last:
                log.info("%s", self.stats.line())
            last = now
