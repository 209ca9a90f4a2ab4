"""ICI requests as IC WebClient sends them, timed per operation, faults counted by kind."""

from __future__ import annotations

import time

import aiohttp

from bench.measures import Measures

ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    "<soap:Body>{}</soap:Body></soap:Envelope>"
)
ACTION = '"http://inqmy.com/soapdispatcher/rpc/bcbici/{}Bean"'
OII_ASMX = "/OII/OII.asmx"


def operation_xml(interface: str, operation: str, **parts: object) -> str:
    inner = "".join(
        f'<{name} xmlns="">{value}</{name}>' for name, value in parts.items() if value is not None
    )
    return f'<{operation} xmlns="urn:{interface}Interface">{inner}</{operation}>'


def _between(body: bytes, start: bytes, end: bytes) -> str:
    first = body.find(start)
    if first < 0:
        return "?"
    first += len(start)
    return body[first : body.find(end, first)].decode(errors="replace")


def fault_kind(body: bytes) -> str:
    """``area/code text`` of an ICI fault (spec 1.2), e.g. ``5/2 unknown item``."""
    area = _between(body, b"<areaCode>", b"</areaCode>")
    code = _between(body, b"<errorCode>", b"</errorCode>")
    text = _between(body, b"<errorText>", b"</errorText>")
    return f"fault {area}/{code} {text}"


class IciClient:
    def __init__(self, session: aiohttp.ClientSession, gateway_url: str, measures: Measures):
        self._session = session
        self._url = gateway_url.rstrip("/") + OII_ASMX
        self.measures = measures

    async def call(
        self, interface: str, operation: str, *, label: str | None = None, **parts: object
    ) -> bytes | None:
        """The answer's body, or None after counting the failure under its kind."""
        name = label or f"{interface}.{operation}"
        body = ENVELOPE.format(operation_xml(interface, operation, **parts)).encode()
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": ACTION.format(interface),
        }
        started = time.perf_counter()
        try:
            async with self._session.post(self._url, data=body, headers=headers) as answer:
                content = await answer.read()
                status = answer.status
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            self.measures.error(f"{name}: {type(error).__name__}")
            return None
        self.measures.latency(name, time.perf_counter() - started)
        if status != 200:
            kind = fault_kind(content) if status == 500 else f"HTTP {status}"
            self.measures.error(f"{name}: {kind}")
            return None
        return content
