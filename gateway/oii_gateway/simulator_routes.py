"""The simulated telephone network's HTTP API (``/api/v1/sim/...``), passed on to telephony-svc.

So a user needs only the gateway's URL to place and hang up simulated calls.
The body is bounded before it is read in full; answers (JSON) come back as
telephony-svc gave them. Only clients allowed to call the SOAP endpoints
(``OII_SOAP_ALLOW``) may use it.
"""

from __future__ import annotations

import logging

import aiohttp
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from oii_gateway.security import ClientFilter
from oii_shared.service.soap_endpoint import read_limited_body
from oii_shared.settings import Settings
from oii_shared.soap.faults import IciFault

log = logging.getLogger(__name__)

SIM_PATH = "/api/v1/sim/{rest:path}"
# A simulated call request is two phone numbers; telephony-svc applies its own, smaller limit.
MAX_BODY_BYTES = 64 * 1024


def _error(status: int, text: str) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


def add_simulator_routes(app: FastAPI, settings: Settings) -> None:
    clients = ClientFilter(settings.soap_allow)
    base = settings.telephony_url.rstrip("/")
    timeout = aiohttp.ClientTimeout(total=settings.forward_timeout_ms / 1000)

    async def passthrough(request: Request) -> Response:
        if not clients.allows_request(request):
            return _error(403, "client address not allowed")
        try:
            body = await read_limited_body(request, MAX_BODY_BYTES)
        except IciFault:
            return _error(413, f"the request body exceeds {MAX_BODY_BYTES} bytes")
        if not base:
            return _error(503, "no address configured for telephony")
        headers = {"Content-Type": request.headers.get("content-type", "application/json")}
        try:
            # Not a hot path: a session per request keeps this route free of lifespan state.
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    base + request.url.path, data=body, headers=headers, timeout=timeout
                ) as answer,
            ):
                content = await answer.read()
                media_type = answer.headers.get("Content-Type", "application/json")
                status = answer.status
        except TimeoutError:
            return _error(504, "telephony did not answer in time")
        except aiohttp.ClientError as error:
            log.warning("simulator request to telephony failed: %s", error)
            return _error(502, "telephony is unavailable")
        return Response(content, status_code=status, media_type=media_type)

    app.add_route(SIM_PATH, passthrough, methods=["POST"])
