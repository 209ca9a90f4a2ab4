"""HTTP API of the simulated telephone network (also served through the gateway).

- ``POST /api/v1/sim/calls`` ``{"from": "<caller>", "to": "<queue number or phone line>"}``:
  a customer calls; 201 ``{"callHandle": "<32 hex>"}``.
- ``POST /api/v1/sim/calls/{callHandle}/hangup``: that customer (or the party an
  agent called) hangs up; 200.

Errors are JSON ``{"error": "..."}`` with a 4xx status.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from oii_shared.service.soap_endpoint import read_limited_body
from oii_shared.soap.faults import IciFault
from oii_telephony.calls.inbound import UnknownDestination
from oii_telephony.numbers import is_caller_number

SIM_PREFIX = "/api/v1/sim"
# A call request is two phone numbers; anything much larger is not one.
MAX_BODY_BYTES = 4096


class SimulatedCalls(Protocol):
    async def call_in(self, caller: str, called: str) -> str:
        """Place an inbound call; its handle. Raises UnknownDestination."""

    async def hang_up(self, party_id: str) -> bool:
        """The party hangs up; ``False`` if it has no call."""


def _error(status: int, text: str) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


async def _json_body(request: Request) -> dict[str, Any] | JSONResponse:
    try:
        body = await read_limited_body(request, MAX_BODY_BYTES)
    except IciFault:
        return _error(413, f"the request body exceeds {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "the request body is not JSON")
    if not isinstance(data, dict):
        return _error(400, 'expected a JSON object like {"from": "+49301234", "to": "2001"}')
    return data


def simulator_routes(calls: Callable[[], SimulatedCalls]) -> list[Route]:
    async def place(request: Request) -> Response:
        data = await _json_body(request)
        if isinstance(data, JSONResponse):
            return data
        caller, called = data.get("from"), data.get("to")
        if not isinstance(caller, str) or not isinstance(called, str) or not called.strip():
            return _error(422, '"from" and "to" must be phone numbers as strings')
        if not is_caller_number(caller.strip()):
            return _error(422, f'"from" {caller!r} is not a phone number (digits, optional +)')
        try:
            handle = await calls().call_in(caller.strip(), called.strip())
        except UnknownDestination:
            return _error(404, f"no phone queue or phone line has the number {called.strip()!r}")
        return JSONResponse({"callHandle": handle}, status_code=201)

    async def hang_up(request: Request) -> Response:
        handle = str(request.path_params["call_handle"]).strip().upper()
        if not await calls().hang_up(handle):
            return _error(404, f"no simulated party {handle} is in a call")
        return JSONResponse({"callHandle": handle, "hungUp": True})

    endpoints: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = [
        (f"{SIM_PREFIX}/calls", place),
        (SIM_PREFIX + "/calls/{call_handle}/hangup", hang_up),
    ]
    return [Route(path, endpoint, methods=["POST"]) for path, endpoint in endpoints]
