"""The FastAPI application every service is built on.

Each service's composition root calls ``service_app`` with what it owns and a
``compose`` function that builds its parts from the infrastructure once the
lifespan has opened it. Its SOAP POSTs are answered on the raw ASGI fast path
(``app.soap``, see asgi_soap.py), in front of FastAPI's middleware and router.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from oii_shared import PRODUCT_VERSION
from oii_shared.channels import CHANNEL_OWNERS
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import Interface, Owner
from oii_shared.paths import LIVEZ
from oii_shared.service.asgi_soap import SoapRoutes
from oii_shared.service.client_filter import ClientFilter
from oii_shared.service.health import summarize
from oii_shared.service.infrastructure import Infrastructure, open_infrastructure
from oii_shared.service.internal import InternalCallers, has_token, internal_callers
from oii_shared.service.logs import LastErrorHandler
from oii_shared.service.soap_endpoint import Handler, HandlerKey, SoapDispatcher, soap_endpoint
from oii_shared.settings import Settings

Composer = Callable[[Infrastructure, AsyncExitStack], Awaitable[Mapping[HandlerKey, Handler]]]


def served_owners(owner: Owner) -> frozenset[Owner]:
    """Channel services also answer the IciItem operations of their own items."""
    if owner in CHANNEL_OWNERS:
        return frozenset({owner, Owner.ITEM_OWNER})
    return frozenset({owner})


def served_interfaces(owners: frozenset[Owner]) -> tuple[Interface, ...]:
    seen = {op.interface for op in ici_registry().operations if op.owner in owners}
    return tuple(sorted(seen, key=lambda interface: interface.value))


class ServiceApp(FastAPI):
    """FastAPI, with the POSTs to the exact paths of ``soap`` served before anything else.

    An internal service (``callers`` set) answers only requests that carry the gateway's
    token, and ``GET /healthz`` (the probes of the supervisor and of compose).
    """

    soap: SoapRoutes  # set by service_app
    callers: InternalCallers | None = None  # set by service_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.callers is not None and not self.callers.admits(scope):
            await self.callers.refuse(scope, receive, send, self.soap.match(scope) is not None)
            return
        endpoint = self.soap.match(scope)
        if endpoint is None:
            await super().__call__(scope, receive, send)
        else:
            await self.soap.serve(endpoint, scope, receive, send)


def health_details_rule(settings: Settings, owner: Owner) -> Callable[[Request], bool]:
    """Who sees what /healthz says beyond ok or fail (errors, versions, servers).

    The gateway's callers with the internal token, and the clients of OII_SOAP_ALLOW at
    the gateway (like its status page); at an internal service only the token holders.
    """
    token = settings.internal_token.encode()
    clients = ClientFilter(settings.soap_allow)
    internal = owner is not Owner.GATEWAY and bool(token)

    def shows_details(request: Request) -> bool:
        if token and has_token(request.scope, token):
            return True
        return not internal and clients.allows_request(request)

    return shows_details


def service_app(
    settings: Settings,
    last_error: LastErrorHandler,
    *,
    owner: Owner,
    compose: Composer | None = None,
    soap_routes: bool = True,
) -> ServiceApp:
    """The app of a service; ``soap_routes`` puts its dispatcher's interfaces on ``app.soap``."""
    owners = served_owners(owner)
    dispatcher = SoapDispatcher(ici_registry(), owners)
    started_at = time.time()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_infrastructure(settings, last_error) as infra, AsyncExitStack() as stack:
            app.state.infra = infra
            if compose is not None:
                dispatcher.install(await compose(infra, stack))
            logging.getLogger(__name__).info(
                "%s ready on %s:%s", settings.service, settings.host, settings.port
            )
            yield

    app = ServiceApp(
        title=f"OII {settings.service}",
        version=PRODUCT_VERSION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.dispatcher = dispatcher
    app.soap = SoapRoutes(settings.max_body_bytes)
    if owner is not Owner.GATEWAY:
        app.callers = internal_callers(settings)
    if soap_routes:
        for interface in served_interfaces(owners):
            app.soap.add(
                interface.service_path,
                soap_endpoint(dispatcher, interface, settings.max_body_bytes),
            )

    shows_details = health_details_rule(settings, owner)

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        infra: Infrastructure = request.app.state.infra
        ok, body = summarize(await infra.health.collect())
        if not shows_details(request):
            return JSONResponse({"status": body["status"]}, status_code=200 if ok else 503)
        last = infra.last_error.last
        body.update(
            service=settings.service,
            version=PRODUCT_VERSION,
            uptime_s=round(time.time() - started_at, 1),
            log_level=logging.getLevelName(logging.getLogger().level),
            last_error={"at": last.at, "text": last.text, "count": last.count},
        )
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get(LIVEZ)
    async def livez(request: Request) -> JSONResponse:
        """Up and working, even while the admin has stopped the integration (/healthz: 503)."""
        infra: Infrastructure = request.app.state.infra
        alive = infra.health.alive(await infra.health.collect())
        return JSONResponse(
            {"status": "ok" if alive else "fail"}, status_code=200 if alive else 503
        )

    return app
