"""Every listener of the suite bounds what one client can take from it.

uvicorn's httptools protocol reads a request head of any size (httptools
concatenates a header value chunk by chunk: one 64 MB SOAPAction held the event
loop for seconds and hundreds of MB), waits forever for a head or a body that
never comes, and accepts connections until the process runs out of descriptors.
``bounded_protocol`` is that protocol with limits:

- the request line and headers together: at most ``max_head_bytes`` (431);
- at most ``max_headers`` header lines (431);
- a head must be complete within ``head_timeout_s`` of the connection or of the
  first byte of a keep-alive request, and a body within ``body_timeout_s`` of its
  head; otherwise the connection is closed;
- at most ``max_connections`` open connections; the next ones get a 503 and are
  closed at once, and the refusals are logged (at most every few seconds).

The idle time between keep-alive requests is uvicorn's own ``timeout_keep_alive``.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from dataclasses import dataclass
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger(__name__)

# Descriptors kept back from the connection cap for the process's own use
# (NATS, the database, the gateway's connections to the services, log files).
RESERVED_DESCRIPTORS = 128
REFUSAL_LOG_INTERVAL_S = 10.0


@dataclass(frozen=True, slots=True)
class ListenerLimits:
    max_head_bytes: int
    max_headers: int
    head_timeout_s: float
    body_timeout_s: float
    max_connections: int


def descriptor_bound(wanted: int) -> int:
    """``wanted``, lowered to what this process's descriptor limit can really hold."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - RESERVED_DESCRIPTORS))


class _HeadRefused(Exception):
    """Raised inside a parser callback to stop reading a head at once."""


def _answer(status: bytes, reason: bytes) -> bytes:
    body = reason + b"\n"
    return (
        b"HTTP/1.1 " + status + b"\r\n"
        b"content-type: text/plain; charset=utf-8\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n"
        b"connection: close\r\n\r\n" + body
    )


HEAD_TOO_LARGE = _answer(b"431 Request Header Fields Too Large", b"request head too large")
TOO_MANY_CONNECTIONS = _answer(b"503 Service Unavailable", b"too many connections")


class _RefusalLog:
    """Counts refused connections and says so at most every REFUSAL_LOG_INTERVAL_S."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._unreported = 0
        self._reported_at = 0.0

    def refused(self) -> None:
        self._unreported += 1
        now = time.monotonic()
        if now - self._reported_at >= REFUSAL_LOG_INTERVAL_S:
            log.warning(
                "refused %d connection(s): %d are open, the limit (OII_MAX_CONNECTIONS)",
                self._unreported,
                self._limit,
            )
            self._unreported = 0
            self._reported_at = now


class BoundedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits of ``ListenerLimits`` (a subclass sets them)."""

    limits: ListenerLimits
    refusals: _RefusalLog

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._admitted = False
        self._in_head = False
        self._in_body = False
        self._head_bytes = 0
        self._header_count = 0
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.max_connections:
            self.refusals.refused()
            transport.write(TOO_MANY_CONNECTIONS)
            transport.close()
            return
        self._admitted = True
        super().connection_made(transport)
        self._arm(self.limits.head_timeout_s)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._admitted:
            return
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self._admitted or self.transport.is_closing():
            return
        self._unset_keepalive_if_required()
        limit = self.limits.max_head_bytes
        while data:
            # Outside a body the parser gets at most one head's worth at a time, so a
            # head that grows past the limit is stopped after one slice, not at its end.
            if self._in_body:
                piece, data = data, b""
            else:
                piece, data = data[:limit], data[limit:]
            if not self._feed(piece):
                return
            if self._in_head:
                self._head_bytes += len(piece)
                if self._head_bytes > limit:
                    self._refuse_head()
                    return

    def _feed(self, piece: bytes) -> bool:
        try:
            self.parser.feed_data(piece)
        except httptools.HttpParserCallbackError as error:
            if isinstance(error.__context__, _HeadRefused):
                self._refuse_head()
            else:
                self._bad_request()
            return False
        except httptools.HttpParserUpgrade:
            # As uvicorn does: no protocol upgrades here, the request is answered as it is.
            self._unsupported_upgrade_warning()
            return False
        except httptools.HttpParserError:
            self._bad_request()
            return False
        return not self.transport.is_closing()

    def _bad_request(self) -> None:
        self.logger.warning("Invalid HTTP request received.")
        self.send_400_response("Invalid HTTP request received.")

    def _refuse_head(self) -> None:
        self.logger.warning(
            "refused a request head over %d bytes or %d headers from %s",
            self.limits.max_head_bytes,
            self.limits.max_headers,
            self.client[0] if self.client else "?",
        )
        self.transport.write(HEAD_TOO_LARGE)
        self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0
        self._header_count = 0
        if self._deadline is None:
            self._arm(self.limits.head_timeout_s)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self.limits.max_headers:
            raise _HeadRefused
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._in_body = True
        self._arm(self.limits.body_timeout_s)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_body = False
        self._disarm()
        super().on_message_complete()

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._deadline_passed)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _deadline_passed(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        self.logger.info(
            "closed a connection from %s: its request %s did not arrive in time",
            self.client[0] if self.client else "?",
            "body" if self._in_body else "head",
        )
        self.transport.close()


def bounded_protocol(limits: ListenerLimits) -> type[BoundedHttpProtocol]:
    """The protocol class for one listener (uvicorn's ``http=``), with its own refusal count."""
    return type(
        "BoundedHttpProtocol",
        (BoundedHttpProtocol,),
        {"limits": limits, "refusals": _RefusalLog(limits.max_connections)},
    )
