"""A channel's dispatcher, started as every channel service starts it: it follows the run
state (held while the admin has stopped OII, woken at once when OII starts again) and
reports on the service's health."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack

from nats.js.kv import KeyValue

from oii_shared.routing.config import RoutingConfig
from oii_shared.routing.contacts import AgentContacts
from oii_shared.routing.dispatcher import Dispatcher, OfferPort
from oii_shared.routing.waiting import WaitingStore
from oii_shared.run_state import RunMode, RunStateFollower
from oii_shared.service.health import StatusAggregator


async def start_dispatcher(
    stack: AsyncExitStack,
    *,
    name: str,
    system_kv: KeyValue,
    health: StatusAggregator,
    wake: asyncio.Event,
    waiting_store: WaitingStore,
    contacts: AgentContacts,
    config: Callable[[], RoutingConfig],
    port: OfferPort,
    alert_timeout_s: Callable[[], float],
    clock: Callable[[], float],
) -> Dispatcher:
    """``name``: the dispatcher's component on /healthz (e.g. ``call_routing``)."""

    async def routing_follows(_mode: RunMode) -> None:
        wake.set()  # Start: what waited while stopped is offered at once

    run_state = RunStateFollower(system_kv, routing_follows)
    await run_state.start()
    stack.push_async_callback(run_state.stop)
    dispatcher = Dispatcher(
        waiting_store=waiting_store,
        contacts=contacts,
        config=config,
        port=port,
        wake=wake,
        run_state=run_state,
        alert_timeout_s=alert_timeout_s,
        clock=clock,
    )
    await dispatcher.start(stack)
    health.register(name, dispatcher.status)
    return dispatcher
