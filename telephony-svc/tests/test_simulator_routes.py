"""The simulated network's HTTP API on telephony-svc: statuses and JSON error bodies.

The routes run in a FastAPI app over httpx's ASGI transport, on a stand-in for the
telephony engine that knows one destination and one party.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from oii_shared.service.json_api import json_errors_under_api
from oii_telephony.network.port import UnknownDestination
from oii_telephony.network.simulator.routes import MAX_BODY_BYTES, simulator_routes

HANDLE = "AB" * 16


class Calls:
    def __init__(self) -> None:
        self.placed: list[tuple[str, str]] = []

    async def call_in(self, caller: str, called: str) -> str:
        if called != "2001":
            raise UnknownDestination(called)
        self.placed.append((caller, called))
        return HANDLE

    async def hang_up(self, party_id: str) -> bool:
        return party_id == HANDLE


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def client(calls: Calls) -> httpx.AsyncClient:
    app = FastAPI(openapi_url=None)
    app.router.routes.extend(simulator_routes(lambda: calls))
    json_errors_under_api(app)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://telephony")


async def test_a_call_is_placed_with_its_numbers_stripped(
    client: httpx.AsyncClient, calls: Calls
) -> None:
    answer = await client.post("/api/v1/sim/calls", json={"from": " +4930 ", "to": "2001\n"})
    assert answer.status_code == 201 and answer.json() == {"callHandle": HANDLE}
    assert calls.placed == [("+4930", "2001")]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe", 400),
        (b"", 400),
        (b"[1, 2]", 400),
        (b'"text"', 400),
        (b'{"from": "0301"}', 422),
        (b'{"to": "2001"}', 422),
        (b'{"from": 301, "to": "2001"}', 422),
        (b'{"from": "abc", "to": "2001"}', 422),
        (b'{"from": "+", "to": "2001"}', 422),
        (b'{"from": "\\u0661", "to": "2001"}', 422),
        (b'{"from": "0301", "to": "   "}', 422),
        (b'{"from": "0301", "to": null}', 422),
        (b'{"from": "0301", "to": "2001", "extra": 1}', 422),
        (b'{"from": "0301", "to": "9999"}', 404),
        (b" " * (MAX_BODY_BYTES + 1), 413),
    ],
)
async def test_every_bad_call_request_is_a_4xx_with_a_json_error(
    client: httpx.AsyncClient, body: bytes, status: int
) -> None:
    answer = await client.post("/api/v1/sim/calls", content=body)
    assert answer.status_code == status, answer.text
    assert isinstance(answer.json()["error"], str)


async def test_hang_up(client: httpx.AsyncClient) -> None:
    answer = await client.post(f"/api/v1/sim/calls/{HANDLE.lower()}/hangup")
    assert answer.status_code == 200
    assert answer.json() == {"callHandle": HANDLE, "hungUp": True}
    unknown = await client.post("/api/v1/sim/calls/nobody/hangup")
    assert unknown.status_code == 404 and "error" in unknown.json()


async def test_other_methods_and_paths_are_json_errors(client: httpx.AsyncClient) -> None:
    wrong_method = await client.get("/api/v1/sim/calls")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
    assert wrong_method.json() == {"error": "Method Not Allowed"}
    nowhere = await client.post("/api/v1/sim/nothing")
    assert nowhere.status_code == 404 and nowhere.json() == {"error": "Not Found"}
