"""The status and capability enums of each item type, backed by their tables."""

from __future__ import annotations

import enum

from oii_shared.ici.tables.action_session import (
    ACTION_SESSION_CAPABILITIES,
    ACTION_SESSION_STATUSES,
)
from oii_shared.ici.tables.chat_session import CHAT_SESSION_CAPABILITIES, CHAT_SESSION_STATUSES
from oii_shared.ici.tables.message import MESSAGE_CAPABILITIES, MESSAGE_STATUSES
from oii_shared.ici.tables.phone_call import PHONE_CALL_CAPABILITIES, PHONE_CALL_STATUSES
from oii_shared.ici.tables.rows import Capability, Status


class ItemStatusEnum(enum.IntEnum):
    @property
    def status(self) -> Status:
        return _STATUS_TABLES[type(self)][self.value]

    @property
    def capabilities(self) -> tuple[int, ...]:
        return self.status.capabilities


class PhoneCallStatus(ItemStatusEnum):
    CREATED = 1
    NEW = 2
    ALERTING = 3
    ENDED = 4
    CONNECTED = 101
    IDLE = 102
    DIALING = 103
    RINGING = 104
    BUSY = 105
    HOLD = 106
    HELD = 107
    CONFERENCE_OWNER = 108
    CONFERENCE_PARTICIPANT = 109
    LISTENED = 110


class MessageStatus(ItemStatusEnum):
    CREATED = 1
    NEW = 2
    ALERTING = 3
    ENDED = 4
    ACCEPTED = 201
    DRAFT = 202
    SENT = 203


class ChatSessionStatus(ItemStatusEnum):
    CREATED = 1
    NEW = 2
    ALERTING = 3
    ENDED = 4
    CONNECTED = 301
    INVITING = 302


class ActionSessionStatus(ItemStatusEnum):
    CREATED = 1
    NEW = 2
    ALERTING = 3
    ENDED = 4
    ACCEPTED = 401


class ItemCapabilityEnum(enum.IntEnum):
    @property
    def capability(self) -> Capability:
        return _CAPABILITY_TABLES[type(self)][self.value]


class PhoneCallCapability(ItemCapabilityEnum):
    ACCEPT = 1
    REROUTE = 2
    FORWARD = 3
    WRAP_UP_REQUIRED = 4
    WRAP_UP_ENDED = 5
    GET_ATTACHED_DATA = 6
    SET_ATTACHED_DATA = 7
    DELETE_ATTACHED_DATA = 8
    DIAL = 101
    DROP = 102
    CONSULT = 103
    TRANSFER = 104
    CONFERENCE = 105
    DROP_PARTY = 106
    HOLD = 107
    UNHOLD = 108
    ALTERNATE = 109
    RECONNECT = 110
    LISTEN = 111
    LISTEN_END = 112


class MessageCapability(ItemCapabilityEnum):
    ACCEPT = 1
    REROUTE = 2
    FORWARD = 3
    WRAP_UP_REQUIRED = 4
    WRAP_UP_ENDED = 5
    GET_ATTACHED_DATA = 6
    SET_ATTACHED_DATA = 7
    DELETE_ATTACHED_DATA = 8
    SET_CONTENT = 201
    SEND = 202
    DELETE = 203


class ChatSessionCapability(ItemCapabilityEnum):
    ACCEPT = 1
    REROUTE = 2
    FORWARD = 3
    WRAP_UP_REQUIRED = 4
    WRAP_UP_ENDED = 5
    GET_ATTACHED_DATA = 6
    SET_ATTACHED_DATA = 7
    DELETE_ATTACHED_DATA = 8
    LEAVE = 301
    JOIN = 302
    CONFERENCE = 303
    POST_MESSAGE = 304
    INVITE = 305


class ActionSessionCapability(ItemCapabilityEnum):
    ACCEPT = 1
    REROUTE = 2
    FORWARD = 3
    WRAP_UP_REQUIRED = 4
    WRAP_UP_ENDED = 5
    GET_ATTACHED_DATA = 6
    SET_ATTACHED_DATA = 7
    DELETE_ATTACHED_DATA = 8
    ENQUEUE = 401
    ROUTE = 402
    END = 403


_STATUS_TABLES: dict[type[ItemStatusEnum], dict[int, Status]] = {
    PhoneCallStatus: PHONE_CALL_STATUSES,
    MessageStatus: MESSAGE_STATUSES,
    ChatSessionStatus: CHAT_SESSION_STATUSES,
    ActionSessionStatus: ACTION_SESSION_STATUSES,
}

_CAPABILITY_TABLES: dict[type[ItemCapabilityEnum], dict[int, Capability]] = {
    PhoneCallCapability: PHONE_CALL_CAPABILITIES,
    MessageCapability: MESSAGE_CAPABILITIES,
    ChatSessionCapability: CHAT_SESSION_CAPABILITIES,
    ActionSessionCapability: ACTION_SESSION_CAPABILITIES,
}
