"""The real call engine for telephony's tests: a Harness over ``compose_telephony``.

``conftest`` builds it on a nats-server of the test alone and a copy of a database
loaded with ``CONFIG``; tests import ``LINES`` and ``Harness`` from here (the name
``conftest`` belongs to the stack tests when the whole suite runs).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from oii_shared.agents.state import AgentState
from oii_shared.agents.store import AgentStore
from oii_shared.bus.ici_events import IciEvent, PhoneCallChanged
from oii_shared.bus.topology import AGENTS_BUCKET
from oii_shared.db.engine import session_factory
from oii_shared.db.models import ModuleParameter
from oii_shared.ici.tables import Workmode
from oii_shared.service.infrastructure import Infrastructure, open_infrastructure
from oii_shared.service.logs import LastErrorHandler
from oii_telephony.calls.model import Leg
from oii_telephony.calls.service import Telephony
from oii_telephony.main import TelephonyParts, compose_telephony
from oii_telephony.settings import TelephonySettings

# Agents A..F on lines +201..+206; queue 3001 is served by all, 3002 by A and B only.
CONFIG: dict[str, Any] = {
    "queues": [
        {"id": "3001", "name": "Sales", "channel": "phone"},
        {"id": "3002", "name": "Support", "channel": "phone", "skills": {"German": 3}},
        {"id": "3003", "name": "Closed", "channel": "phone", "enabled": False},
    ],
    "users": [
        {"id": name, "phone": f"+20{index}", "queues": ["3001", "3002", "3003"],
         "skills": {"German": 4} if name in ("A", "B") else {}}
        for index, name in enumerate("ABCDEF", start=1)
    ],
    "simulator": {"busy": ["+4930555000"], "no_answer": ["+4930555111"]},
}  # fmt: skip
LINES = {name: f"+20{index}" for index, name in enumerate("ABCDEF", start=1)}


@asynccontextmanager
async def running_engine(
    settings: TelephonySettings,
) -> AsyncIterator[tuple[Infrastructure, Telephony]]:
    """telephony-svc's composition, without HTTP, on the nats-server and database of settings."""
    async with (
        open_infrastructure(settings, LastErrorHandler()) as infra,
        AsyncExitStack() as stack,
    ):
        parts = TelephonyParts()
        await compose_telephony(infra, stack, parts, settings)
        assert parts.telephony is not None
        yield infra, parts.telephony


@asynccontextmanager
async def another_engine(h: Harness, name: str, **settings: Any) -> AsyncIterator[Telephony]:
    """Another telephony-svc process (a replica) on the harness's nats-server and database."""
    changed = h.telephony.ctx.settings.model_copy(update={"service": name, **settings})
    async with running_engine(changed) as (_, telephony):
        yield telephony


class Harness:
    def __init__(self, infra: Infrastructure, telephony: Telephony) -> None:
        self.infra = infra
        self.telephony = telephony
        self.events: list[IciEvent] = []

    @property
    def store(self) -> Any:
        return self.telephony.ctx.store

    async def set_parameters(self, **values: str) -> None:
        """Module parameters as the admin sets them: in the database, then a reload."""
        async with session_factory(self.infra.engine)() as session, session.begin():
            for name, value in values.items():
                await session.merge(ModuleParameter(name=name.replace("_", "."), value=value))
        await self.infra.configuration.reload()

    async def ready(self, *names: str, queues: tuple[str, ...] = ("3001", "3002"),
                    idle_since: float = 0.0) -> None:  # fmt: skip
        agents = AgentStore(await self.infra.js.key_value(AGENTS_BUCKET))
        for offset, name in enumerate(names):
            state = AgentState(
                user_id=name,
                workmode=Workmode.READY.value,
                active_queues=queues,
                last_idle_at=idle_since + offset,
            )
            await agents.update(name, lambda current, state=state: state)
        self.telephony.ctx.kick()

    async def agent(self, name: str) -> AgentState | None:
        agents = AgentStore(await self.infra.js.key_value(AGENTS_BUCKET))
        return await agents.get(name)

    async def leg(self, handle: str) -> Leg | None:
        leg: Leg | None = await self.store.get(handle)
        return leg

    async def wait(self, condition: Callable[[], Any], what: str, within: float = 5.0) -> Any:
        deadline = asyncio.get_running_loop().time() + within
        while True:
            value = condition()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"not within {within} s: {what}")
            await asyncio.sleep(0.02)

    async def wait_leg(self, handle: str, check: Callable[[Leg], bool], what: str) -> Leg:
        async def found() -> Leg | None:
            leg = await self.leg(handle)
            return leg if leg is not None and check(leg) else None

        leg: Leg = await self.wait(found, f"call {handle}: {what}")
        return leg

    async def on_line(self, name: str) -> list[Leg]:
        legs: list[Leg] = await self.store.in_container(LINES[name])
        return legs

    async def alerting_on(self, name: str) -> Leg:
        async def found() -> Leg | None:
            return next((leg for leg in await self.on_line(name) if leg.phase == "alerting"), None)

        leg: Leg = await self.wait(found, f"a call alerting on {name}")
        return leg

    def call_events(self, handle: str) -> list[PhoneCallChanged]:
        return [
            event
            for event in self.events
            if isinstance(event, PhoneCallChanged) and event.phone_call["callHandle"] == handle
        ]
