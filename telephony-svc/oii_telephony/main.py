"""Composition root of the telephony service: phone calls, their routing, the simulated network.

Answers IciPhoneLine, IciPhoneCall, IciItem for calls and (through the callbacks
package) IciSystem's callback and recording operations; serves the simulated
telephone network's HTTP API under ``/api/v1/sim``.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass

from fastapi import FastAPI

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
from oii_shared.service.json_api import json_errors_under_api
from oii_shared.service.logs import LastErrorHandler
from oii_shared.service.runner import run_service
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_telephony.callbacks.wiring import compose_callbacks
from oii_telephony.calls.callback_calls import report_outcomes
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.core import CallCore, PhoneItems
from oii_telephony.calls.events import CallEvents
from oii_telephony.calls.recorded import RecordingFollower
from oii_telephony.calls.resume import resume_calls
from oii_telephony.calls.service import Telephony
from oii_telephony.calls.store import CallStore, open_calls_bucket
from oii_telephony.commands import serve_drop_calls
from oii_telephony.handlers.items import call_item_handlers
from oii_telephony.handlers.phone_call import phone_call_handlers
from oii_telephony.handlers.phone_line import phone_line_handlers
from oii_telephony.lines.directory import Directory
from oii_telephony.network.simulator.config import simulator_rules
from oii_telephony.network.simulator.network import SimulatedNetwork
from oii_telephony.network.simulator.routes import SimulatedCalls, simulator_routes
from oii_telephony.recordings.writer import RecordingWriter
from oii_telephony.routing.follow_calls import WaitingFollower
from oii_telephony.routing.offers import CallOffers
from oii_telephony.settings import TelephonySettings


@dataclass(slots=True)
class TelephonyParts:
    """What the lifespan builds and the simulator routes use."""

    telephony: Telephony | None = None

    def calls(self) -> SimulatedCalls:
        assert self.telephony is not None, "the lifespan builds telephony before serving"
        return self.telephony


async def compose_telephony(
    infra: Infrastructure, stack: AsyncExitStack, parts: TelephonyParts, settings: TelephonySettings
) -> dict[HandlerKey, Handler]:
    js = infra.js
    calls_kv = await open_calls_bucket(js)
    directory = Directory()
    directory.apply(infra.configuration.current)
    built: list[Telephony] = []
    # The network reports to the engine, which is built on the network: it gets the
    # engine from this provider, once the engine exists (before any call is placed).
    network = SimulatedNetwork(simulator_rules(settings), lambda: built[0])
    stack.push_async_callback(network.close)
    events = CallEvents(js)
    agents_kv = await js.key_value(AGENTS_BUCKET)
    contacts = AgentContacts(AgentStore(agents_kv), Channel.PHONE)
    store = CallStore(js, calls_kv)
    await store.start(stack)
    core = CallCore(store, PhoneItems(events, directory), contacts)
    wake = asyncio.Event()
    waiting = WaitingStore(Channel.PHONE, await js.key_value(QUEUES_BUCKET), calls_kv)
    ctx = CallContext(core, store, directory, network, waiting, settings, kick=wake.set)
    telephony = Telephony.build(ctx)
    built.append(telephony)
    stack.push_async_callback(telephony.dialing.close)
    core.listen(WaitingFollower(ctx))
    recordings = RecordingWriter(infra.engine)
    await recordings.start(stack)
    core.listen(RecordingFollower(recordings))

    await start_dispatcher(
        stack,
        name="call_routing",
        system_kv=await js.key_value(SYSTEM_BUCKET),
        health=infra.health,
        wake=wake,
        waiting_store=waiting,
        contacts=contacts,
        config=lambda: directory.routing,
        port=CallOffers(telephony.arrivals, telephony.callbacks),
        alert_timeout_s=lambda: ctx.settings.alert_timeout_ms / 1000,
        clock=ctx.now,
    )

    await serve_drop_calls(infra.nats, telephony.drop_user_calls, stack)
    await infra.configuration.listen(containers_follow(js, Channel.PHONE, directory.apply))
    callbacks = await compose_callbacks(infra, stack, telephony.callbacks)
    core.listen(report_outcomes(callbacks.service))
    # Last: the calls resumed report to everything built above.
    await resume_calls(ctx, telephony.dialing)
    parts.telephony = telephony
    return {
        **call_item_handlers(telephony),
        **phone_call_handlers(telephony),
        **phone_line_handlers(telephony),
        **callbacks.handlers,
    }


def create_app(settings: TelephonySettings, last_error: LastErrorHandler) -> FastAPI:
    parts = TelephonyParts()

    async def compose(infra: Infrastructure, stack: AsyncExitStack) -> dict[HandlerKey, Handler]:
        return await compose_telephony(infra, stack, parts, settings)

    app = service_app(settings, last_error, owner=Owner.TELEPHONY, compose=compose)
    app.router.routes.extend(simulator_routes(parts.calls))
    json_errors_under_api(app)
    return app


def main() -> None:
    run_service(TelephonySettings(service="telephony"), create_app)
