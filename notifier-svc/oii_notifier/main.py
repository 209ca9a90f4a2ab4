"""Composition root of the notifier service: the only component that calls CRM.

It consumes the ICI domain events of the ``OII_EVENTS`` stream, finds the
subscription sessions of each event's target (KV ``oii_subscriptions``, kept
by a watch) and POSTs IciEvent SOAP messages to their appUrls, with the URL
rules, per-session order, retries and TLS settings of spec 4.2 and 4.4.
It serves no ICI operation of its own.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass

import aiohttp
from fastapi import FastAPI
from nats.aio.client import Client as NATS
from starlette.requests import Request
from starlette.responses import JSONResponse

from oii_notifier.config import ConfigHolder, delivery_config, follow_delivery_config
from oii_notifier.consumer import EventConsumer
from oii_notifier.index import SubscriptionFollower, SubscriptionIndex
from oii_notifier.lanes import Lanes
from oii_notifier.notices import SubscriptionEndedNotices
from oii_notifier.planner import CachedUrlGuard, DeliveryPlanner
from oii_notifier.sender import Sender, client_session
from oii_notifier.service import Notifier
from oii_notifier.settings import NotifierSettings
from oii_notifier.stats import DeliveryStats
from oii_notifier.url_rules import ReverseDns
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET, SYSTEM_BUCKET
from oii_shared.ici.schema import Owner
from oii_shared.paths import END_SESSIONS
from oii_shared.run_state import RunStateFollower
from oii_shared.service.app import service_app
from oii_shared.service.infrastructure import Infrastructure
from oii_shared.service.logs import LastErrorHandler
from oii_shared.service.runner import run_service
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.subscriptions.url_guard import event_url_guard

# All sessions usually live on one CRM host: no per-host limit, a generous total.


@dataclass(slots=True)
class NotifierParts:
    """What the lifespan builds and the internal route uses."""

    notifier: Notifier | None = None


def create_app(settings: NotifierSettings, last_error: LastErrorHandler) -> FastAPI:
    parts = NotifierParts()

    async def compose(infra: Infrastructure, stack: AsyncExitStack) -> dict[HandlerKey, Handler]:
        reverse_dns = ReverseDns()
        configuration = infra.configuration
        config = ConfigHolder(
            delivery_config(settings, configuration.current.parameters, reverse_dns)
        )
        await configuration.listen(follow_delivery_config(config, settings, reverse_dns))
        session = await stack.enter_async_context(client_session())
        notifier = await assemble(settings, infra.nats, config, session)
        stack.push_async_callback(notifier.stop)
        await notifier.start()
        infra.health.register("delivery", notifier.health)
        parts.notifier = notifier
        return {}

    app = service_app(settings, last_error, owner=Owner.NOTIFIER, compose=compose)

    async def end_sessions(_request: Request) -> JSONResponse:
        """The operator stops the suite (the embedded supervisor, or `python -m
        oii_notifier.end_sessions` in compose); only the gateway's token gets here."""
        assert parts.notifier is not None, "the lifespan builds the notifier before serving"
        return JSONResponse({"sessions_ended": await parts.notifier.end_sessions()})

    app.add_route(END_SESSIONS, end_sessions, methods=["POST"])
    return app


async def assemble(
    settings: NotifierSettings,
    nats: NATS,
    config: ConfigHolder,
    session: aiohttp.ClientSession,
) -> Notifier:
    """Every part of the notifier, wired; :meth:`Notifier.start` sets it going."""
    js = nats.jetstream()
    stats = DeliveryStats()
    subscriptions = await js.key_value(SUBSCRIPTIONS_BUCKET)
    follower = SubscriptionFollower(js, subscriptions, SubscriptionIndex())
    sender = Sender(session, config, stats)
    lanes = Lanes(sender, stats)
    guard = CachedUrlGuard(event_url_guard(settings))
    planner = DeliveryPlanner(follower.index, config, guard, stats)
    notifier = Notifier(
        nats=nats,
        stats=stats,
        follower=follower,
        lanes=lanes,
        consumer=EventConsumer(js, settings, follower, planner, lanes),
        notices=SubscriptionEndedNotices(planner, lanes, sender, subscriptions),
        run_state=RunStateFollower(
            await js.key_value(SYSTEM_BUCKET), lambda mode: notifier.on_run_mode(mode)
        ),
    )
    return notifier


def main() -> None:
    run_service(NotifierSettings(service="notifier"), create_app)
