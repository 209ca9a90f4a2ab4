"""An operation is allowed only when its capability is in the item's list (chapter 10).

The capability list of an item is the "default capabilities" of its status in the
channel's status table; anything else is a fault, never a silent success.
"""

from __future__ import annotations

from oii_shared.ici.tables.status_enums import ItemCapabilityEnum, ItemStatusEnum
from oii_shared.soap.faults import Errors, IciFault


def require(
    item_id: str, status: ItemStatusEnum, capability: ItemCapabilityEnum, role: str = "item"
) -> None:
    """Fault unless ``capability`` is in the capability list of ``status``."""
    if capability.value not in status.capabilities:
        method = capability.capability.method.replace("_", ".")
        raise IciFault(
            Errors.NOT_ALLOWED_IN_STATUS,
            f"{method} is not allowed for {role} {item_id} in status "
            f"{status.value} {status.status.name}",
        )


def require_status(
    item_id: str, status: ItemStatusEnum, role: str, *allowed: ItemStatusEnum
) -> None:
    """Fault unless the item is in one of the ``allowed`` statuses."""
    if status not in allowed:
        names = " or ".join(f"{s.value} {s.status.name}" for s in allowed)
        raise IciFault(
            Errors.NOT_ALLOWED_IN_STATUS,
            f"{role} {item_id} is in status {status.value} {status.status.name}, not {names}",
        )
