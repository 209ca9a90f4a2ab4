"""SOAPAction and path resolution (oii_gateway.routing.interfaces.resolve_interface).

The path is one the gateway serves, changed, or the fuzzer's own; the SOAPAction is
absent, an interface's (quoted or not, padded), or the fuzzer's bytes read as an ASGI
server hands them over (latin-1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from fuzz.choices import Choices
from fuzz.finding import Finding
from fuzz.seeds import regression_inputs
from oii_gateway.routing.interfaces import resolve_interface
from oii_shared.ici.registry import SERVED_INTERFACES
from oii_shared.ici.schema import Interface
from oii_shared.paths import OII_ASMX, SAPPHONE, STATUS_PAGE
from oii_shared.soap.faults import IciFault

MAX_LEN = 512
TIMEOUT_S = 5

PATHS: tuple[str, ...] = (
    OII_ASMX,
    OII_ASMX.upper(),
    SAPPHONE,
    STATUS_PAGE,
    "/",
    "",
    *(interface.service_path for interface in Interface),
)
ACTIONS: tuple[str, ...] = tuple(interface.soap_action for interface in Interface)


def seeds() -> Iterable[bytes]:
    for path in range(len(PATHS)):
        for action in range(len(ACTIONS)):
            yield bytes([0, path, 1, action, 0])
    yield from regression_inputs("resolve")


def one_input(data: bytes) -> None:
    choices = Choices(data)
    how = choices.below(4)
    path = choices.pick(PATHS) if how < 2 else choices.text(80)
    if how == 1:
        path += choices.text(8)
    action_kind = choices.below(4)
    if action_kind == 0:
        soap_action: str | None = None
    elif action_kind == 1:
        action = choices.pick(ACTIONS)
        soap_action = choices.pick((action, f'"{action}"', f' " {action} " ', action.upper()))
    else:
        soap_action = choices.raw(120).decode("latin-1")
    try:
        interface = resolve_interface(path, soap_action)
    except IciFault:
        return
    if interface not in SERVED_INTERFACES:
        raise Finding(f"{path!r} {soap_action!r} resolved to {interface}, which is not served")
    if path.lower() != OII_ASMX.lower() and path.lower() != interface.service_path.lower():
        raise Finding(f"{path!r} resolved to {interface}, whose path is another")


def setup(work_dir: Path) -> Callable[[bytes], None]:
    return one_input
