"""A stand-in for SAP CRM's event endpoint (IciEventService), on aiohttp.web.

For trials without CRM, for tests and for the benchmark: it records every
IciEvent posted to it and answers each as CRM does,
``<opResponse xmlns="urn:IciEventInterface"><response/></opResponse>``. It can
answer late or with a forced HTTP status (500 carries a SOAP fault), for all
paths or per path, so that several subscription sessions can each have a URL
and a behaviour of their own. Stopped, it can be started again on the same port.

``python -m oii_shared.crm_stand_in --port 8090`` runs one and prints each event
on one line.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType

from aiohttp import web
from lxml import etree

from oii_shared.soap.namespaces import SOAP_ENV
from oii_shared.soap.parser import hardened_parser

EVENT_NS = "urn:IciEventInterface"
DEFAULT_PATH = "/sap/bc/srt/IciEvent"
WAIT_S = 15.0
# Events named in a waiting helper's failure message: the latest ones, enough to see why.
SUMMARY_EVENTS = 30


@dataclass(frozen=True)
class CrmEvent:
    """One IciEvent as it arrived."""

    path: str
    headers: dict[str, str]
    body: bytes
    operation: str
    namespace: str
    app_ids: tuple[str, ...]
    element: etree._Element  # the operation element, child of soap:Body
    received_at: float  # time.time()
    received_perf: float  # time.perf_counter()

    def text(self, path: str) -> str | None:
        """Text at ``path`` (unqualified names) below the operation element."""
        return self.element.findtext(path)

    def line(self) -> str:
        """The event on one line: time, path, operation, appIds and every value it carries."""
        stamp = datetime.fromtimestamp(self.received_at).strftime("%H:%M:%S.%f")[:-3]
        values = " ".join(f"{name}={value}" for name, value in _leaves(self.element, ""))
        app_ids = ",".join(self.app_ids)
        return f"{stamp} {self.path} {self.operation} appIds={app_ids} {values}".rstrip()


@dataclass
class Answering:
    """How requests are answered: ``delay_s`` late, with ``statuses`` first (then 200)."""

    delay_s: float = 0.0
    statuses: list[int] = field(default_factory=list)


class CrmStandIn:
    """Start with ``await stand_in.start()`` or ``async with``; events go to ``url(path)``."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        delay_s: float = 0.0,
        statuses: list[int] | None = None,
        keep: bool = True,
        on_event: Callable[[CrmEvent], None] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.answering = Answering(delay_s, list(statuses or []))
        # Paths answered otherwise than ``answering`` says.
        self.paths: dict[str, Answering] = {}
        self.keep = keep
        self.on_event = on_event
        self.received: list[CrmEvent] = []
        self.count = 0  # events received, kept or not
        self.malformed = 0  # requests that were no SOAP envelope (answered 400)
        self.answered_at: list[float] = []  # time.perf_counter() of each answer
        self.in_flight = 0
        self.max_in_flight = 0
        self._runner: web.AppRunner | None = None
        self._arrived = asyncio.Event()

    @property
    def delay_s(self) -> float:
        return self.answering.delay_s

    def url(self, path: str = DEFAULT_PATH) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def answer_path(
        self, path: str, delay_s: float = 0.0, statuses: list[int] | None = None
    ) -> str:
        """Answer requests to ``path`` so; its URL."""
        self.paths[path] = Answering(delay_s, list(statuses or []))
        return self.url(path)

    async def start(self) -> CrmStandIn:
        # Bound here rather than by aiohttp so that port 0 yields the port picked.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(512)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self.port = int(sock.getsockname()[1])
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> CrmStandIn:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    def of(
        self, operation: str, app_id: str | None = None, path: str | None = None
    ) -> list[CrmEvent]:
        """Events of ``operation`` (for ``app_id``, to ``path``, when named)."""
        return [
            each
            for each in self.received
            if each.operation == operation
            and (app_id is None or app_id in each.app_ids)
            and (path is None or each.path == path)
        ]

    async def wait_for(
        self,
        condition: Callable[[list[CrmEvent]], bool],
        within_s: float = WAIT_S,
        what: str = "requests",
    ) -> list[CrmEvent]:
        """Every event received, once ``condition`` holds for them; AssertionError after
        ``within_s``."""

        async def satisfied() -> None:
            while not condition(self.received):
                self._arrived.clear()
                await self._arrived.wait()

        try:
            async with asyncio.timeout(within_s):
                await satisfied()
        except TimeoutError:
            latest = "\n".join(each.line() for each in self.received[-SUMMARY_EVENTS:])
            raise AssertionError(
                f"{what} not received within {within_s} s; {len(self.received)} received,"
                f" the latest:\n{latest}"
            ) from None
        return self.received

    async def wait_count(self, count: int, within_s: float = WAIT_S) -> list[CrmEvent]:
        return await self.wait_for(lambda got: len(got) >= count, within_s, f"{count} request(s)")

    async def wait_events(
        self, operation: str, app_id: str | None = None, count: int = 1, within_s: float = WAIT_S
    ) -> list[CrmEvent]:
        """At least ``count`` events of ``operation`` (for ``app_id``); those received."""
        await self.wait_for(
            lambda _: len(self.of(operation, app_id)) >= count,
            within_s,
            f"{count} {operation} event(s)" + (f" for {app_id}" if app_id else ""),
        )
        return self.of(operation, app_id)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        event = _parse(request, body)
        if event is None:
            self.malformed += 1
            return web.Response(status=400, text="not a SOAP envelope with an operation")
        self.count += 1
        if self.keep:
            self.received.append(event)
        if self.on_event is not None:
            self.on_event(event)
        self._arrived.set()
        answering = self.paths.get(request.path, self.answering)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if answering.delay_s:
                await asyncio.sleep(answering.delay_s)
            status = answering.statuses.pop(0) if answering.statuses else 200
        finally:
            self.in_flight -= 1
        self.answered_at.append(time.perf_counter())
        return web.Response(
            status=status, body=_answer(event.operation, status), content_type="text/xml"
        )


def _parse(request: web.Request, body: bytes) -> CrmEvent | None:
    received_at, received_perf = time.time(), time.perf_counter()
    try:
        root = etree.fromstring(body, hardened_parser())
    except etree.XMLSyntaxError:
        return None
    soap_body = root.find(f"{{{SOAP_ENV}}}Body")
    if soap_body is None or len(soap_body) == 0:
        return None
    operation = soap_body[0]
    qname = etree.QName(operation)
    return CrmEvent(
        path=request.path,
        headers=dict(request.headers),
        body=body,
        operation=qname.localname,
        namespace=qname.namespace or "",
        app_ids=tuple(item.text or "" for item in operation.findall("appIds/item")),
        element=operation,
        received_at=received_at,
        received_perf=received_perf,
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


def _leaves(element: etree._Element, prefix: str) -> list[tuple[str, str]]:
    """(path, text) of every element without children below ``element``, appIds aside."""
    found: list[tuple[str, str]] = []
    for child in element:
        if not isinstance(child.tag, str) or (not prefix and child.tag == "appIds"):
            continue
        path = f"{prefix}{etree.QName(child).localname}"
        if len(child):
            found.extend(_leaves(child, f"{path}/"))
        else:
            found.append((path, child.text or ""))
    return found


async def _serve(args: argparse.Namespace) -> None:
    def show(event: CrmEvent) -> None:
        print(event.line(), flush=True)

    stand_in = CrmStandIn(args.host, args.port, delay_s=args.delay_s, keep=False, on_event=show)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    async with stand_in:
        print(f"CRM event endpoint stand-in at {stand_in.url()} (any path)", flush=True)
        await stopping.wait()
    print(f"{stand_in.count} event(s) received", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m oii_shared.crm_stand_in",
        description="Stand in for SAP CRM's IciEvent endpoint: answer and print each event.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--delay-s", type=float, default=0.0, help="answer each event late")
    asyncio.run(_serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
