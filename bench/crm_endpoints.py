"""CRM's event endpoints in the benchmark process: a few real HTTP servers, one URL
per agent, each event handed to its agent and timed from the change it reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import AsyncExitStack

from oii_shared.bus.ici_events import EVENT_TIME_HEADER
from oii_shared.crm_stand_in import CrmEvent, CrmStandIn

EventHandler = Callable[[CrmEvent], None]


class CrmEndpoints:
    def __init__(self, servers: int) -> None:
        self._stand_ins = [CrmStandIn(keep=False, on_event=self._received) for _ in range(servers)]
        self._handlers: dict[str, EventHandler] = {}
        self.recording = True
        self.received: Counter[str] = Counter()
        self.latencies_s: list[float] = []
        self.untimed = 0

    async def start(self, stack: AsyncExitStack) -> None:
        for stand_in in self._stand_ins:
            await stack.enter_async_context(stand_in)

    def url_for(self, number: int) -> str:
        return self._stand_ins[number % len(self._stand_ins)].url(f"/crm/{number}")

    def deliver_to(self, number: int, handler: EventHandler) -> None:
        self._handlers[f"/crm/{number}"] = handler

    def _received(self, event: CrmEvent) -> None:
        handler = self._handlers.get(event.path)
        if handler is not None:
            handler(event)
        if not self.recording:
            return
        self.received[event.operation] += 1
        stamp = event.headers.get(EVENT_TIME_HEADER)
        if stamp is None:
            self.untimed += 1
        else:
            self.latencies_s.append(event.received_at - float(stamp))

    def reset(self) -> None:
        self.received.clear()
        self.latencies_s.clear()
        self.untimed = 0
