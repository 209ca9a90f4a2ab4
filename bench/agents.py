"""IC WebClient sessions of the benchmark: one per agent, as CRM runs them.

An agent logs in with the WebClient's sequence, subscribes its user and its line
to its own event URL, becomes ready, answers every call it is alerted of
(accept, talk, drop, end wrap-up) and sends a heartbeat (getAttributes with
cmsPing) every few seconds.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.contact_center import AgentSpec
from bench.ici_client import IciClient
from oii_shared.crm_stand_in import CrmEvent

READY = 2
NOT_READY = 3
PHONE_CHANNEL = 1
ALERTING = 3
CONNECTED = 101


@dataclass(frozen=True)
class Handling:
    """How long an agent talks and wraps up, and how often its WebClient pings."""

    talk_s: float
    wrap_up_s: float
    heartbeat_s: float


@dataclass
class CallTimes:
    """``time.perf_counter()`` of each step of one call, as the benchmark saw them."""

    created: float | None = None
    alerted: float | None = None
    connected: float | None = None
    finished: float | None = None


@dataclass
class CallBook:
    """Every call of the run by handle; events may arrive before the simulator's answer."""

    calls: dict[str, CallTimes] = field(default_factory=dict)
    # Set whenever no call is unfinished.
    idle: asyncio.Event = field(default_factory=asyncio.Event)
    _unfinished: int = 0

    def times(self, handle: str) -> CallTimes:
        times = self.calls.get(handle)
        if times is None:
            times = self.calls[handle] = CallTimes()
            self._unfinished += 1
            self.idle.clear()
        return times

    def created(self, handle: str, at: float) -> None:
        self.times(handle).created = at

    def finished(self, handle: str, at: float) -> None:
        self.times(handle).finished = at
        self._unfinished -= 1
        if self._unfinished == 0:
            self.idle.set()

    @property
    def unfinished(self) -> int:
        return self._unfinished


class AgentSession:
    def __init__(
        self,
        spec: AgentSpec,
        ici: IciClient,
        event_url: str,
        app_id: str,
        handling: Handling,
        book: CallBook,
    ) -> None:
        self.spec = spec
        self._ici = ici
        self._event_url = event_url
        self._app_id = app_id
        self._handling = handling
        self._book = book
        self._answered: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def log_in(self) -> bool:
        """The WebClient's login sequence; False when a step failed (counted as an error)."""
        user = self.spec.user_id
        queues = "".join(f"<item>{queue}</item>" for queue in self.spec.queues)
        session = {"appUrl": self._event_url, "appId": self._app_id}
        steps: tuple[tuple[str, str, dict[str, object]], ...] = (
            ("IciUser", "getAttributes", {"userId": user}),
            ("IciUser", "setCurrentWorkmode", {"userId": user, "workmode": NOT_READY}),
            ("IciUser", "setCurrentChannels",
             {"userId": user, "channels": f"<item>{PHONE_CHANNEL}</item>"}),
            ("IciUser", "setCurrentQueues", {"userId": user, "queues": queues}),
            ("IciUser", "setAddresses", {"userId": user, "addresses": ""}),
            ("IciUser", "subscribe", {**session, "userId": user}),
            ("IciContainer", "subscribe",
             {**session, "channelType": PHONE_CHANNEL, "containerId": self.spec.line}),
            ("IciUser", "setCurrentWorkmode", {"userId": user, "workmode": READY}),
        )  # fmt: skip
        for interface, operation, parts in steps:
            if await self._ici.call(interface, operation, **parts) is None:
                return False
        return True

    def on_event(self, event: CrmEvent) -> None:
        if event.operation != "phoneCallChanged":
            return
        handle = event.text("phoneCall/callHandle") or ""
        status = event.text("phoneCall/callStatus/id")
        if status == str(ALERTING) and handle not in self._answered:
            self._answered.add(handle)
            self._book.times(handle).alerted = event.received_perf
            task = asyncio.create_task(self._answer(handle))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _answer(self, handle: str) -> None:
        line = self.spec.line
        times = self._book.times(handle)
        if await self._ici.call("IciItem", "accept", itemId=handle, containerId=line) is None:
            return
        times.connected = time.perf_counter()
        await asyncio.sleep(self._handling.talk_s)
        if await self._ici.call("IciPhoneCall", "drop", lineNumber=line, callHandle=handle) is None:
            return
        await asyncio.sleep(self._handling.wrap_up_s)
        if await self._ici.call("IciItem", "wrapUpEnded", itemId=handle) is None:
            return
        self._book.finished(handle, time.perf_counter())

    async def heartbeat(self, stop: asyncio.Event) -> None:
        period = self._handling.heartbeat_s
        # Spread the agents' pings over the period, as their logins were.
        await asyncio.sleep(random.uniform(0, period))
        while not stop.is_set():
            await self._ici.call(
                "IciUser", "getAttributes", label="IciUser.getAttributes(cmsPing)",
                userId=self.spec.user_id, cmsPing="TRUE",
            )  # fmt: skip
            try:
                await asyncio.wait_for(stop.wait(), period)
            except TimeoutError:
                continue


def phone_agents(
    handling: Handling, book: CallBook
) -> Callable[[AgentSpec, IciClient, str, str], AgentSession]:
    """A :class:`AgentSession` per agent, as :func:`bench.fleet.fleet_of` makes them."""

    def session(spec: AgentSpec, ici: IciClient, event_url: str, app_id: str) -> AgentSession:
        return AgentSession(spec, ici, event_url, app_id, handling, book)

    return session
