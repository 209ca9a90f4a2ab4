"""action-svc's real composition for its tests, and what they do to it.

Agents become ready by their agent record, as the gateway writes it; the events
published are collected from the events stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from oii_action.items.records import ActionRecords
from oii_action.main import compose_action
from oii_action.settings import ActionSettings
from oii_shared.agents.state import AgentState
from oii_shared.agents.store import AgentStore
from oii_shared.bus.events import decode_event
from oii_shared.bus.ici_events import ICI_EVENT_TYPES, ActionItemChanged, IciEvent
from oii_shared.bus.topology import AGENTS_BUCKET, EVENTS_STREAM
from oii_shared.db.engine import session_factory
from oii_shared.db.models import ModuleParameter
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import Interface
from oii_shared.ici.tables import Workmode
from oii_shared.service.infrastructure import Infrastructure, open_infrastructure
from oii_shared.service.logs import LastErrorHandler
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall

WAIT_S = 10.0
CONFIG: dict[str, Any] = {
    "parameters": {"OII.Action": 1, "OII.CheckDuplicateActionItem": 1},
    "queues": [{"id": "ERMS@X.EXAMPLE", "channel": "email"}],
    "users": [{"id": name, "queues": ["ERMS@X.EXAMPLE"]} for name in ("ANNA", "BOB")],
}


class ActionHarness:
    def __init__(
        self, infra: Infrastructure, handlers: dict[HandlerKey, Handler], records: ActionRecords
    ) -> None:
        self.infra = infra
        self.handlers = handlers
        self.records = records
        self.events: list[IciEvent] = []
        self.news = asyncio.Event()

    async def call(self, interface: Interface, name: str, **args: Any) -> Any:
        operation = ici_registry().find(interface, name)
        assert operation is not None
        return await self.handlers[(interface, name)](SoapCall(operation, name, args, None))  # type: ignore[arg-type]

    async def route(self, *attributes: tuple[str, str], process_id: str = "") -> str:
        item_data = {
            "processId": process_id,
            "actionItemAttributes": [{"id": n, "description": v} for n, v in attributes],
        }
        answer = await self.call(Interface.ACTION_ITEM, "route", itemData=item_data)
        item_id: str = answer["response"]["actionItemID"]
        return item_id

    async def set_parameters(self, **values: str) -> None:
        """Module parameters as the admin sets them: in the database, then a reload."""
        async with session_factory(self.infra.engine)() as session, session.begin():
            for name, value in values.items():
                await session.merge(ModuleParameter(name=name.replace("_", "."), value=value))
        await self.infra.configuration.reload()

    async def ready(self, user_id: str, idle_since: float = 1.0) -> None:
        def mutate(_: AgentState | None) -> AgentState:
            return AgentState(
                user_id=user_id,
                workmode=Workmode.READY.value,
                active_queues=("ERMS@X.EXAMPLE",),
                last_idle_at=idle_since,
            )

        await AgentStore(await self.infra.js.key_value(AGENTS_BUCKET)).update(user_id, mutate)

    def seen(self, item_id: str) -> list[tuple[str, int]]:
        """(inbox, actionStatus id) of the item's events so far."""
        return [
            (event.container_id, int(event.action_session["actionStatus"]["id"]))
            for event in self.events
            if isinstance(event, ActionItemChanged) and event.action_item_id == item_id
        ]

    async def until(self, condition: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT_S):
            while not condition():
                self.news.clear()
                await self.news.wait()


# Starts action-svc (again) on a new nats-server; keyword arguments are ActionSettings.
StartAction = Callable[..., Awaitable[ActionHarness]]


@asynccontextmanager
async def running_action(settings: ActionSettings) -> AsyncIterator[ActionHarness]:
    async with (
        open_infrastructure(settings, LastErrorHandler()) as infra,
        AsyncExitStack() as stack,
    ):
        records = ActionRecords(infra.engine)
        handlers = await compose_action(infra, stack, settings)
        harness = ActionHarness(infra, handlers, records)

        async def collect(msg: Any) -> None:
            event = decode_event(msg.data, ICI_EVENT_TYPES)
            if event is not None:
                harness.events.append(event)
                harness.news.set()

        subscription = await infra.js.subscribe(
            "oii.events.ici.>", stream=EVENTS_STREAM, cb=collect, ordered_consumer=True
        )
        try:
            yield harness
        finally:
            await subscription.unsubscribe()
