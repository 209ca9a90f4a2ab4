"""The whole gateway and telephony-svc in this process, on a real NATS server and SQLite.

Each service's ``create_app`` and its lifespan run as ``make run`` runs them, with the
built-in demo contact center loaded; requests go straight into an ASGI app (no socket),
so a fuzzer input costs a request, not a connection. The gateway has no service address:
what it forwards is answered with its honest "unavailable" fault, what it answers itself
(IciSystem, IciUser, IciContainer, item owners) runs for real against NATS KV and the
database. A harness hands telephony-svc the bytes the gateway would forward to it.

The event loop runs in a thread of its own, all the time, as a server's does: NATS
pings, KV watches and background tasks go on between two inputs.

Host names in event URLs are never looked up: the event loop's resolver knows only
literal addresses and ``localhost`` (after the same IDNA encoding the real one does), so
fuzzing sends nothing to a DNS server.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import threading
import traceback
from collections.abc import Coroutine, Iterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree

from fuzz.finding import Finding
from oii_gateway.main import create_app as create_gateway
from oii_gateway.settings import GatewaySettings
from oii_shared.config.loader import demo_config_path, load_config
from oii_shared.db.engine import create_engine
from oii_shared.db.migrate import upgrade
from oii_shared.db.repository import upsert_config
from oii_shared.embedded.nats_server import NatsServer, start_nats_server
from oii_shared.service.app import ServiceApp
from oii_shared.service.logs import LastErrorHandler
from oii_shared.settings import Settings
from oii_shared.soap.faults import Errors, IciError
from oii_telephony.main import create_app as create_telephony
from oii_telephony.settings import TelephonySettings

# Not loopback, so the admin operations (OII_ADMIN_ALLOW) refuse it: a fuzzed Stop would
# stop every later request. TEST-NET-1, documentation only.
CLIENT = ("192.0.2.10", 40000)
ANSWER_TIMEOUT_S = 30.0
TRACEBACK_FRAMES = 6
GATEWAY = "gateway"
TELEPHONY = "telephony"

T = TypeVar("T")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    errors: list[str] = field(default_factory=list)

    def fault(self) -> tuple[int, int] | None:
        """(areaCode, errorCode) of a SOAP fault answer, else None."""
        try:
            root = etree.fromstring(self.body, etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError:
            return None
        area = root.findtext(".//areaCode")
        code = root.findtext(".//errorCode")
        if area is None or code is None:
            return None
        return int(area), int(code)


def is_error(fault: tuple[int, int] | None, error: IciError) -> bool:
    return fault == (int(error.area), error.code)


class _ErrorRecorder(logging.Handler):
    """Every record at ERROR or above while a request is answered, with where it was raised."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            text += f": {type(error).__name__} {error}"
            frames = traceback.extract_tb(error.__traceback__)[-TRACEBACK_FRAMES:]
            text += "".join(f" <- {f.filename}:{f.lineno} {f.name}" for f in reversed(frames))
        self.records.append(text)


class _NoDnsLoop(asyncio.SelectorEventLoop):
    async def getaddrinfo(self, host: Any, port: Any, **kwargs: Any) -> Any:
        if isinstance(host, str):
            host.encode("idna")  # what socket.getaddrinfo does first, with its errors
            try:
                ipaddress.ip_address(host.split("%", 1)[0])
            except ValueError:
                if host.lower() != "localhost":
                    raise socket.gaierror(
                        socket.EAI_NONAME, "not looked up while fuzzing"
                    ) from None
        return await super().getaddrinfo(host, port, **kwargs)


class InProcessGateway:
    """Start with ``start()``; ``post`` answers one request; ``close()`` stops everything."""

    def __init__(self, work_dir: Path) -> None:
        self._work_dir = work_dir
        self.loop: asyncio.AbstractEventLoop = _NoDnsLoop()
        self._nats: NatsServer | None = None
        self._lifespans: list[AbstractAsyncContextManager[Any]] = []
        self._errors = _ErrorRecorder()
        self.apps: dict[str, ServiceApp] = {}
        self._thread = threading.Thread(target=self.loop.run_forever, name="gateway", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._run(self._start())
        logging.getLogger().addHandler(self._errors)

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _start(self) -> None:
        self._work_dir.mkdir(parents=True, exist_ok=True)
        self._nats = await start_nats_server(
            self._work_dir / "nats", monitoring=False, log_file=self._work_dir / "nats.log"
        )
        common: dict[str, Any] = {
            "data_dir": self._work_dir,
            "nats_url": self._nats.url,
            "log_level": "WARNING",
        }
        settings = Settings(service="gateway", **common)
        # Migrations run synchronously (alembic), as bootstrap runs them before the services.
        await asyncio.to_thread(upgrade, settings.resolved_database_url)
        engine = create_engine(settings)
        try:
            await upsert_config(engine, load_config(demo_config_path()))
        finally:
            await engine.dispose()
        logging.getLogger().setLevel(logging.WARNING)
        apps = (
            (
                TELEPHONY,
                create_telephony(
                    TelephonySettings(service=TELEPHONY, sim_answer_ms=50, **common),
                    LastErrorHandler(),
                ),
            ),
            (
                GATEWAY,
                create_gateway(GatewaySettings(service=GATEWAY, **common), LastErrorHandler()),
            ),
        )
        for name, app in apps:
            assert isinstance(app, ServiceApp)
            lifespan = app.router.lifespan_context(app)
            await lifespan.__aenter__()
            self._lifespans.append(lifespan)
            self.apps[name] = app

    def close(self) -> None:
        logging.getLogger().removeHandler(self._errors)
        self._run(self._close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()

    async def _close(self) -> None:
        for lifespan in reversed(self._lifespans):
            with contextlib.suppress(Exception):
                await lifespan.__aexit__(None, None, None)
        if self._nats is not None:
            await self._nats.stop()
        left = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        await asyncio.get_running_loop().shutdown_asyncgens()
        await asyncio.get_running_loop().shutdown_default_executor()

    def post(
        self,
        path: str,
        headers: list[tuple[bytes, bytes]],
        chunks: list[bytes],
        service: str = GATEWAY,
    ) -> Answer:
        """POST ``chunks`` (the body, in as many ASGI messages) to ``path`` of ``service``."""
        self._errors.records.clear()
        call = self._call(self.apps[service], "POST", path, headers, chunks)
        answer = self._run(call, ANSWER_TIMEOUT_S)
        answer.errors = list(self._errors.records)
        return answer

    async def _call(
        self,
        app: ServiceApp,
        method: str,
        path: str,
        headers: list[tuple[bytes, bytes]],
        chunks: list[bytes],
    ) -> Answer:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode("utf-8", errors="replace"),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": CLIENT,
            "server": ("127.0.0.1", 8080),
            "state": {},
        }
        pending = list(chunks) or [b""]
        done = asyncio.Event()
        status = 0
        answer_headers: dict[str, str] = {}
        body: list[bytes] = []

        async def receive() -> dict[str, Any]:
            if pending:
                chunk = pending.pop(0)
                return {"type": "http.request", "body": chunk, "more_body": bool(pending)}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    answer_headers[name.decode("latin-1").lower()] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    done.set()

        await app(scope, receive, send)  # type: ignore[arg-type]
        return Answer(status, answer_headers, b"".join(body))


def check_soap_answer(answer: Answer, what: str) -> None:
    """A SOAP answer is a well-formed 200, or a fault that is not the INTERNAL one."""
    if answer.errors:
        raise Finding(f"{what}: errors logged: {answer.errors}")
    if answer.status == 200:
        try:
            etree.fromstring(answer.body, etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError as error:
            raise Finding(
                f"{what}: 200 with malformed XML ({error}): {answer.body[:500]!r}"
            ) from None
        return
    fault = answer.fault()
    if answer.status != 500 or fault is None:
        raise Finding(f"{what}: HTTP {answer.status}, not a SOAP fault: {answer.body[:500]!r}")
    if is_error(fault, Errors.INTERNAL):
        raise Finding(f"{what}: the INTERNAL fault: {answer.body[:500]!r}")


@contextlib.contextmanager
def running_gateway(work_dir: Path) -> Iterator[InProcessGateway]:
    gateway = InProcessGateway(work_dir)
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.close()
