"""The simulated telephone network's HTTP API (``/api/v1/sim/...``), passed on to telephony-svc.

So a user needs only the gateway's URL to place and hang up simulated calls. Each
operation of ``oii_shared.simulator_api`` is bound to one passthrough: the client checked
(``OII_SOAP_ALLOW``), the body bounded before it is read in full, then sent on; answers
(JSON) come back as telephony-svc gave them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiohttp
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from yarl import URL

from oii_gateway.settings import GatewaySettings
from oii_shared.service.client_filter import ClientFilter
from oii_shared.service.internal import internal_headers
from oii_shared.service.json_api import api_error, api_routes
from oii_shared.service.soap_endpoint import read_limited_body
from oii_shared.simulator_api import SIMULATOR_API
from oii_shared.soap.faults import IciFault

log = logging.getLogger(__name__)

# A simulated call request is two phone numbers; telephony-svc applies its own, smaller limit.
MAX_BODY_BYTES = 64 * 1024
# What the passthrough answers itself, on top of telephony's answers.
PASSTHROUGH_ERRORS = {
    403: "The client address is not in OII_SOAP_ALLOW.",
    413: "The body is larger than a call request can be.",
    502: "telephony-svc is unavailable.",
    503: "No address is configured for telephony-svc.",
    504: "telephony-svc did not answer in time.",
}


def simulator_routes(
    settings: GatewaySettings,
    clients: ClientFilter,
    session: Callable[[], aiohttp.ClientSession],
) -> list[APIRoute]:
    """``session`` gives the gateway's pooled HTTP session (the forwarder's), once built."""
    base = settings.telephony_url.rstrip("/")
    timeout = aiohttp.ClientTimeout(total=settings.forward_timeout_ms / 1000)

    async def passthrough(request: Request) -> Response:
        if not clients.allows_request(request):
            return api_error(403, "client address not allowed")
        try:
            body = await read_limited_body(request, MAX_BODY_BYTES)
        except IciFault:
            return api_error(413, f"the request body exceeds {MAX_BODY_BYTES} bytes")
        if not base:
            return api_error(503, "no address configured for telephony")
        headers = {
            "Content-Type": request.headers.get("content-type", "application/json"),
            **internal_headers(settings),
        }
        # The path as the client encoded it: a handle with "%2F" or "%3F" stays one segment.
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        url = URL(base + raw_path.decode("latin-1"), encoded=True)
        try:
            # Pooled: a simulator placing a hundred calls a second must not open as many
            # connections (each one a connect here and an accept in telephony-svc).
            async with session().post(url, data=body, headers=headers, timeout=timeout) as answer:
                content = await answer.read()
                media_type = answer.headers.get("Content-Type", "application/json")
                status = answer.status
        except TimeoutError:
            return api_error(504, "telephony did not answer in time")
        except aiohttp.ClientError as error:
            log.warning("simulator request to telephony failed: %s", error)
            return api_error(502, "telephony is unavailable")
        return Response(content, status_code=status, media_type=media_type)

    endpoints = {operation.operation_id: passthrough for operation in SIMULATOR_API}
    return api_routes(SIMULATOR_API, endpoints, PASSTHROUGH_ERRORS)
