"""The agents of a benchmark: a generated contact center on its own embedded stack,
one IC WebClient session per agent with its own CRM event URL, and their login.

What a session does is the mode's: :func:`agent_fleet` runs the phone agents of
:mod:`bench.agents`, :func:`fleet_of` the sessions its ``sessions`` makes."""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

import aiohttp

from bench.agents import AgentSession, CallBook, Handling, phone_agents
from bench.contact_center import AgentSpec, ContactCenter
from bench.crm_endpoints import CrmEndpoints
from bench.ici_client import IciClient
from bench.measures import Measures
from bench.stack import running_stack
from oii_shared.crm_stand_in import CrmEvent
from oii_shared.embedded.stackfile import StackInfo


class FleetSession(Protocol):
    async def log_in(self) -> bool: ...

    def on_event(self, event: CrmEvent) -> None: ...


S = TypeVar("S", bound=FleetSession)
# (agent, client, its CRM event URL, its appId) -> its session
SessionFactory = Callable[[AgentSpec, IciClient, str, str], S]


@dataclass
class Fleet(Generic[S]):
    info: StackInfo
    http: aiohttp.ClientSession
    ici: IciClient
    endpoints: CrmEndpoints
    sessions: list[S]

    async def log_in(self, concurrency: int) -> tuple[int, float]:
        """Every agent logs in, ``concurrency`` at a time: how many failed, and the seconds."""
        gate = asyncio.Semaphore(concurrency)

        async def one(session: S) -> bool:
            async with gate:
                return await session.log_in()

        started = time.perf_counter()
        results = await asyncio.gather(*(one(session) for session in self.sessions))
        return results.count(False), time.perf_counter() - started


@asynccontextmanager
async def agent_fleet(
    center: ContactCenter,
    *,
    handling: Handling,
    book: CallBook,
    measures: Measures,
    crm_servers: int,
    connections: int,
) -> AsyncIterator[Fleet[AgentSession]]:
    """The phone agents of :mod:`bench.agents` (busy hour, login storm)."""
    async with fleet_of(
        center,
        sessions=phone_agents(handling, book),
        measures=measures,
        crm_servers=crm_servers,
        connections=connections,
    ) as fleet:
        yield fleet


@asynccontextmanager
async def fleet_of(
    center: ContactCenter,
    *,
    sessions: SessionFactory[S],
    measures: Measures,
    crm_servers: int,
    connections: int,
) -> AsyncIterator[Fleet[S]]:
    with tempfile.TemporaryDirectory(prefix="oii-bench-") as tmp:
        config = center.write(Path(tmp) / "contact-center.yaml")
        with running_stack(Path(tmp), {"OII_CONFIG": str(config)}) as info:
            async with AsyncExitStack() as stack:
                endpoints = CrmEndpoints(crm_servers)
                await endpoints.start(stack)
                http = await stack.enter_async_context(
                    aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections))
                )
                ici = IciClient(http, info.gateway_url, measures)
                made = [
                    sessions(spec, ici, endpoints.url_for(n), str(uuid.uuid4()))
                    for n, spec in enumerate(center.agents)
                ]
                for number, session in enumerate(made):
                    endpoints.deliver_to(number, session.on_event)
                yield Fleet(info, http, ici, endpoints, made)
