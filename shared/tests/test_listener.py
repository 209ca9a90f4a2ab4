"""Bounded listeners: head size and count, head and body timeouts, a connection cap."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
import uvloop
from starlette.types import Receive, Scope, Send

from oii_shared.service.listener import ListenerLimits, bounded_protocol, descriptor_bound
from oii_shared.soap.faults import MAX_FAULT_MESSAGE_CHARS, Errors, IciFault, fault_envelope

LIMITS = ListenerLimits(
    max_head_bytes=4096,
    max_headers=12,
    head_timeout_s=0.5,
    body_timeout_s=0.5,
    max_connections=4,
)
KEEP_ALIVE_S = 1
# Long enough for every timeout above, short enough to fail fast when one never fires.
EOF_WAIT_S = 10.0


async def body_length_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the number of body bytes it received."""
    if scope["type"] != "http":
        return
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = str(size).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


@dataclass
class Listener:
    port: int

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port)


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A listener on uvloop in a thread of its own, as every service runs (uvloop's
    transports are not asyncio's classes)."""
    config = uvicorn.Config(
        body_length_app,
        host="127.0.0.1",
        port=0,
        http=bounded_protocol(LIMITS),
        ws="none",
        lifespan="off",
        log_config=None,
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=uvloop.run, args=(server.serve(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + EOF_WAIT_S
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the listener did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Listener(port)
    finally:
        server.should_exit = True
        thread.join(EOF_WAIT_S)


def request(body: bytes = b"", headers: tuple[str, ...] = ()) -> bytes:
    head = ["POST /x HTTP/1.1", "Host: test", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def status_of(reader: asyncio.StreamReader) -> bytes:
    line = await asyncio.wait_for(reader.readline(), EOF_WAIT_S)
    return line.split(b" ", 2)[1] if line else b""


async def read_to_eof(reader: asyncio.StreamReader) -> bytes:
    with contextlib.suppress(ConnectionError):
        return await asyncio.wait_for(reader.read(), EOF_WAIT_S)
    return b""


async def send_quietly(writer: asyncio.StreamWriter, data: bytes) -> None:
    """The server may close while we still send: that is what is being tested."""
    with contextlib.suppress(ConnectionError):
        writer.write(data)
        await writer.drain()


async def test_a_request_within_the_limits_is_served_with_its_whole_body(
    listener: Listener,
) -> None:
    reader, writer = await listener.connect()
    body = b"x" * 1_048_576
    writer.write(request(body, tuple(f"X-Header-{n}: {n}" for n in range(8))))
    assert await status_of(reader) == b"200"
    answer = await reader.readuntil(b"\r\n\r\n")
    assert b"content-length" in answer
    assert await reader.readexactly(7) == b"1048576"
    writer.close()


async def test_a_huge_header_is_refused_after_its_first_slice(listener: Listener) -> None:
    reader, writer = await listener.connect()
    sending = asyncio.create_task(
        send_quietly(writer, b"POST /x HTTP/1.1\r\nSOAPAction: " + b"a" * 16_000_000)
    )
    assert await status_of(reader) == b"431"
    rest = await read_to_eof(reader)
    assert len(rest) < 512 and b"aaaa" not in rest
    sending.cancel()
    writer.close()


async def test_too_many_headers_are_refused(listener: Listener) -> None:
    reader, writer = await listener.connect()
    writer.write(request(headers=tuple(f"X-{n}: {n}" for n in range(LIMITS.max_headers))))
    assert await status_of(reader) == b"431"
    writer.close()


@pytest.mark.parametrize(
    "sent",
    [b"", b"POST /x HTTP/1.1\r\nHost: test\r\n", request(b"0123456789")[:-5]],
    ids=["nothing", "half a head", "half a body"],
)
async def test_a_client_that_stops_sending_is_disconnected(listener: Listener, sent: bytes) -> None:
    reader, writer = await listener.connect()
    writer.write(sent)
    assert await read_to_eof(reader) == b""
    assert reader.at_eof()
    writer.close()


async def test_an_idle_keep_alive_connection_is_closed(listener: Listener) -> None:
    reader, writer = await listener.connect()
    writer.write(request(b"ab"))
    assert await status_of(reader) == b"200"
    answer = await read_to_eof(reader)
    assert answer.endswith(b"2") and reader.at_eof()
    writer.close()


async def test_connections_over_the_cap_are_refused_and_logged(
    listener: Listener, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "oii_shared.service.listener")
    held = [await listener.connect() for _ in range(LIMITS.max_connections)]
    reader, writer = await listener.connect()
    assert await status_of(reader) == b"503"
    assert b"too many connections" in await read_to_eof(reader)
    writer.close()
    assert any("refused 1 connection" in record.getMessage() for record in caplog.records)
    # Room again once clients leave.
    for _, held_writer in held:
        held_writer.close()
        await held_writer.wait_closed()
    for _ in range(100):
        reader, writer = await listener.connect()
        writer.write(request(b"abc"))
        status = await status_of(reader)
        writer.close()
        if status == b"200":
            break
        await asyncio.sleep(0.05)
    assert status == b"200"


def test_the_connection_cap_stays_within_the_descriptor_limit() -> None:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert descriptor_bound(10) == 10
    assert descriptor_bound(10**9) < soft


def test_a_fault_quotes_only_a_short_prefix_of_what_the_client_sent() -> None:
    action = "urn:x" * 20_000
    fault = IciFault(Errors.UNKNOWN_SOAP_ACTION, f"unknown SOAPAction {action!r}")
    assert len(fault.faultstring) < MAX_FAULT_MESSAGE_CHARS + 40
    assert "more characters" in fault.faultstring
    assert len(fault_envelope(fault)) < 2048
