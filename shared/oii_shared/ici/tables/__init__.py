"""The status and capability tables of spec chapter 10 and the code lists of chapters 9 and 10.

Texts are as printed in the spec; only PDF extraction breakage is repaired ("Iciltem"/"Icitem"
read as IciItem, cells split across lines joined).
"""

from __future__ import annotations

from oii_shared.ici.tables.action_session import (
    ACTION_SESSION_CAPABILITIES,
    ACTION_SESSION_STATUSES,
)
from oii_shared.ici.tables.by_channel import CAPABILITY_TABLES, STATUS_TABLES
from oii_shared.ici.tables.chat_session import CHAT_SESSION_CAPABILITIES, CHAT_SESSION_STATUSES
from oii_shared.ici.tables.codes import (
    ACTION_SESSION_PROCESSING_STATUSES,
    CHAT_SESSION_PROCESSING_STATUSES,
    ICI_MESSAGE_GROUPS,
    ITEM_PROCESSING_STATUSES,
    ITEM_STATUSES,
    MESSAGE_PROCESSING_STATUSES,
    PHONE_CALL_PROCESSING_STATUSES,
    PROCESSING_STATUSES,
)
from oii_shared.ici.tables.enums import (
    CALLBACK_FAILURES,
    CallbackResult,
    ChannelType,
    CollaborationType,
    ConsultNextStep,
    ContainerStatus,
    ContainerType,
    DestinationType,
    ItemStatus,
    PresenceStatus,
    ProcessingStatus,
    SubscriptionEndedReason,
    WorkcenterIdentificationType,
    Workmode,
    WrapUpMode,
)
from oii_shared.ici.tables.message import MESSAGE_CAPABILITIES, MESSAGE_STATUSES
from oii_shared.ici.tables.phone_call import PHONE_CALL_CAPABILITIES, PHONE_CALL_STATUSES
from oii_shared.ici.tables.rows import Capability, Status
from oii_shared.ici.tables.status_enums import (
    ActionSessionCapability,
    ActionSessionStatus,
    ChatSessionCapability,
    ChatSessionStatus,
    MessageCapability,
    MessageStatus,
    PhoneCallCapability,
    PhoneCallStatus,
)

__all__ = [
    "ACTION_SESSION_CAPABILITIES",
    "ACTION_SESSION_PROCESSING_STATUSES",
    "ACTION_SESSION_STATUSES",
    "CALLBACK_FAILURES",
    "CAPABILITY_TABLES",
    "CHAT_SESSION_CAPABILITIES",
    "CHAT_SESSION_PROCESSING_STATUSES",
    "CHAT_SESSION_STATUSES",
    "ICI_MESSAGE_GROUPS",
    "ITEM_PROCESSING_STATUSES",
    "ITEM_STATUSES",
    "MESSAGE_CAPABILITIES",
    "MESSAGE_PROCESSING_STATUSES",
    "MESSAGE_STATUSES",
    "PHONE_CALL_CAPABILITIES",
    "PHONE_CALL_PROCESSING_STATUSES",
    "PHONE_CALL_STATUSES",
    "PROCESSING_STATUSES",
    "STATUS_TABLES",
    "ActionSessionCapability",
    "ActionSessionStatus",
    "CallbackResult",
    "Capability",
    "ChannelType",
    "ChatSessionCapability",
    "ChatSessionStatus",
    "CollaborationType",
    "ConsultNextStep",
    "ContainerStatus",
    "ContainerType",
    "DestinationType",
    "ItemStatus",
    "MessageCapability",
    "MessageStatus",
    "PhoneCallCapability",
    "PhoneCallStatus",
    "PresenceStatus",
    "ProcessingStatus",
    "Status",
    "SubscriptionEndedReason",
    "WorkcenterIdentificationType",
    "Workmode",
    "WrapUpMode",
]
