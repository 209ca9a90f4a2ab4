"""IciSystem.exchangeProductInformation and getWorkcenterCapability (spec 9.1.1, 9.1.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oii_shared import PRODUCT_NAME, PRODUCT_VERSION
from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall

# The groups of the spec's own sample answer (9.1.1.3).
ICI_MESSAGE_GROUPS = ("IciGroupBasic", "IciGroupUser", "IciGroupTelephony", "IciGroupMessaging")
# The ICI specification this implementation follows (spec chapter 7).
ICI_VERSION = "3.07"


def agreed_ici_version(requested: str | None) -> str:
    """The version CRM asked for when we cover it, else the newest we implement."""
    if requested:
        try:
            if float(requested) <= float(ICI_VERSION):
                return requested
        except ValueError:
            pass
    return ICI_VERSION


async def exchange_product_information(call: SoapCall) -> Mapping[str, Any]:
    return {
        "response": {
            "message": None,
            "productName": PRODUCT_NAME,
            "iciMessageGroups": ICI_MESSAGE_GROUPS,
            "productVersion": PRODUCT_VERSION,
            "iciVersion": agreed_ici_version(call.args.get("iciVersion")),
        }
    }


async def get_workcenter_capability(call: SoapCall) -> Mapping[str, Any]:
    # Free seating is not offered: user-based workcenter identification only (9.1.2.1).
    return {"response": {"types": "0", "workcenterList": False, "filter": False}}


def system_handlers() -> dict[HandlerKey, Handler]:
    return {
        (Interface.SYSTEM, "exchangeProductInformation"): exchange_product_information,
        (Interface.SYSTEM, "getWorkcenterCapability"): get_workcenter_capability,
    }
