"""An action item as ICI shows it: its status on an inbox (10.16.3), the ActionSession
(10.16) and the itemData echo (10.17) of every actionItemChanged (9.3.8).

Capabilities are the status table's (10.16.3), not the 9.3.8.4 sample's list
(docs/design.md).
"""

from __future__ import annotations

from typing import Any

from oii_action.items.model import ActionItem, Phase
from oii_shared.ici.tables import (
    ACTION_SESSION_PROCESSING_STATUSES,
    ActionSessionCapability,
    ActionSessionStatus,
    ProcessingStatus,
)
from oii_shared.ici.types.common import text_element
from oii_shared.items.guard import require as require_capability

_STATUS = {
    Phase.NEW: ActionSessionStatus.NEW,
    Phase.ALERTING: ActionSessionStatus.ALERTING,
    Phase.ACCEPTED: ActionSessionStatus.ACCEPTED,
    Phase.ENDED: ActionSessionStatus.ENDED,
}


def status_of(item: ActionItem) -> ActionSessionStatus:
    return _STATUS[item.phase]


def require(item: ActionItem, capability: ActionSessionCapability) -> None:
    require_capability(item.id, status_of(item), capability, "action item")


def _processing(value: int) -> dict[str, str]:
    return text_element(value, ACTION_SESSION_PROCESSING_STATUSES[value])


def action_session(
    item: ActionItem, status: ActionSessionStatus, processing: int
) -> dict[str, Any]:
    return {
        "actionParticipants": [item.user_id] if item.user_id else [],
        "capabilityList": list(status.capabilities),
        "title": item.subject,
        "actionSessionId": None,
        "actionStatus": text_element(status.value, status.status.name),
        "processingStatus": _processing(processing),
        "attachedData": item.attached_data,
        "actionLineId": item.container or None,
    }


def item_data(item: ActionItem, status: ActionSessionStatus, processing: int) -> dict[str, Any]:
    """The route's itemData as sent, its status fields those of now."""
    return {
        **item.item_data,
        "capabilityList": list(status.capabilities),
        "processingStatus": _processing(processing),
        "actionItemStatus": text_element(status.value, status.status.name),
    }


def shown(item: ActionItem) -> tuple[ActionSessionStatus, int]:
    return status_of(item), item.processing


def left(item: ActionItem) -> tuple[ActionSessionStatus, int]:
    """How the item looks on an inbox it left (rerouted, forwarded, not answered): over."""
    return ActionSessionStatus.ENDED, ProcessingStatus.NOT_IN_PROCESS.value
