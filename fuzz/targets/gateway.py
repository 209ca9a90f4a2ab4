"""The whole gateway SOAP endpoint in process (fuzz.gateway_app), from raw bytes.

The first bytes choose the path (every SOAP path the gateway serves, and one it does
not), the SOAPAction and Content-Length headers (absent, right, wrong, or the fuzzer's
bytes as latin-1, as an ASGI server hands them over) and how the body is split into ASGI
messages; the rest is the body.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Iterable
from pathlib import Path

from fuzz.choices import Choices
from fuzz.gateway_app import InProcessGateway, check_soap_answer
from fuzz.seeds import regression_inputs, spec_samples
from oii_shared.ici.registry import SERVED_INTERFACES
from oii_shared.paths import OII_ASMX, SAPPHONE
from oii_shared.soap.namespaces import CONTENT_TYPE

MAX_LEN = 16384
TIMEOUT_S = 20

PATHS: tuple[str, ...] = (
    OII_ASMX,
    SAPPHONE,
    *(interface.service_path for interface in SERVED_INTERFACES),
    "/OII/NoSuchService.asmx",
)
ACTIONS: tuple[str, ...] = tuple(interface.soap_action for interface in SERVED_INTERFACES)
CONTENT_LENGTHS: tuple[str, ...] = ("0", "-1", "1e3", " 12", "99999999999999999999", "\u00b2")


def seeds() -> Iterable[bytes]:
    # Decisions: path, SOAPAction kind and which, Content-Length kind, chunks; then the body.
    for sample in spec_samples():
        if not sample.inbound:
            continue
        action = next((i for i, a in enumerate(ACTIONS) if a == sample.soap_action), 0)
        yield bytes([0, 1, action, 0, 0]) + sample.body
    yield from regression_inputs("gateway")


def _soap_action(choices: Choices) -> bytes | None:
    kind = choices.below(4)
    if kind == 0:
        return None
    if kind == 1:
        return f'"{choices.pick(ACTIONS)}"'.encode()
    if kind == 2:
        return choices.pick(ACTIONS).encode()
    return choices.raw(64)


def _content_length(choices: Choices) -> Callable[[int], bytes | None]:
    """The Content-Length header as a function of the body's size, which comes last."""
    kind = choices.below(8)
    if kind == 0:
        return lambda size: None
    if kind == 1:
        return lambda size: str(size).encode()
    if kind == 2:
        more = 1 + choices.byte()
        return lambda size: str(size + more).encode()
    if kind == 3:
        text = choices.raw(8)
        return lambda size: text
    fixed = choices.pick(CONTENT_LENGTHS).encode("latin-1")
    return lambda size: fixed


def setup(work_dir: Path) -> Callable[[bytes], None]:
    gateway = InProcessGateway(work_dir / "gateway")
    gateway.start()
    atexit.register(gateway.close)
    return setup_on(gateway)


def setup_on(gateway: InProcessGateway) -> Callable[[bytes], None]:
    def one_input(data: bytes) -> None:
        choices = Choices(data)
        path = choices.pick(PATHS)
        soap_action = _soap_action(choices)
        content_length = _content_length(choices)
        split = choices.below(4)
        body = choices.rest()
        headers = [(b"content-type", CONTENT_TYPE.encode())]
        if soap_action is not None:
            headers.append((b"soapaction", soap_action))
        length = content_length(len(body))
        if length is not None:
            headers.append((b"content-length", length))
        chunks = [body]
        if split and len(body) > 2:
            step = max(1, len(body) // (split + 1))
            chunks = [body[at : at + step] for at in range(0, len(body), step)]
        answer = gateway.post(path, headers, chunks)
        check_soap_answer(answer, f"POST {path}")

    return one_input
