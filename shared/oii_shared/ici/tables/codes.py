"""The processing status and item status lists, and the ICI message groups."""

from __future__ import annotations

# The processingStatus lists of 10.11, 10.12, 10.13, 10.14 and 10.16 (ActionItem refers to
# ActionSession). The Item of IciItem.create lists only "Not in process".
PROCESSING_STATUSES: dict[int, str] = {
    1: "Not in process",
    2: "Active",
    3: "Wrap up",
    4: "Suspended",
}
ITEM_PROCESSING_STATUSES: dict[int, str] = {1: "Not in process"}
PHONE_CALL_PROCESSING_STATUSES: dict[int, str] = dict(PROCESSING_STATUSES)
MESSAGE_PROCESSING_STATUSES: dict[int, str] = dict(PROCESSING_STATUSES)
CHAT_SESSION_PROCESSING_STATUSES: dict[int, str] = dict(PROCESSING_STATUSES)
ACTION_SESSION_PROCESSING_STATUSES: dict[int, str] = dict(PROCESSING_STATUSES)

# Item.status of 10.11 ("itemStatus" in its sub-element list). The 9.4.1.3 sample sends the
# lower-case descriptions "created" and "not in process".
ITEM_STATUSES: dict[int, str] = {1: "Created"}

# exchangeProductInformation sample (9.1.1.3).
ICI_MESSAGE_GROUPS: tuple[str, ...] = (
    "IciGroupBasic",
    "IciGroupUser",
    "IciGroupTelephony",
    "IciGroupMessaging",
)
