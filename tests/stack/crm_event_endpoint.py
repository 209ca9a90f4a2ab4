"""CRM's event endpoint (IciEventService) for stack tests: a real HTTP server in the test.

It runs in a thread because stack tests are synchronous; it records every
IciEvent the notifier posts and answers each with its empty response.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lxml import etree
from stacklib import wait_for

QUIET_S = 0.7  # how long "no further event" is waited for


@dataclass(frozen=True)
class ReceivedEvent:
    operation: str
    app_ids: tuple[str, ...]
    root: etree._Element

    @property
    def workmode(self) -> str | None:
        return self.root.findtext(".//user/currentWorkmode/id")


class EventReceiver:
    """IciEventService of CRM: answers every IciEvent with its empty response."""

    def __init__(self) -> None:
        self.events: list[ReceivedEvent] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                root = etree.fromstring(body)
                operation = root.find("{*}Body")[0]  # type: ignore[index]
                name = etree.QName(operation).localname
                app_ids = tuple(item.text or "" for item in operation.findall("appIds/item"))
                with receiver.lock:
                    receiver.events.append(ReceivedEvent(name, app_ids, operation))
                answer = (
                    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap='
                    '"http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                    f'<{name}Response xmlns="urn:IciEventInterface"><response/></{name}Response>'
                    "</soap:Body></soap:Envelope>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/IciEventService/IciEventConf"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def of(self, operation: str, app_id: str) -> list[ReceivedEvent]:
        with self.lock:
            return [e for e in self.events if e.operation == operation and app_id in e.app_ids]

    def wait(self, operation: str, app_id: str, count: int) -> list[ReceivedEvent]:
        """At least ``count`` such events, then a quiet spell so that extra ones show."""
        wait_for(
            lambda: len(self.of(operation, app_id)) >= count,
            10,
            f"{count} {operation} event(s) for {app_id}",
            explain=lambda: (
                f"received: {[(e.operation, e.app_ids, e.workmode) for e in self.events]}"
            ),
        )
        time.sleep(QUIET_S)
        return self.of(operation, app_id)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
