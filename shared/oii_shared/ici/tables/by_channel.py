"""The status and capability tables keyed by channel type."""

from __future__ import annotations

from oii_shared.ici.tables.action_session import (
    ACTION_SESSION_CAPABILITIES,
    ACTION_SESSION_STATUSES,
)
from oii_shared.ici.tables.chat_session import CHAT_SESSION_CAPABILITIES, CHAT_SESSION_STATUSES
from oii_shared.ici.tables.enums import ChannelType
from oii_shared.ici.tables.message import MESSAGE_CAPABILITIES, MESSAGE_STATUSES
from oii_shared.ici.tables.phone_call import PHONE_CALL_CAPABILITIES, PHONE_CALL_STATUSES
from oii_shared.ici.tables.rows import Capability, Status

STATUS_TABLES: dict[ChannelType, dict[int, Status]] = {
    ChannelType.TELEPHONY: PHONE_CALL_STATUSES,
    ChannelType.MESSAGING: MESSAGE_STATUSES,
    ChannelType.CHAT: CHAT_SESSION_STATUSES,
    ChannelType.ACTION: ACTION_SESSION_STATUSES,
}

CAPABILITY_TABLES: dict[ChannelType, dict[int, Capability]] = {
    ChannelType.TELEPHONY: PHONE_CALL_CAPABILITIES,
    ChannelType.MESSAGING: MESSAGE_CAPABILITIES,
    ChannelType.CHAT: CHAT_SESSION_CAPABILITIES,
    ChannelType.ACTION: ACTION_SESSION_CAPABILITIES,
}
