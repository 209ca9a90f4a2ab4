"""The gateway's public JSON API: its OpenAPI document and the passthrough's own answers."""

from __future__ import annotations

import httpx
import pytest

from oii_gateway.main import create_app
from oii_gateway.public_api import OPENAPI_PATH
from oii_gateway.settings import GatewaySettings
from oii_shared.service.app import ServiceApp
from oii_shared.service.logs import LastErrorHandler
from oii_shared.simulator_api import SIMULATOR_API

CRM = "10.1.2.3"
STRANGER = "192.0.2.9"


@pytest.fixture
def gateway() -> ServiceApp:
    return create_app(
        GatewaySettings(service="gateway", soap_allow="10.0.0.0/8"), LastErrorHandler()
    )


def client(app: ServiceApp, host: str = CRM) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def test_the_document_describes_every_json_route(gateway: ServiceApp) -> None:
    async with client(gateway) as crm:
        answer = await crm.get(OPENAPI_PATH)
    assert answer.status_code == 200
    document = answer.json()
    assert document["openapi"].startswith("3.")
    operations = {
        (method.upper(), path): spec
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    }
    assert set(operations) == {(op.method, op.path) for op in SIMULATOR_API}
    for op in SIMULATOR_API:
        responses = operations[(op.method, op.path)]["responses"]
        assert {int(status) for status in responses} >= {op.status, *op.errors, 403, 413}
        error = responses[str(next(iter(op.errors)))]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ApiError"}


async def test_the_document_and_the_routes_are_for_allowed_clients_only(
    gateway: ServiceApp,
) -> None:
    async with client(gateway, STRANGER) as stranger:
        document = await stranger.get(OPENAPI_PATH)
        call = await stranger.post("/api/v1/sim/calls", json={"from": "1", "to": "2001"})
    for answer in (document, call):
        assert answer.status_code == 403 and "error" in answer.json()


async def test_without_telephony_the_passthrough_is_a_json_503(gateway: ServiceApp) -> None:
    async with client(gateway) as crm:
        answer = await crm.post("/api/v1/sim/calls/AB/hangup")
        too_big = await crm.post("/api/v1/sim/calls", content=b" " * 70_000)
    assert answer.status_code == 503 and "error" in answer.json()
    assert too_big.status_code == 413 and "error" in too_big.json()
