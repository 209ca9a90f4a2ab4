"""Delivery lanes: the order of events per CRM session (spec SOAP_WAIT_MS).

A lane is one (URL, appIds): the events one IC WebClient session gets. Its
events go in the order they were planned; the next one waits for the answer to
the previous one, but no longer than SOAP_WAIT_MS once that request is out
(a slow CRM must not hold a session's events back for SOAP_TIMEOUT_MS).
While a failed request waits to be retried the lane holds, so the order
survives a CRM restart. Each lane has its own task: a slow or dead endpoint
never delays another lane.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass, field

from oii_notifier.delivery import Delivery, LaneKey, Outcome
from oii_notifier.sender import Sender
from oii_notifier.stats import DeliveryStats

log = logging.getLogger(__name__)

# Requests of one lane in flight at once: bounds what a black-holed endpoint can tie up
# (one new request every SOAP_WAIT_MS, each waiting up to SOAP_TIMEOUT_MS).
LANE_MAX_IN_FLIGHT = 16


@dataclass(eq=False)
class Lane:
    key: LaneKey
    waiting: deque[Delivery] = field(default_factory=deque)
    in_flight: set[asyncio.Task[None]] = field(default_factory=set)
    last: Delivery | None = None
    # The endpoint did not answer the last attempt.
    unreachable: bool = False
    worker: asyncio.Task[None] | None = None

    @property
    def idle(self) -> bool:
        return not self.waiting and not self.in_flight and self.worker is None


class Lanes:
    def __init__(self, sender: Sender, stats: DeliveryStats) -> None:
        self._sender = sender
        self._stats = stats
        self._lanes: dict[LaneKey, Lane] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return len(self._lanes)

    def submit(self, delivery: Delivery) -> None:
        lane = self._lanes.get(delivery.lane)
        if lane is None:
            lane = self._lanes[delivery.lane] = Lane(delivery.lane)
            self._stats.lane_opened()
            self._idle.clear()
        lane.waiting.append(delivery)
        self._stats.enqueued()
        if lane.worker is None:
            lane.worker = asyncio.create_task(self._run(lane), name=f"lane {delivery.url}")

    async def wait_idle(self, timeout_s: float) -> bool:
        """Wait until nothing is queued or in flight; False if ``timeout_s`` passed first."""
        try:
            async with asyncio.timeout(timeout_s):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        """Cancel whatever is still queued or in flight; its ``on_done`` is not called."""
        tasks = [
            task
            for lane in self._lanes.values()
            for task in (*lane.in_flight, *([lane.worker] if lane.worker else []))
        ]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, lane: Lane) -> None:
        try:
            while lane.waiting:
                if lane.last is not None:
                    await lane.last.released.wait()
                while len(lane.in_flight) >= LANE_MAX_IN_FLIGHT:
                    await asyncio.wait(lane.in_flight, return_when=asyncio.FIRST_COMPLETED)
                delivery = lane.waiting.popleft()
                self._stats.dequeued()
                task = asyncio.create_task(self._deliver(lane, delivery))
                lane.in_flight.add(task)
                task.add_done_callback(lambda done: self._finished(lane, done))
                lane.last = delivery
        finally:
            lane.worker = None
            self._forget_if_idle(lane)

    async def _deliver(self, lane: Lane, delivery: Delivery) -> None:
        outcome = Outcome.FAILED
        try:
            if lane.unreachable and asyncio.get_running_loop().time() > delivery.retry_until:
                # Queued behind a dead endpoint past its retry time: not worth one more try.
                self._stats.failed += 1
                log.error("%s to %s given up: the endpoint does not answer",
                          delivery.operation, delivery.url)  # fmt: skip
            else:
                result = await self._sender.send(delivery)
                lane.unreachable = not result.reachable
                outcome = result.outcome
        except asyncio.CancelledError:
            raise
        except Exception:
            self._stats.failed += 1
            log.exception("%s to %s failed", delivery.operation, delivery.url)
        delivery.released.set()
        if delivery.on_done is not None:
            delivery.on_done(outcome)

    def _finished(self, lane: Lane, task: asyncio.Task[None]) -> None:
        lane.in_flight.discard(task)
        self._forget_if_idle(lane)

    def _forget_if_idle(self, lane: Lane) -> None:
        if lane.idle and self._lanes.get(lane.key) is lane:
            del self._lanes[lane.key]
            self._stats.lane_closed()
            if not self._lanes:
                self._idle.set()
