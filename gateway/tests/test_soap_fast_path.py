"""The gateway's SOAP entry on the raw ASGI fast path, driven over httpx's ASGI transport.

``create_app`` tells which requests take the fast path and which stay with
FastAPI; a ``SoapGateway`` on fakes (no NATS, no services) shows what the
endpoint does with the peer address, the SOAPAction and the body.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from oii_gateway.main import create_app
from oii_gateway.routing.endpoint import SoapGateway
from oii_gateway.routing.passthrough import passthrough_endpoint
from oii_gateway.settings import GatewaySettings
from oii_gateway.system.handlers import system_handlers
from oii_shared.ici.registry import SERVED_INTERFACES, ici_registry
from oii_shared.ici.schema import Interface, Owner
from oii_shared.paths import OII_ASMX, SAPPHONE
from oii_shared.service.app import ServiceApp, service_app
from oii_shared.service.asgi_soap import SoapResponse
from oii_shared.service.client_filter import ClientFilter
from oii_shared.service.logs import LastErrorHandler
from oii_shared.settings import Settings, parse_networks
from oii_shared.soap.faults import Errors, IciError
from oii_shared.soap.namespaces import CONTENT_TYPE

MAX = 4096
CRM = "10.1.2.3"
STRANGER = "192.0.2.9"
ACTION = '"http://inqmy.com/soapdispatcher/rpc/bcbici/{}Bean"'
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    "{}</soap:Body></soap:Envelope>"
)
EXCHANGE = ENVELOPE.format(
    '<n0:exchangeProductInformation xmlns:n0="urn:IciSystemInterface">'
    "<iciVersion>3.00</iciVersion></n0:exchangeProductInformation>"
).encode()
LINE_CALLS = ENVELOPE.format(
    '<n0:getCalls xmlns:n0="urn:IciPhoneLineInterface"><lineNumber>+129</lineNumber></n0:getCalls>'
).encode()
RFC = ENVELOPE.format('<n0:Z_DIAL xmlns:n0="urn:sap-com:document:sap:rfc:functions"/>').encode()


def is_fault(answer: httpx.Response, error: IciError) -> bool:
    area = re.search(r"<areaCode>(\d+)</areaCode>", answer.text)
    code = re.search(r"<errorCode>(\d+)</errorCode>", answer.text)
    return (
        answer.status_code == 500
        and answer.headers["content-type"] == CONTENT_TYPE
        and area is not None
        and code is not None
        and (int(area[1]), int(code[1])) == (int(error.area), error.code)
    )


def client(app: ServiceApp, host: str = CRM) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


def soap_headers(interface: Interface | None = None) -> dict[str, str]:
    headers = {"Content-Type": CONTENT_TYPE}
    if interface is not None:
        headers["SOAPAction"] = ACTION.format(interface.value)
    return headers


class FakeForwarder:
    """Answers every forwarded request with a fixed SOAP answer, remembering it."""

    def __init__(self) -> None:
        self.forwarded: list[tuple[Owner, str, bytes, str | None]] = []

    async def forward(
        self, owner: Owner, path: str, body: bytes, soap_action: str | None
    ) -> SoapResponse:
        self.forwarded.append((owner, path, body, soap_action))
        return SoapResponse(200, b"<answer/>", CONTENT_TYPE)


class NeverStopped:
    """The run state of a gateway nobody stopped (what RunStateFollower shows)."""

    stopped = False


@pytest.fixture
def forwarder() -> FakeForwarder:
    return FakeForwarder()


@pytest.fixture
def gateway(forwarder: FakeForwarder) -> ServiceApp:
    """The gateway's SOAP entry as create_app wires it, on fakes instead of the lifespan's parts."""
    settings = Settings(service="gateway", max_body_bytes=MAX)
    app = service_app(settings, LastErrorHandler(), owner=Owner.GATEWAY, soap_routes=False)
    app.state.dispatcher.install(system_handlers())
    clients = ClientFilter(parse_networks("10.0.0.0/8"))
    soap = SoapGateway(
        ici_registry(), app.state.dispatcher, forwarder, clients, NeverStopped(), MAX
    )
    app.soap.add(OII_ASMX, soap.endpoint)
    for interface in SERVED_INTERFACES:
        app.soap.add(interface.service_path, soap.endpoint)
    app.soap.add(SAPPHONE, passthrough_endpoint(forwarder, Owner.SAPPHONE, clients, MAX))
    return app


def test_create_app_serves_every_soap_path_on_the_fast_path() -> None:
    app = create_app(GatewaySettings(service="gateway"), LastErrorHandler())
    assert app.soap.paths == {OII_ASMX, SAPPHONE, *(i.service_path for i in SERVED_INTERFACES)}


async def test_the_rest_stays_with_fastapi() -> None:
    app = create_app(GatewaySettings(service="gateway", max_body_bytes=MAX), LastErrorHandler())
    async with client(app) as http:
        wsdl = await http.get(f"{Interface.USER.service_path}?WSDL")
        assert wsdl.status_code == 200 and "text/xml" in wsdl.headers["content-type"]
        assert "IciUserInterface" in wsdl.text
        unknown = await http.post("/OII/Nothing.asmx", content=EXCHANGE, headers=soap_headers())
        assert is_fault(unknown, Errors.UNKNOWN_PATH), unknown.text
        assert "/OII/Nothing.asmx" in unknown.text
        below = await http.post(f"{OII_ASMX}/Extra", content=b"", headers=soap_headers())
        # OII.asmx/<operation> is the admin page's, allowed from loopback only.
        assert below.status_code == 403 and "error" in below.json()


async def test_a_request_before_the_lifespan_is_an_internal_fault_not_a_crash() -> None:
    app = create_app(GatewaySettings(service="gateway"), LastErrorHandler())
    async with client(app) as http:
        answer = await http.post(OII_ASMX, content=EXCHANGE, headers=soap_headers(Interface.SYSTEM))
    assert is_fault(answer, Errors.INTERNAL), answer.text


async def test_answered_locally(gateway: ServiceApp, forwarder: FakeForwarder) -> None:
    async with client(gateway) as http:
        for path, headers in [
            (OII_ASMX, soap_headers(Interface.SYSTEM)),
            (Interface.SYSTEM.service_path, soap_headers()),
        ]:
            answer = await http.post(path, content=EXCHANGE, headers=headers)
            assert answer.status_code == 200, answer.text
            assert answer.headers["content-type"] == CONTENT_TYPE
            assert "<exchangeProductInformationResponse" in answer.text
    assert forwarder.forwarded == []


async def test_forwarded_with_the_owner_s_answer(
    gateway: ServiceApp, forwarder: FakeForwarder
) -> None:
    action = ACTION.format("IciPhoneLine")
    async with client(gateway) as http:
        answer = await http.post(
            OII_ASMX, content=LINE_CALLS, headers={**soap_headers(), "SOAPAction": action}
        )
        rfc = await http.post(SAPPHONE, content=RFC, headers=soap_headers())
    assert (answer.status_code, answer.text) == (200, "<answer/>")
    assert answer.headers["content-type"] == "text/xml; charset=utf-8"
    assert rfc.status_code == 200
    assert forwarder.forwarded == [
        (Owner.TELEPHONY, Interface.PHONE_LINE.service_path, LINE_CALLS, action),
        (Owner.SAPPHONE, SAPPHONE, RFC, None),
    ]


async def test_the_peer_address_filter_sees_the_tcp_peer(
    gateway: ServiceApp, forwarder: FakeForwarder
) -> None:
    spoofed = {**soap_headers(Interface.SYSTEM), "X-Forwarded-For": CRM}
    async with client(gateway, STRANGER) as http:
        for path in (OII_ASMX, Interface.PHONE_LINE.service_path, SAPPHONE):
            answer = await http.post(path, content=LINE_CALLS, headers=spoofed)
            assert is_fault(answer, Errors.FORBIDDEN), (path, answer.text)
    assert forwarder.forwarded == []


async def test_too_large_bodies_are_refused(gateway: ServiceApp, forwarder: FakeForwarder) -> None:
    too_large = EXCHANGE + b" " * (MAX + 1 - len(EXCHANGE))

    async def chunked() -> AsyncIterator[bytes]:
        yield too_large

    async with client(gateway) as http:
        declared = await http.post(
            OII_ASMX, content=too_large, headers=soap_headers(Interface.SYSTEM)
        )
        assert is_fault(declared, Errors.BODY_TOO_LARGE), declared.text
        streamed = await http.post(
            OII_ASMX,
            content=chunked(),
            headers=soap_headers(Interface.SYSTEM),
        )
        assert "content-length" not in streamed.request.headers
        assert is_fault(streamed, Errors.BODY_TOO_LARGE), streamed.text
        sapphone = await http.post(SAPPHONE, content=too_large, headers=soap_headers())
        assert is_fault(sapphone, Errors.BODY_TOO_LARGE), sapphone.text
        exactly = await http.post(
            OII_ASMX, content=too_large[:-1], headers=soap_headers(Interface.SYSTEM)
        )
        assert exactly.status_code == 200, exactly.text
    assert forwarder.forwarded == []


async def test_checks_before_the_body_come_first(gateway: ServiceApp) -> None:
    """As before the fast path: address, then SOAPAction, and only then the body's size."""
    too_large = b" " * (MAX + 1)
    async with client(gateway) as http:
        action = await http.post(OII_ASMX, content=too_large, headers=soap_headers())
        assert is_fault(action, Errors.UNKNOWN_SOAP_ACTION), action.text
    async with client(gateway, STRANGER) as http:
        forbidden = await http.post(OII_ASMX, content=too_large, headers=soap_headers())
        assert is_fault(forbidden, Errors.FORBIDDEN), forbidden.text
