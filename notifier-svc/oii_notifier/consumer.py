"""The notifier's durable JetStream consumer of the ICI domain events.

At-least-once: a stream message is acknowledged only when every delivery it
caused has ended (delivered, refused or given up). Messages being worked on are
kept alive with "in progress" acks, so a slow lane never causes a redelivery;
after a crash the server delivers the unacknowledged ones again once
``event_ack_wait_s`` has passed, and an orderly stop hands them back at once.

One notifier is active at a time: the consumer is bound by one subscriber
(a second notifier process fails to bind and exits), because per-session order
and the shut-down notices need a single sender.

A notifier that starts after another one stopped or died goes on from where it
stopped, at once and in order: the consumer is made again at its ack floor. The
events from there up to the last one handed to the predecessor (the replay)
may have reached CRM already; of those, only the newest of each item is sent,
so CRM never gets an older state of an item after a newer one (at most the
newest one again). Events after the replay go out one by one as always.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from oii_notifier.delivery import Outcome
from oii_notifier.index import SubscriptionFollower
from oii_notifier.lanes import Lanes
from oii_notifier.planner import DeliveryPlanner
from oii_notifier.settings import NotifierSettings
from oii_shared.bus.events import decode_event
from oii_shared.bus.ici_events import ICI_EVENT_TYPES, ICI_EVENTS_SUBJECT, IciEvent
from oii_shared.bus.topology import EVENTS_STREAM

log = logging.getLogger(__name__)

CONSUMER_NAME = "oii-notifier"
# Outside the stream's subjects, and fixed so that a restarted notifier binds again.
DELIVER_SUBJECT = "oii.notifier.deliver"
MAX_BATCH = 256
BIND_ATTEMPTS = 20
BIND_PAUSE_S = 0.5
# The replay comes right after the start; should part of it be gone (purged by the
# stream's limits), the rest is sent after this long rather than held forever.
REPLAY_WAIT_S = 5.0


@dataclass(eq=False)
class _Unfinished:
    msg: Msg
    remaining: int


class EventConsumer:
    def __init__(
        self,
        js: JetStreamContext,
        settings: NotifierSettings,
        follower: SubscriptionFollower,
        planner: DeliveryPlanner,
        lanes: Lanes,
    ) -> None:
        self._js = js
        self._settings = settings
        self._follower = follower
        self._planner = planner
        self._lanes = lanes
        self._received: asyncio.Queue[Msg] = asyncio.Queue()
        self._unfinished: set[_Unfinished] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._acks: set[asyncio.Task[None]] = set()
        self._subscription: JetStreamContext.PushSubscription | None = None
        # Stream sequence up to which events may have been handed to a predecessor.
        self._replay_until = 0

    @property
    def consuming(self) -> bool:
        return self._subscription is not None and all(not task.done() for task in self._tasks)

    @property
    def unfinished(self) -> int:
        return len(self._unfinished) + self._received.qsize()

    def consumer_config(self, start_seq: int | None = None) -> api.ConsumerConfig:
        return api.ConsumerConfig(
            name=CONSUMER_NAME,
            durable_name=CONSUMER_NAME,
            description="notifier-svc: ICI events to CRM",
            deliver_subject=DELIVER_SUBJECT,
            deliver_policy=(
                api.DeliverPolicy.ALL if start_seq is None else api.DeliverPolicy.BY_START_SEQUENCE
            ),
            opt_start_seq=start_seq,
            filter_subject=ICI_EVENTS_SUBJECT,
            ack_policy=api.AckPolicy.EXPLICIT,
            ack_wait=self._settings.event_ack_wait_s,
            max_ack_pending=self._settings.event_max_pending,
            max_deliver=-1,
        )

    async def start(self) -> None:
        config = await self._resume_where_the_last_one_stopped(await self._unbound_consumer())
        limit = self._settings.event_max_pending
        self._subscription = await self._js.subscribe_bind(
            EVENTS_STREAM,
            config,
            CONSUMER_NAME,
            cb=self._receive,
            manual_ack=True,
            # Never a slow-consumer drop: the server sends at most max_ack_pending.
            pending_msgs_limit=limit * 2 + MAX_BATCH,
            pending_bytes_limit=-1,
        )
        self._tasks = [
            asyncio.create_task(self._dispatch_loop(), name="dispatch-events"),
            asyncio.create_task(self._keep_alive(), name="events-in-progress"),
        ]

    async def _unbound_consumer(self) -> api.ConsumerInfo:
        for attempt in range(BIND_ATTEMPTS):
            info: api.ConsumerInfo
            try:
                info = await self._js.consumer_info(EVENTS_STREAM, CONSUMER_NAME)
            except NotFoundError:
                info = await self._js.add_consumer(EVENTS_STREAM, self.consumer_config())
            if not info.push_bound:
                return info
            # A notifier killed a moment ago may still count as bound for a short while.
            if attempt < BIND_ATTEMPTS - 1:
                await asyncio.sleep(BIND_PAUSE_S)
        raise RuntimeError(f"another notifier is consuming {CONSUMER_NAME}")

    async def _resume_where_the_last_one_stopped(
        self, info: api.ConsumerInfo
    ) -> api.ConsumerConfig:
        """The consumer again from its ack floor, when a predecessor left events unfinished.

        The server would hand them out again only after their ack wait, behind newer
        ones: a connected call would reach CRM as alerting once more.
        """
        floor = info.ack_floor.stream_seq if info.ack_floor else 0
        delivered = info.delivered.stream_seq if info.delivered else 0
        if delivered <= floor:
            return info.config
        config = self.consumer_config(floor + 1)
        await self._js.delete_consumer(EVENTS_STREAM, CONSUMER_NAME)
        await self._js.add_consumer(EVENTS_STREAM, config)
        self._replay_until = delivered
        log.info(
            "resuming at event %d: %d to %d may have reached CRM already (newest of each item)",
            floor + 1,
            floor + 1,
            delivered,
        )
        return config

    async def stop_intake(self) -> None:
        """No more messages; the ones received but not dispatched go back at once."""
        if self._subscription is not None:
            with contextlib.suppress(NatsError):
                await self._subscription.unsubscribe()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        while not self._received.empty():
            await self._give_back(self._received.get_nowait())

    async def give_back_unfinished(self) -> None:
        """Negative-ack what the lanes did not finish: the next notifier sends it at once."""
        for unfinished in list(self._unfinished):
            await self._give_back(unfinished.msg)
        self._unfinished.clear()
        if self._acks:
            await asyncio.wait(self._acks, timeout=2.0)

    async def _receive(self, msg: Msg) -> None:
        self._received.put_nowait(msg)

    async def _dispatch_loop(self) -> None:
        if self._replay_until:
            await self._replay()
        while True:
            batch = [await self._received.get()]
            while len(batch) < MAX_BATCH and not self._received.empty():
                batch.append(self._received.get_nowait())
            await self._catch_up()
            for msg in batch:
                event = self._decoded(msg)
                if event is not None:
                    await self._dispatch(msg, event)

    async def _replay(self) -> None:
        """The events a predecessor may have delivered: the newest of each item, in order."""
        newest: dict[str | None, tuple[Msg, IciEvent]] = {}
        kept: list[tuple[Msg, IciEvent]] = []
        ahead: Msg | None = None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(REPLAY_WAIT_S):
                while True:
                    msg = await self._received.get()
                    if msg.metadata.sequence.stream > self._replay_until:
                        ahead = msg
                        break
                    if (event := self._decoded(msg)) is not None:
                        if (key := event.state_key) is None:
                            kept.append((msg, event))
                        else:
                            older = newest.pop(key, None)
                            if older is not None:
                                self._settle(older[0].ack())  # replaced by a newer state
                            newest[key] = (msg, event)
                    if msg.metadata.sequence.stream == self._replay_until:
                        break
        replay = sorted([*kept, *newest.values()], key=_stream_sequence)
        await self._catch_up()
        for msg, event in replay:
            await self._dispatch(msg, event)
        if ahead is not None and (event := self._decoded(ahead)) is not None:
            await self._dispatch(ahead, event)

    async def _catch_up(self) -> None:
        try:
            await self._follower.catch_up()
        except (NatsError, TimeoutError) as error:
            log.warning("subscription sequence unknown (%s); dispatching anyway", error)

    def _decoded(self, msg: Msg) -> IciEvent | None:
        """The event of ``msg``; None (settled) for one that cannot be read or is unknown."""
        try:
            event = decode_event(msg.data, ICI_EVENT_TYPES)
        except (ValueError, ValidationError) as error:
            log.error("unreadable event on %s dropped: %s", msg.subject, error)
            self._settle(msg.term())
            return None
        if event is None:
            log.warning("unknown event on %s ignored", msg.subject)
            self._settle(msg.ack())
        return event

    async def _dispatch(self, msg: Msg, event: IciEvent) -> None:
        try:
            deliveries = await self._planner.for_event(event)
        except Exception:
            log.exception("%s on %s could not be planned; dropped", event.operation, msg.subject)
            self._settle(msg.term())
            return
        if not deliveries:
            self._settle(msg.ack())
            return
        unfinished = _Unfinished(msg, len(deliveries))
        self._unfinished.add(unfinished)

        def done(_outcome: Outcome) -> None:
            unfinished.remaining -= 1
            if unfinished.remaining == 0 and unfinished in self._unfinished:
                self._unfinished.discard(unfinished)
                self._settle(msg.ack())

        for delivery in deliveries:
            delivery.on_done = done
            self._lanes.submit(delivery)

    async def _keep_alive(self) -> None:
        """Tell the server, well within ack_wait, that unfinished messages are being worked on."""
        period = self._settings.event_ack_wait_s / 3
        while True:
            await asyncio.sleep(period)
            for unfinished in list(self._unfinished):
                with contextlib.suppress(NatsError):
                    await unfinished.msg.in_progress()

    async def _give_back(self, msg: Msg) -> None:
        with contextlib.suppress(NatsError):
            await msg.nak()

    def _settle(self, reply: Coroutine[Any, Any, None]) -> None:
        """Run an ack/term in the background: the next event need not wait for its publish."""
        task = asyncio.create_task(_quietly(reply))
        self._acks.add(task)
        task.add_done_callback(self._acks.discard)


def _stream_sequence(pair: tuple[Msg, IciEvent]) -> int:
    sequence: int = pair[0].metadata.sequence.stream
    return sequence


async def _quietly(reply: Coroutine[Any, Any, None]) -> None:
    with contextlib.suppress(NatsError):
        await reply
