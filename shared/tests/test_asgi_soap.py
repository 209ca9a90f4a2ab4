"""The raw ASGI SOAP fast path of every service: ``ServiceApp`` and ``SoapRoutes``.

Requests are driven as uvicorn drives them (scope, receive, send); a recording
middleware inside FastAPI tells which requests reached FastAPI at all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oii_shared.ici.schema import Interface, Owner
from oii_shared.service.app import ServiceApp, service_app
from oii_shared.service.asgi_soap import SoapRequest, SoapResponse
from oii_shared.service.logs import LastErrorHandler
from oii_shared.settings import Settings
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciError, IciFault
from oii_shared.soap.namespaces import CONTENT_TYPE

MAX = 2048
PEER = ("10.0.0.7", 50123)
PHONE_LINE = Interface.PHONE_LINE.service_path
GET_CALLS = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<n0:getCalls xmlns:n0="urn:IciPhoneLineInterface"><lineNumber>+129</lineNumber>'
    b"</n0:getCalls></soap:Body></soap:Envelope>"
)


class SeenByFastAPI:
    """A middleware inside FastAPI's stack: what it records went through FastAPI."""

    def __init__(self, app: ASGIApp, seen: list[str]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append(f"{scope['method']} {scope['path']}")
        await self.app(scope, receive, send)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def error(self) -> tuple[int, int]:
        """(area, code) of the ICI fault in the body."""
        area = re.search(rb"<areaCode>(\d+)</areaCode>", self.body)
        code = re.search(rb"<errorCode>(\d+)</errorCode>", self.body)
        assert area and code, self.body
        return int(area[1]), int(code[1])


def is_fault(answer: Answer, error: IciError) -> bool:
    return (
        answer.status == 500
        and answer.headers["content-type"] == CONTENT_TYPE
        and answer.error() == (int(error.area), error.code)
    )


async def call(
    app: ASGIApp,
    method: str,
    path: str,
    chunks: Sequence[bytes] = (b"",),
    headers: Mapping[str, str] | None = None,
    client: tuple[str, int] | None = PEER,
    disconnect: bool = False,
) -> Answer | None:
    """One request, its body in ``chunks`` (then a disconnect if asked); None if nothing sent."""
    if headers is None:
        headers = {"content-type": CONTENT_TYPE, "content-length": str(sum(map(len, chunks)))}
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode("latin-1")) for k, v in headers.items()],
        "client": client,
        "server": ("127.0.0.1", 8080),
    }
    inbox: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": disconnect or i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return inbox.pop(0) if inbox else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    if not sent:
        return None
    start, *bodies = sent
    assert start["type"] == "http.response.start"
    return Answer(
        start["status"],
        {k.decode(): v.decode() for k, v in start["headers"]},
        b"".join(m.get("body", b"") for m in bodies),
    )


@pytest.fixture
def seen() -> list[str]:
    return []


@pytest.fixture
def calls() -> list[SoapCall]:
    return []


@pytest.fixture
def app(seen: list[str], calls: list[SoapCall]) -> ServiceApp:
    settings = Settings(service="telephony", max_body_bytes=MAX)
    app = service_app(settings, LastErrorHandler(), owner=Owner.TELEPHONY)

    async def get_calls(call: SoapCall) -> Mapping[str, Any] | None:
        calls.append(call)
        if call.args.get("lineNumber") == "boom":
            raise RuntimeError("handler broke")
        return None

    app.state.dispatcher.install({(Interface.PHONE_LINE, "getCalls"): get_calls})

    async def other(request: Request) -> Response:
        return PlainTextResponse(f"FastAPI {request.method}")

    app.add_route("/other", other, methods=["POST"])
    app.add_middleware(SeenByFastAPI, seen=seen)
    return app


def test_the_served_paths_are_the_service_interfaces(app: ServiceApp) -> None:
    # IciItem and IciMessage.end go to whichever channel service owns the item.
    assert app.soap.paths == {
        f"/OII/{name}Service.asmx"
        for name in ("IciItem", "IciMessage", "IciPhoneCall", "IciPhoneLine", "IciSystem")
    }


async def test_served_path_is_answered_on_the_fast_path(
    app: ServiceApp, seen: list[str], calls: list[SoapCall]
) -> None:
    answer = await call(app, "POST", PHONE_LINE, [GET_CALLS[:50], GET_CALLS[50:]])
    assert answer is not None and answer.status == 200, answer
    assert answer.headers["content-type"] == CONTENT_TYPE
    assert answer.headers["content-length"] == str(len(answer.body))
    assert b'<getCallsResponse xmlns="urn:IciPhoneLineInterface">' in answer.body
    assert [c.args["lineNumber"] for c in calls] == ["+129"]
    assert seen == []


async def test_other_methods_paths_and_interfaces_go_to_fastapi(
    app: ServiceApp, seen: list[str]
) -> None:
    other = await call(app, "POST", "/other")
    assert other is not None and (other.status, other.body) == (200, b"FastAPI POST")
    get = await call(app, "GET", PHONE_LINE)
    assert get is not None and get.status == 404
    not_here = await call(app, "POST", Interface.USER.service_path, [GET_CALLS])
    assert not_here is not None and not_here.status == 404
    case = await call(app, "POST", PHONE_LINE.lower(), [GET_CALLS])
    assert case is not None and case.status == 404
    assert seen == [
        "POST /other",
        f"GET {PHONE_LINE}",
        f"POST {Interface.USER.service_path}",
        f"POST {PHONE_LINE.lower()}",
    ]


def test_only_http_posts_can_match(app: ServiceApp) -> None:
    assert app.soap.match({"type": "lifespan"}) is None
    assert app.soap.match({"type": "websocket", "path": PHONE_LINE}) is None
    assert app.soap.match({"type": "http", "method": "PUT", "path": PHONE_LINE}) is None
    assert app.soap.match({"type": "http", "method": "POST", "path": PHONE_LINE}) is not None


async def test_a_declared_too_large_body_is_refused_before_it_is_read(app: ServiceApp) -> None:
    headers = {"content-type": CONTENT_TYPE, "content-length": str(MAX + 1)}
    answer = await call(app, "POST", PHONE_LINE, [b"x" * (MAX + 1)], headers)
    assert answer is not None and is_fault(answer, Errors.BODY_TOO_LARGE), answer


async def test_an_undeclared_too_large_body_is_refused_while_read(app: ServiceApp) -> None:
    chunks = [GET_CALLS, b" " * (MAX - len(GET_CALLS)), b" "]
    answer = await call(app, "POST", PHONE_LINE, chunks, {"transfer-encoding": "chunked"})
    assert answer is not None and is_fault(answer, Errors.BODY_TOO_LARGE), answer
    exactly = await call(app, "POST", PHONE_LINE, chunks[:2], {"transfer-encoding": "chunked"})
    assert exactly is not None and exactly.status == 200, exactly


@pytest.mark.parametrize("length", ["\u00b2", "\u00b9", "-1", "1e3", " 12", ""])
async def test_a_content_length_that_is_no_number_is_left_to_the_read(
    app: ServiceApp, length: str
) -> None:
    # Found by `make fuzz` (gateway): "²" passed str.isdigit and int() raised; the
    # INTERNAL fault came back instead of the body being read (and counted).
    headers = {"content-type": CONTENT_TYPE, "content-length": length}
    answer = await call(app, "POST", PHONE_LINE, [GET_CALLS], headers)
    assert answer is not None and answer.status == 200, answer
    too_large = await call(app, "POST", PHONE_LINE, [b" " * (MAX + 1)], headers)
    assert too_large is not None and is_fault(too_large, Errors.BODY_TOO_LARGE), too_large


@pytest.mark.parametrize("length", [str(MAX + 1), "0" * 3000 + str(MAX + 1), "9" * 5000])
async def test_a_declared_length_over_the_limit_is_refused_unread(
    app: ServiceApp, length: str
) -> None:
    # 5,000 digits are more than int() reads from text: refused by their count.
    headers = {"content-type": CONTENT_TYPE, "content-length": length}
    answer = await call(app, "POST", PHONE_LINE, [GET_CALLS], headers)
    assert answer is not None and is_fault(answer, Errors.BODY_TOO_LARGE), answer


async def test_client_faults_are_soap_faults(app: ServiceApp) -> None:
    answer = await call(app, "POST", PHONE_LINE, [b"<not xml"])
    assert answer is not None and is_fault(answer, Errors.MALFORMED_XML), answer
    no_handler = GET_CALLS.replace(b"getCalls", b"dropCalls")
    answer = await call(app, "POST", PHONE_LINE, [no_handler])
    assert answer is not None and is_fault(answer, Errors.NOT_SUPPORTED_YET), answer


async def test_a_failing_handler_is_the_internal_fault_and_logged(
    app: ServiceApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        answer = await call(app, "POST", PHONE_LINE, [GET_CALLS.replace(b"+129", b"boom")])
    assert answer is not None and is_fault(answer, Errors.INTERNAL), answer
    assert "IciPhoneLine.getCalls failed" in caplog.text and "handler broke" in caplog.text


async def test_an_exception_escaping_an_endpoint_is_the_internal_fault_and_logged(
    app: ServiceApp, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(request: SoapRequest) -> SoapResponse:
        raise KeyError("endpoint broke")

    app.soap.add("/OII/Broken.asmx", broken)
    with caplog.at_level(logging.ERROR):
        answer = await call(app, "POST", "/OII/Broken.asmx", [GET_CALLS])
    assert answer is not None and is_fault(answer, Errors.INTERNAL), answer
    assert "POST /OII/Broken.asmx failed" in caplog.text and "endpoint broke" in caplog.text


async def test_an_endpoint_sees_path_soap_action_peer_and_body(app: ServiceApp) -> None:
    seen: list[tuple[str, str | None, str | None, bytes]] = []

    async def echo(request: SoapRequest) -> SoapResponse:
        body = await request.read_body()
        seen.append((request.path, request.soap_action, request.client, body))
        if request.soap_action == '"fault"':
            raise IciFault(Errors.UNKNOWN_SOAP_ACTION, "no such action")
        return SoapResponse(202, b"<ok/>", "text/xml")

    app.soap.add("/OII/Echo.asmx", echo)
    headers = {"SOAPAction": '"first"', "soapaction": '"second"'}
    answer = await call(app, "POST", "/OII/Echo.asmx", [b"<a/>"], headers)
    assert answer is not None and (answer.status, answer.body) == (202, b"<ok/>")
    assert answer.headers == {"content-type": "text/xml", "content-length": "5"}
    fault = await call(app, "POST", "/OII/Echo.asmx", [b""], {"SOAPAction": '"fault"'}, None)
    assert fault is not None and is_fault(fault, Errors.UNKNOWN_SOAP_ACTION), fault
    assert seen == [
        ("/OII/Echo.asmx", '"first"', PEER[0], b"<a/>"),
        ("/OII/Echo.asmx", '"fault"', None, b""),
    ]


async def test_a_client_gone_before_its_body_is_complete_gets_nothing(
    app: ServiceApp, calls: list[SoapCall]
) -> None:
    answer = await call(app, "POST", PHONE_LINE, [GET_CALLS[:50]], disconnect=True)
    assert answer is None and calls == []
