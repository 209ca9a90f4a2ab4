"""Which ICI interface a request is for: by path, or by SOAPAction on OII.asmx (spec 7.1)."""

from __future__ import annotations

from oii_shared.ici.registry import interface_for_path, interface_for_soap_action
from oii_shared.ici.schema import Interface
from oii_shared.paths import OII_ASMX
from oii_shared.soap.faults import Errors, IciFault


def resolve_interface(path: str, soap_action: str | None) -> Interface:
    if path.lower() == OII_ASMX.lower():
        interface = interface_for_soap_action(soap_action)
        if interface is None:
            raise IciFault(Errors.UNKNOWN_SOAP_ACTION, f"unknown SOAPAction {soap_action!r}")
        return interface
    interface = interface_for_path(path)
    if interface is None:
        raise IciFault(Errors.UNKNOWN_PATH, f"no ICI service at {path}")
    return interface
