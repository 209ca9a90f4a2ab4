"""Composition root of the action service: action items (IciActionItem.route, IciItem and
IciMessage.end for them), routed to agents by the channel kit."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from fastapi import FastAPI

from oii_action.context import ActionContext, ActionCore
from oii_action.directory import Directory
from oii_action.handlers import action_handlers
from oii_action.items.events import ActionEvents
from oii_action.items.handling import Handling
from oii_action.items.records import ActionRecords
from oii_action.items.store import ActionStore, open_actions_bucket
from oii_action.routing.arrivals import Arrivals
from oii_action.routing.offers import ActionOffers
from oii_action.settings import ActionSettings
from oii_shared.agents.store import AgentStore
from oii_shared.bus.topology import AGENTS_BUCKET, QUEUES_BUCKET, SYSTEM_BUCKET
from oii_shared.channels import Channel
from oii_shared.ici.schema import Owner
from oii_shared.items.containers import containers_follow
from oii_shared.routing.contacts import AgentContacts
from oii_shared.routing.running import start_dispatcher
from oii_shared.routing.waiting import WaitingStore
from oii_shared.service.app import service_app
from oii_shared.service.infrastructure import Infrastructure
from oii_shared.service.logs import LastErrorHandler
from oii_shared.service.runner import run_service
from oii_shared.service.soap_endpoint import Handler, HandlerKey


async def compose_action(
    infra: Infrastructure, stack: AsyncExitStack, settings: ActionSettings
) -> dict[HandlerKey, Handler]:
    js = infra.js
    actions_kv = await open_actions_bucket(js)
    directory = Directory()
    await infra.configuration.listen(containers_follow(js, Channel.ACTION, directory.apply))
    contacts = AgentContacts(AgentStore(await js.key_value(AGENTS_BUCKET)), Channel.ACTION)
    store = ActionStore(js, actions_kv)
    await store.start(stack)
    core = ActionCore(store, ActionEvents(js), contacts)
    records = ActionRecords(infra.engine)
    await records.start(stack)
    core.listen(records.saved)
    wake = asyncio.Event()
    waiting = WaitingStore(Channel.ACTION, await js.key_value(QUEUES_BUCKET), actions_kv)
    ctx = ActionContext(core, store, records, directory, waiting, settings, kick=wake.set)
    arrivals = Arrivals(ctx)
    handling = Handling(ctx)

    await start_dispatcher(
        stack,
        name="action_routing",
        system_kv=await js.key_value(SYSTEM_BUCKET),
        health=infra.health,
        wake=wake,
        waiting_store=waiting,
        contacts=contacts,
        config=lambda: directory.current.routing,
        port=ActionOffers(ctx),
        alert_timeout_s=lambda: settings.alert_timeout_ms / 1000,
        clock=ctx.now,
    )
    await arrivals.restore()
    return action_handlers(arrivals, handling)


def create_app(settings: ActionSettings, last_error: LastErrorHandler) -> FastAPI:
    async def compose(infra: Infrastructure, stack: AsyncExitStack) -> dict[HandlerKey, Handler]:
        return await compose_action(infra, stack, settings)

    return service_app(settings, last_error, owner=Owner.ACTION, compose=compose)


def main() -> None:
    run_service(ActionSettings(service="action"), create_app)
