"""Bounded clients on the running gateway: a huge header, idle connections, a connection cap."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from stacklib import Stack, assert_fault, envelope, own_stack, soap, wait_for

from oii_shared.soap.faults import MAX_FAULT_MESSAGE_CHARS, Errors

pytestmark = pytest.mark.stack

MAX_CONNECTIONS = 24
HEAD_TIMEOUT_S = 2


@pytest.fixture(scope="module")
def bounded_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {"OII_MAX_CONNECTIONS": str(MAX_CONNECTIONS), "OII_HEAD_TIMEOUT_S": str(HEAD_TIMEOUT_S)}
    with own_stack(Path(tmp_path_factory.mktemp("bounded")), extra_env=env) as running:
        yield running


def open_socket(stack: Stack) -> socket.socket:
    return socket.create_connection(("127.0.0.1", stack.port), timeout=15)


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (ConnectionResetError, TimeoutError):
        pass
    return b"".join(chunks)


def test_a_64_mb_soapaction_is_refused_at_once_and_not_echoed(bounded_stack: Stack) -> None:
    sock = open_socket(bounded_stack)
    started = time.monotonic()
    head = b"POST /OII/IciSystemService.asmx HTTP/1.1\r\nHost: x\r\nSOAPAction: "
    # Refused while we are still sending: that is the point.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(head + b"a" * (64 * 1024 * 1024))
    answer = read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert len(answer) < 1024
    assert time.monotonic() - started < 10
    # The gateway kept serving everyone else meanwhile.
    assert bounded_stack.health()[0] == 200


def test_a_long_unknown_operation_is_quoted_short_in_its_fault(bounded_stack: Stack) -> None:
    operation = envelope(f'<{"x" * 40_000} xmlns="urn:IciSystemInterface"/>')
    answer = soap(bounded_stack.base_url, "/OII/IciSystemService.asmx", operation)
    detail = assert_fault(answer, Errors.UNKNOWN_OPERATION)
    assert len(detail.faultstring) < MAX_FAULT_MESSAGE_CHARS + 40
    assert len(answer.content) < 4096


def test_idle_connections_are_closed_and_the_cap_refuses_the_rest(bounded_stack: Stack) -> None:
    idle = [open_socket(bounded_stack) for _ in range(MAX_CONNECTIONS)]
    try:
        refused = open_socket(bounded_stack)
        answer = read_all(refused)
        refused.close()
        assert answer.startswith(b"HTTP/1.1 503") and b"too many connections" in answer
        # Clients that never send a request head are cut off after OII_HEAD_TIMEOUT_S.
        for sock in idle:
            assert read_all(sock) == b""
    finally:
        for sock in idle:
            sock.close()
    wait_for(
        lambda: "refused 1 connection(s)" in bounded_stack.console(),
        10,
        "the gateway did not log the refused connection",
    )
    wait_for(lambda: bounded_stack.health()[0] == 200, 10, "the gateway serves no one again")
