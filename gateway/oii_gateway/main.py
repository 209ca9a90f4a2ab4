"""Composition root of the gateway: builds every part and hands each its dependencies."""

from __future__ import annotations

import secrets
from contextlib import AsyncExitStack
from dataclasses import dataclass

import aiohttp
from fastapi import FastAPI
from nats.js.kv import KeyValue
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from oii_gateway.admin.authority import CSRF_KEY, AdminAuthority, CsrfTokens
from oii_gateway.admin.routes import admin_endpoints
from oii_gateway.admin.service import AdminService
from oii_gateway.agent_index import PresenceIndex
from oii_gateway.containers.handlers import container_handlers
from oii_gateway.presence.handlers import PresenceService, presence_handlers
from oii_gateway.public_api import add_public_api
from oii_gateway.routing.endpoint import SoapGateway
from oii_gateway.routing.forwarder import Forwarder
from oii_gateway.routing.passthrough import passthrough_endpoint
from oii_gateway.security import soap_filter
from oii_gateway.services_health import register_service_checks
from oii_gateway.settings import GatewaySettings
from oii_gateway.simulator_routes import simulator_routes
from oii_gateway.status.page import render_status_page
from oii_gateway.status.snapshot import take_snapshot
from oii_gateway.system.handlers import system_handlers
from oii_gateway.users.directory import DirectoryCache
from oii_gateway.users.handlers import user_handlers
from oii_gateway.users.module_guid import module_guid
from oii_gateway.users.service import UserService
from oii_gateway.users.sessions import SessionBook
from oii_gateway.wsdl_routes import wsdl_endpoint
from oii_shared.agents.store import AgentStore
from oii_shared.bus.kv import first_written
from oii_shared.bus.topology import (
    AGENTS_BUCKET,
    QUEUES_BUCKET,
    SUBSCRIPTIONS_BUCKET,
    SYSTEM_BUCKET,
)
from oii_shared.headers import EVENT_DELIVERY_HEADER
from oii_shared.ici.registry import SERVED_INTERFACES, ici_registry
from oii_shared.ici.schema import Owner
from oii_shared.paths import OII_ASMX, SAPPHONE, STATUS_PAGE
from oii_shared.run_state import RunStateFollower
from oii_shared.service.app import ServiceApp, service_app
from oii_shared.service.asgi_soap import SoapEndpoint, SoapRequest, SoapResponse
from oii_shared.service.client_filter import ClientFilter
from oii_shared.service.health import ComponentStatus, HealthCheck
from oii_shared.service.infrastructure import Infrastructure
from oii_shared.service.internal import internal_headers
from oii_shared.service.logs import LastErrorHandler
from oii_shared.service.runner import run_service
from oii_shared.service.soap_endpoint import Handler, HandlerKey, fault_response
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.subscriptions.store import SubscriptionStore
from oii_shared.subscriptions.url_guard import event_url_guard
from oii_shared.subscriptions.url_map import parse_url_map


@dataclass(slots=True)
class GatewayParts:
    """What the lifespan builds and the routes use."""

    soap: SoapGateway | None = None
    sapphone: SoapEndpoint | None = None
    admin: AdminService | None = None
    csrf_key: bytes | None = None
    infra: Infrastructure | None = None
    session: aiohttp.ClientSession | None = None

    def signing_key(self) -> bytes:
        assert self.csrf_key is not None, "the lifespan reads the key before serving"
        return self.csrf_key

    def http(self) -> aiohttp.ClientSession:
        assert self.session is not None, "the lifespan opens the session before serving"
        return self.session


def create_app(settings: GatewaySettings, last_error: LastErrorHandler) -> ServiceApp:
    registry = ici_registry()
    parts = GatewayParts()
    clients = soap_filter(settings.soap_allow)

    async def compose(infra: Infrastructure, stack: AsyncExitStack) -> dict[HandlerKey, Handler]:
        session = await stack.enter_async_context(
            aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=512, ttl_dns_cache=300),
                skip_auto_headers=("User-Agent",),
                # Forwarded requests and health checks alike: the services answer only these.
                headers=internal_headers(settings),
            )
        )
        parts.session = session
        forwarder = Forwarder(session, settings.service_urls, settings.forward_timeout_ms / 1000)
        register_service_checks(infra.health, session, settings.service_urls)
        system = await infra.js.key_value(SYSTEM_BUCKET)
        run_state = RunStateFollower(system)
        await run_state.start()
        stack.push_async_callback(run_state.stop)
        infra.health.register("integration", integration_check(run_state), liveness=False)
        parts.infra = infra
        parts.soap = SoapGateway(
            registry,
            app.state.dispatcher,
            forwarder,
            clients,
            run_state,
            settings.max_body_bytes,
        )
        parts.sapphone = passthrough_endpoint(
            forwarder, Owner.SAPPHONE, clients, settings.max_body_bytes
        )
        parts.csrf_key = await first_written(system, CSRF_KEY, lambda: secrets.token_bytes(32))
        parts.admin = AdminService(
            settings=settings,
            nats=infra.nats,
            js=infra.js,
            system=system,
            engine=infra.engine,
            run_state=run_state,
            last_error=last_error,
        )
        return {**system_handlers(), **await _agent_handlers(infra, stack, system, settings)}

    app = service_app(settings, last_error, owner=Owner.GATEWAY, compose=compose, soap_routes=False)
    _add_soap_routes(app, parts)
    add_public_api(app, clients, simulator_routes(settings, clients, parts.http))
    authority = AdminAuthority(
        ClientFilter(settings.admin_allow),
        settings.admin_tokens,
        CsrfTokens(parts.signing_key),
        settings.admin_hosts,
    )
    _add_operator_routes(app, parts, clients, authority)
    wsdl = wsdl_endpoint(registry)
    for interface in SERVED_INTERFACES:
        app.add_route(interface.service_path, wsdl, methods=["GET"])
    app.add_route("/OII/{rest:path}", _unknown_soap_path, methods=["POST"])
    return app


async def _agent_handlers(
    infra: Infrastructure, stack: AsyncExitStack, system: KeyValue, settings: GatewaySettings
) -> dict[HandlerKey, Handler]:
    """IciUser, IciContainer and the presence operations of IciSystem, on shared state."""
    directory = DirectoryCache(infra.engine, infra.configuration)
    await infra.configuration.listen(directory.apply)
    agents = await infra.js.key_value(AGENTS_BUCKET)
    presence = PresenceIndex()
    await presence.follow(agents, await infra.js.key_value(QUEUES_BUCKET), stack)
    sessions = SessionBook(
        SubscriptionStore(await infra.js.key_value(SUBSCRIPTIONS_BUCKET)),
        event_url_guard(settings),
        lambda: parse_url_map(directory.current.parameters.items("OII.MapSubscribeUrl")),
    )
    users = UserService(
        directory=directory,
        agents=AgentStore(agents),
        sessions=sessions,
        presence=presence,
        nats=infra.nats,
        js=infra.js,
        cms_host_id=await module_guid(system),
    )
    return {
        **user_handlers(users),
        **container_handlers(sessions),
        **presence_handlers(PresenceService(directory, presence)),
    }


def integration_check(run_state: RunStateFollower) -> HealthCheck:
    """Stopped by the admin (spec 3.4.1): not serving CRM, though every process is fine."""

    async def check() -> ComponentStatus:
        if run_state.stopped:
            return ComponentStatus(
                False, "stopped by the admin operation Stop", {"state": "stopped"}
            )
        return ComponentStatus(True, data={"state": "running"})

    return check


async def _unknown_soap_path(request: Request) -> Response:
    """SOAP clients get a SOAP fault, not an HTML or JSON 404 (registered last)."""
    return fault_response(IciFault(Errors.UNKNOWN_PATH, f"no ICI service at {request.url.path}"))


def _add_soap_routes(app: ServiceApp, parts: GatewayParts) -> None:
    """The SOAP POSTs CRM sends, on the fast path (other methods and paths stay with FastAPI)."""

    async def soap(request: SoapRequest) -> SoapResponse:
        assert parts.soap is not None, "the lifespan builds the gateway before serving"
        return await parts.soap.endpoint(request)

    app.soap.add(OII_ASMX, soap)
    for interface in SERVED_INTERFACES:
        app.soap.add(interface.service_path, soap)

    async def sapphone(request: SoapRequest) -> SoapResponse:
        assert parts.sapphone is not None, "the lifespan builds the gateway before serving"
        return await parts.sapphone(request)

    app.soap.add(SAPPHONE, sapphone)


def _add_operator_routes(
    app: FastAPI, parts: GatewayParts, status_clients: ClientFilter, authority: AdminAuthority
) -> None:
    def admin() -> AdminService:
        assert parts.admin is not None, "the lifespan builds the gateway before serving"
        return parts.admin

    operation, index = admin_endpoints(admin, authority)
    app.add_route(OII_ASMX + "/{operation}", operation, methods=["GET", "POST"])
    app.add_route(OII_ASMX, index, methods=["GET"])

    async def status_page(request: Request) -> Response:
        if not status_clients.allows_request(request):
            return JSONResponse({"error": "client address not allowed"}, status_code=403)
        if EVENT_DELIVERY_HEADER.lower() in request.headers:
            return JSONResponse({"error": "event deliveries never reach it"}, status_code=403)
        assert parts.infra is not None, "the lifespan builds the gateway before serving"
        snapshot = await take_snapshot(admin(), parts.infra.health)
        return HTMLResponse(render_status_page(snapshot))

    app.add_route(STATUS_PAGE, status_page, methods=["GET"])


def main() -> None:
    run_service(GatewaySettings(service="gateway"), create_app)
