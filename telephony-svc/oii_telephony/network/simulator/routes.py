"""HTTP API of the simulated telephone network (also served through the gateway).

Its contract, models and OpenAPI description are ``oii_shared.simulator_api``; here each
of its operations is bound to telephony. Errors are JSON ``{"error": "..."}`` with a 4xx
status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from oii_shared.service.json_api import api_error, api_routes, read_model
from oii_shared.simulator_api import (
    HANG_UP,
    PLACE_CALL,
    SIMULATOR_API,
    CallHungUp,
    CallPlaced,
    PlaceCall,
)
from oii_telephony.network.port import UnknownDestination

# A call request is two phone numbers; anything much larger is not one.
MAX_BODY_BYTES = 4096


class SimulatedCalls(Protocol):
    async def call_in(self, caller: str, called: str) -> str:
        """Place an inbound call; its handle. Raises UnknownDestination."""

    async def hang_up(self, party_id: str) -> bool:
        """The party hangs up; ``False`` if it has no call."""


def simulator_routes(calls: Callable[[], SimulatedCalls]) -> list[APIRoute]:
    async def place(request: Request) -> Response:
        call = await read_model(request, PlaceCall, MAX_BODY_BYTES)
        if isinstance(call, JSONResponse):
            return call
        called = call.called.strip()
        try:
            handle = await calls().call_in(call.caller.strip(), called)
        except UnknownDestination:
            return api_error(404, f"no phone queue or phone line has the number {called!r}")
        return JSONResponse(CallPlaced(callHandle=handle).model_dump(), status_code=201)

    async def hang_up(request: Request) -> Response:
        handle = str(request.path_params["call_handle"]).strip().upper()
        if not await calls().hang_up(handle):
            return api_error(404, f"no simulated party {handle} is in a call")
        return JSONResponse(CallHungUp(callHandle=handle).model_dump())

    return api_routes(SIMULATOR_API, {PLACE_CALL: place, HANG_UP: hang_up})
