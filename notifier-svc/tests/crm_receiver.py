"""A real HTTP server standing in for CRM's IciEvent endpoint (aiohttp.web on 127.0.0.1).

It records every request, answers ``<opResponse><response/></opResponse>``, and
can be slowed down, made to fail, stopped and started again on the same port.
Used by the notifier's unit tests and by the stack tests (tests/stack).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from lxml import etree

EVENT_NS = "urn:IciEventInterface"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    arrived_at: float  # loop.time()
    operation: str
    namespace: str
    app_ids: tuple[str, ...]
    element: etree._Element

    def text(self, path: str) -> str | None:
        """Text at ``path`` (unqualified names) below the operation element."""
        return self.element.findtext(path)


@dataclass
class CrmReceiver:
    """Start with ``await receiver.start()``; ``url`` is where events should go."""

    host: str = "127.0.0.1"
    port: int = 0
    # Seconds before each answer.
    delay_s: float = 0.0
    # Status codes for the next requests (then 200); a body is chosen to match.
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    _runner: web.AppRunner | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str = "/sap/bc/crm/ici") -> str:
        return f"http://{self.host}:{self.port}{path}"

    async def start(self) -> CrmReceiver:
        if not self.port:
            self.port = free_port(self.host)
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port, reuse_address=True).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def of(self, operation: str) -> list[Received]:
        return [each for each in self.received if each.operation == operation]

    async def wait_for(
        self,
        condition: Callable[[list[Received]], bool],
        within_s: float = 15.0,
        what: str = "requests",
    ) -> list[Received]:
        async def satisfied() -> None:
            while not condition(self.received):
                self._arrived.clear()
                await self._arrived.wait()

        try:
            async with asyncio.timeout(within_s):
                await satisfied()
        except TimeoutError:
            summary = [(r.operation, r.app_ids) for r in self.received]
            raise AssertionError(
                f"{what} not received within {within_s} s; got {summary}"
            ) from None
        return self.received

    async def wait_count(self, count: int, within_s: float = 15.0) -> list[Received]:
        return await self.wait_for(lambda got: len(got) >= count, within_s, f"{count} request(s)")

    async def _handle(self, request: web.Request) -> web.Response:
        loop = asyncio.get_running_loop()
        body = await request.read()
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        operation = root.find(f"{{{SOAP_ENV}}}Body")[0]  # type: ignore[index]
        qname = etree.QName(operation)
        app_ids = tuple(item.text or "" for item in operation.findall("appIds/item"))
        self.received.append(
            Received(
                request.path,
                dict(request.headers),
                body,
                loop.time(),
                qname.localname,
                qname.namespace or "",
                app_ids,
                operation,
            )
        )
        self._arrived.set()
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            status = self.statuses.pop(0) if self.statuses else 200
        finally:
            self.in_flight -= 1
        self.answered_at.append(loop.time())
        return web.Response(
            status=status, body=_answer(qname.localname, status), content_type="text/xml"
        )


def _answer(operation: str, status: int) -> bytes:
    if status == 200:
        inner = f'<{operation}Response xmlns="{EVENT_NS}"><response/></{operation}Response>'
    elif status == 500:
        inner = (
            "<soap:Fault><faultcode>soap:Client</faultcode>"
            "<faultstring>unknown appId</faultstring></soap:Fault>"
        )
    else:
        return b"<html>unavailable</html>"
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENV}">'
        f"<soap:Body>{inner}</soap:Body></soap:Envelope>"
    ).encode()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
