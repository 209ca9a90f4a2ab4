"""The SOAP hot path in raw ASGI: a service's SOAP POSTs skip FastAPI's middleware and router.

``SoapRoutes`` holds the exact POST paths a service answers over SOAP and their
endpoints; ``ServiceApp`` (app.py) serves a match here and hands every other
request (other methods and paths, lifespan, websockets) to FastAPI unchanged.

An endpoint sees a ``SoapRequest`` and returns a ``SoapResponse``; it raises
``IciFault`` for a client's fault. Faults are mapped to responses here, and an
unexpected exception becomes the INTERNAL fault, logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.types import Receive, Scope, Send

from oii_shared.soap.faults import Errors, IciFault, fault_envelope
from oii_shared.soap.namespaces import CONTENT_TYPE

log = logging.getLogger(__name__)

HTTP_OK = 200
HTTP_FAULT = 500

BodyReader = Callable[[], Awaitable[bytes]]


@dataclass(frozen=True, slots=True)
class SoapRequest:
    """What an endpoint sees of a SOAP POST.

    The body is read on demand (``await request.read_body()``, once), so that an
    endpoint refuses a client address or a SOAPAction before reading a body.
    """

    path: str
    soap_action: str | None
    client: str | None  # the TCP peer's address, never X-Forwarded-For
    read_body: BodyReader


@dataclass(frozen=True, slots=True)
class SoapResponse:
    status: int
    body: bytes
    content_type: str = CONTENT_TYPE


SoapEndpoint = Callable[[SoapRequest], Awaitable[SoapResponse]]


def fault_answer(fault: IciFault) -> SoapResponse:
    return SoapResponse(HTTP_FAULT, fault_envelope(fault))


class ClientGone(Exception):
    """The client disconnected before its request body was read in full."""


def body_too_large(max_bytes: int) -> IciFault:
    return IciFault(Errors.BODY_TOO_LARGE, f"request body exceeds {max_bytes} bytes")


def declares_more_than(content_length: str | None, max_bytes: int) -> bool:
    """Whether a Content-Length header declares a body larger than ``max_bytes``.

    Only ASCII digits are a length (``str.isdigit`` also takes "²", which ``int`` refuses),
    and a length longer than the limit's digits is too large unread (``int`` refuses more
    than 4,300 digits). Anything else is left to the HTTP server and to the read's own count.
    """
    if content_length is None or not (content_length.isascii() and content_length.isdigit()):
        return False
    digits = content_length.lstrip("0")
    return len(digits) > len(str(max_bytes)) or int(digits or "0") > max_bytes


async def receive_body(receive: Receive, content_length: str | None, max_bytes: int) -> bytes:
    """The request body, refused before it is read in full when it is too large."""
    if declares_more_than(content_length, max_bytes):
        raise body_too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientGone
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            raise body_too_large(max_bytes)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


async def send_answer(send: Send, answer: SoapResponse) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": answer.status,
            "headers": [
                (b"content-type", answer.content_type.encode("latin-1")),
                (b"content-length", str(len(answer.body)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": answer.body})


class SoapRoutes:
    """The POST paths answered on the fast path, matched exactly (as the router would)."""

    def __init__(self, max_body_bytes: int) -> None:
        self.max_body_bytes = max_body_bytes
        self._endpoints: dict[str, SoapEndpoint] = {}

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(self._endpoints)

    def add(self, path: str, endpoint: SoapEndpoint) -> None:
        self._endpoints[path] = endpoint

    def match(self, scope: Scope) -> SoapEndpoint | None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return None
        return self._endpoints.get(scope["path"])

    async def serve(
        self, endpoint: SoapEndpoint, scope: Scope, receive: Receive, send: Send
    ) -> None:
        soap_action: str | None = None
        content_length: str | None = None
        for name, value in scope["headers"]:
            if name == b"soapaction" and soap_action is None:
                soap_action = value.decode("latin-1")
            elif name == b"content-length" and content_length is None:
                content_length = value.decode("latin-1")
        max_bytes = self.max_body_bytes

        def read_body() -> Awaitable[bytes]:
            return receive_body(receive, content_length, max_bytes)

        peer = scope.get("client")
        path: str = scope["path"]
        request = SoapRequest(path, soap_action, peer[0] if peer else None, read_body)
        try:
            answer = await endpoint(request)
        except IciFault as fault:
            answer = fault_answer(fault)
        except ClientGone:
            return  # nobody is left to answer
        except Exception:
            log.exception("POST %s failed", path)
            answer = fault_answer(IciFault(Errors.INTERNAL))
        await send_answer(send, answer)
