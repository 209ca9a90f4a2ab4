"""The registry of ICI operations: drives parsing, dispatch and WSDL."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from oii_shared.ici.schema import Interface, Operation


class Registry:
    """Operations indexed by interface and by every accepted spelling of their name.

    Names are matched case-insensitively because the spec itself writes
    createCallBack and createCallback, getCallBacks and getCallbacks.
    """

    def __init__(self, operations: Iterable[Operation]) -> None:
        self.operations: tuple[Operation, ...] = tuple(operations)
        self._index: dict[tuple[Interface, str], Operation] = {}
        for operation in self.operations:
            for name in operation.names:
                key = (operation.interface, name.lower())
                if self._index.get(key, operation) is not operation:
                    raise ValueError(f"operation {operation.interface}.{name} defined twice")
                self._index[key] = operation

    def find(self, interface: Interface, name: str) -> Operation | None:
        return self._index.get((interface, name.lower()))

    def of_interface(self, interface: Interface) -> tuple[Operation, ...]:
        return tuple(op for op in self.operations if op.interface is interface)


SERVED_INTERFACES: tuple[Interface, ...] = tuple(i for i in Interface if i is not Interface.EVENT)

_BY_SOAP_ACTION = {i.soap_action: i for i in SERVED_INTERFACES}
_BY_PATH = {i.service_path.lower(): i for i in SERVED_INTERFACES}


def interface_for_soap_action(header: str | None) -> Interface | None:
    """The interface named by a SOAPAction header, quoted or not (spec 7.1)."""
    if not header:
        return None
    return _BY_SOAP_ACTION.get(header.strip().strip('"').strip())


def interface_for_path(path: str) -> Interface | None:
    return _BY_PATH.get(path.lower())


@cache
def ici_registry() -> Registry:
    """The registry of every served ICI operation (built once, on first use)."""
    from oii_shared.ici.operations import OPERATIONS

    return Registry(OPERATIONS)


@cache
def event_registry() -> Registry:
    """The IciEvent operations the notifier sends to CRM."""
    from oii_shared.ici.operations import EVENTS

    return Registry(EVENTS)
