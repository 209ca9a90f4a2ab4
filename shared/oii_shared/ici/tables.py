"""The status and capability tables of spec chapter 10 and the code lists of chapters 9 and 10.

Texts are as printed in the spec; only PDF extraction breakage is repaired ("Iciltem"/"Icitem"
read as IciItem, cells split across lines joined).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Capability:
    """One row of a capability table: the method an item may be given in its current status."""

    id: int
    name: str
    method: str


@dataclass(frozen=True, slots=True)
class Status:
    """One row of a status table with its default capabilities."""

    id: int
    name: str
    description: str
    capabilities: tuple[int, ...]


def _capabilities(*rows: Capability) -> dict[int, Capability]:
    return {row.id: row for row in rows}


def _statuses(*rows: Status) -> dict[int, Status]:
    return {row.id: row for row in rows}


# 10.12.2
PHONE_CALL_CAPABILITIES: dict[int, Capability] = _capabilities(
    Capability(1, "Accept (answer) a ringing call", "IciItem_accept"),
    Capability(2, "Reroute a call before it is accepted", "IciItem_reroute"),
    Capability(
        3,
        "Transfer a call to another destination number without consultation "
        "(is equal to deflect or blind transfer)",
        "IciItem_forward",
    ),
    Capability(4, "Indicate that wrap-up time is required", "IciItem_wrapUpRequired"),
    Capability(5, "Indicate that wrap-up time is ended", "IciItem_wrapUpEnded"),
    Capability(6, "Get attached data", "IciItem_getAttachedData"),
    Capability(7, "Set attached data", "IciItem_setAttachedData"),
    Capability(8, "Delete attached data", "IciItem_deleteAttachedData"),
    Capability(101, "Dial (outbound call)", "IciPhoneCall_dial"),
    Capability(102, "Disconnect a call", "IciPhoneCall_drop"),
    Capability(103, "Create a consultation call", "IciPhoneCall_consult"),
    Capability(104, "Transfer a held call to a consulted number", "IciPhoneCall_transfer"),
    Capability(105, "Create a phone conference", "IciPhoneCall_conference"),
    Capability(106, "Drop a party from a phone conference", "IciPhoneCall_dropParty"),
    Capability(107, "Put a call on hold", "IciPhoneCall_hold"),
    Capability(108, "Release a held call", "IciPhoneCall_unhold"),
    Capability(109, "Toggle between a held and connected call", "IciPhoneCall_alternate"),
    Capability(
        110,
        "Disconnect a connected call and release a held call",
        "IciPhoneCall_reconnect",
    ),
    # 7.1: listen and listenEnd are not implemented by OII.
    Capability(111, "Listen to another call", "IciPhoneCall_listen"),
    Capability(112, "End listening another call", "IciPhoneCall_listenEnd"),
)

# 10.12.3
PHONE_CALL_STATUSES: dict[int, Status] = _statuses(
    Status(
        1,
        "Created",
        "Initial outbound call created by an ICI application with IciItem_create",
        (6, 7, 8, 101, 102, 103),
    ),
    Status(
        2,
        "New",
        "Inbound call not assigned to any phone line (usually waiting in a queue)",
        (),
    ),
    Status(3, "Alerting", "Inbound call is signaled", (1, 2, 3)),
    Status(4, "Ended", "Disconnected call", (5,)),
    Status(
        101,
        "Connected",
        "Call is connected, parties can talk",
        (3, 4, 6, 7, 8, 102, 104, 105, 107, 109, 110),
    ),
    Status(
        102,
        "Idle",
        "Initial call created by the contact center (e.g. user took the receiver off the hook)",
        (6, 7, 8, 101, 102, 103),
    ),
    Status(103, "Dialing", "Outbound call is dialed", (102,)),
    Status(104, "Ringing", "Outbound call rings", (102,)),
    Status(105, "Busy", "Call is busy (the remote party is busy)", (102,)),
    Status(
        106,
        "Hold",
        "Call is held, on hold status was triggered by this number",
        (4, 6, 7, 8, 102, 103, 104, 105, 108, 109, 110),
    ),
    Status(
        107,
        "Held",
        "Call is held, on hold status was triggered by the remote number",
        (4, 6, 7, 8, 102),
    ),
    # Spelled so in the spec itself (the row is intact in the extraction).
    Status(
        108,
        "ConfereceOwner",
        "Call represents a conference call, established by this number",
        (4, 6, 7, 8, 102, 106, 107),
    ),
    Status(
        109,
        "ConferenceParticipant",
        "Call represents a conference call, established by a remote number",
        (4, 6, 7, 8, 102, 107),
    ),
    Status(110, "Listened", "User (usually a supervisor) listens to a phone call", (112,)),
)

# 10.13.2
MESSAGE_CAPABILITIES: dict[int, Capability] = _capabilities(
    Capability(1, "Accept a new message for processing", "IciItem_accept"),
    Capability(2, "Reroute a message before it is accepted", "IciItem_reroute"),
    Capability(3, "Forward a message to another destination", "IciItem_forward"),
    Capability(4, "Indicate that wrap-up time is required", "IciItem_wrapUpRequired"),
    Capability(5, "Indicate that wrap-up time is ended", "IciItem_wrapUpEnded"),
    Capability(6, "Get attached data", "IciItem_getAttachedData"),
    Capability(7, "Set attached data", "IciItem_setAttachedData"),
    Capability(8, "Delete attached data", "IciItem_deleteAttachedData"),
    Capability(201, "Set message contents", "IciMessage_setContent"),
    Capability(202, "Send message", "IciMessage_send"),
    Capability(203, "Delete message", "IciMessage_delete"),
)

# 10.13.3
MESSAGE_STATUSES: dict[int, Status] = _statuses(
    Status(
        1,
        "Created",
        "Initial message created by an ICI application with IciItem_create",
        (6, 7, 8, 201),
    ),
    Status(
        2,
        "New",
        "Inbound message not assigned to an agent (usually waiting in a queue)",
        (),
    ),
    Status(3, "Alerting", "Inbound message signaled to an agent", (1, 2, 3)),
    Status(4, "Ended", "Message deleted (may be archived)", (5,)),
    Status(201, "Accepted", "Inbound message accepted by an agent", (3, 4, 6, 7, 8, 203)),
    Status(202, "Draft", "Message has been saved but not yet sent", (4, 6, 7, 8, 201, 202, 203)),
    Status(203, "Sent", "Message has been sent", (4, 5, 6, 7, 8, 203)),
)

# 10.14.2
CHAT_SESSION_CAPABILITIES: dict[int, Capability] = _capabilities(
    Capability(1, "Accept a new chat session for processing", "IciItem_accept"),
    Capability(2, "Reroute a chat session before it is accepted", "IciItem_reroute"),
    Capability(3, "Forward a chat session to another destination", "IciItem_forward"),
    Capability(4, "Indicate that wrap-up time is required", "IciItem_wrapUpRequired"),
    Capability(5, "Indicate that wrap-up time is ended", "IciItem_wrapUpEnded"),
    Capability(6, "Get attached data", "IciItem_getAttachedData"),
    Capability(7, "Set attached data", "IciItem_setAttachedData"),
    Capability(8, "Delete attached data", "IciItem_deleteAttachedData"),
    Capability(301, "Leave a chat session", "IciChatSession_leave"),
    Capability(
        302,
        "Join an existing chat session not signaled via event (not implemented)",
        "IciChatSession_join",
    ),
    Capability(
        303,
        "Start a conference chat session (not implemented)",
        "IciChatSession_conference",
    ),
    Capability(304, "Post a message to the chat session", "IciChatSession_postMessage"),
    Capability(305, "Invite participants in a chat session", "IciChatSession_invite"),
)

# 10.14.3
CHAT_SESSION_STATUSES: dict[int, Status] = _statuses(
    Status(
        1,
        "Created",
        "Initial chat session created by an ICI application with IciItem_create",
        (6, 7, 8, 302, 305),
    ),
    Status(
        2,
        "New",
        "Chat session not assigned to any chat line (usually waiting in a queue)",
        (),
    ),
    Status(3, "Alerting", "Inbound chat session is signaled", (1, 2, 3)),
    Status(4, "Ended", "Ended chat session", (5,)),
    Status(
        301,
        "Connected",
        "Chat session is connected, parties can talk",
        (3, 4, 6, 7, 8, 301, 302, 303, 304),
    ),
    Status(
        302,
        "Inviting",
        "Chat session participants are being invited "
        "(equivalent to status \u201cringing\u201d in telephony)",
        (301,),
    ),
)

# 10.16.2
ACTION_SESSION_CAPABILITIES: dict[int, Capability] = _capabilities(
    Capability(1, "Accept a new action item for processing", "IciItem_accept"),
    Capability(2, "Reroute an action item before it is accepted", "IciItem_reroute"),
    Capability(3, "Forward an action item to another destination", "IciItem_forward"),
    Capability(4, "Indicate that wrap-up time is required", "IciItem_wrapUpRequired"),
    Capability(5, "Indicate that wrap-up time is ended", "IciItem_wrapUpEnded"),
    Capability(6, "Get attached data", "IciItem_getAttachedData"),
    Capability(7, "Set attached data", "IciItem_setAttachedData"),
    Capability(8, "Delete attached data", "IciItem_deleteAttachedData"),
    Capability(401, "Enqueue (not implemented)", "IciActionItem_enqueue"),
    Capability(
        402,
        "Route (this actually creates the action item, so this capability is not used)",
        "IciActionItem_route",
    ),
    # Printed as "IciMessage_end (was IciActionItem_end)"; the method part is kept.
    Capability(403, "End", "IciMessage_end"),
)

# 10.16.3
ACTION_SESSION_STATUSES: dict[int, Status] = _statuses(
    Status(
        1,
        "Created",
        "Action Item created by an ICI application with IciItem_create "
        "(not used, instead IciActionItem_route is used)",
        (6, 7, 8, 401, 402, 403),
    ),
    Status(
        2,
        "New",
        "Action Item not assigned to an agent (usually waiting in a queue)",
        (),
    ),
    Status(3, "Alerting", "Action Item signaled to an agent", (1, 2, 3, 6)),
    Status(4, "Ended", "Ended Action Item", (5,)),
    Status(401, "Accepted", "Action Item accepted by an agent", (3, 4, 6, 7, 8, 403)),
)

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


class _Described(enum.IntEnum):
    @property
    def description(self) -> str:
        return _DESCRIPTIONS[type(self)][self.value]


class ChannelType(_Described):
    """channelType of getPresenceQueueInfo (9.1.3), IciItem.create and IciContainer.subscribe."""

    TELEPHONY = 1
    MESSAGING = 2
    CHAT = 3
    ACTION = 4


class ContainerType(_Described):
    """channelType of the containerChanged event (9.3.3)."""

    PHONE_LINE = 1
    FOLDER = 2
    CHAT_LINE = 3
    ACTION_ITEM_INBOX = 4


class DestinationType(_Described):
    """destType of IciItem.forward (9.4.6)."""

    PHONE_LINE = 1
    FOLDER = 2
    CHAT_LINE = 3
    ACTION_ITEM_INBOX = 4
    QUEUE = 12


class ContainerStatus(_Described):
    """containerStatus of the containerChanged event (9.3.3)."""

    OK = 1
    FAILURE = 2
    REMOVED = 3


class Workmode(_Described):
    """User workmodes (10.10); descriptions as OII sends them in 9.2.1.3."""

    LOGGED_OFF = 1
    READY = 2
    NOT_READY = 3
    NO_PHONE = 1000


class WrapUpMode(_Described):
    """User.wrapUpMode (10.10)."""

    AUTOMATIC = 1
    REQUESTED = 2


class PresenceStatus(_Described):
    """UserPresenceInfo.presenceStatus (10.5)."""

    NOT_AVAILABLE = 0
    AVAILABLE = 1
    BUSY = 2
    LOGGED_OFF = 3


class CollaborationType(_Described):
    """CollaborationData.capability (10.6), with its CollaborationData.description."""

    # 10.6 lists the descriptions (Call, Blind transfer, Warm transfer) and the capabilities
    # (101 Dial, 3 Forward, 104 Transfer) separately; they are paired in printed order.
    CALL = 101
    BLIND_TRANSFER = 3
    WARM_TRANSFER = 104


class SubscriptionEndedReason(_Described):
    """reason of the subscriptionEnded event (9.3.2)."""

    SHUTDOWN = 1
    PAUSED = 2
    TIMEOUT = 3


class ConsultNextStep(_Described):
    """nextStep of IciPhoneCall.consult (9.7.3)."""

    UNKNOWN = 1
    TRANSFER = 2
    CONFERENCE = 3
    RECONNECT = 4


class WorkcenterIdentificationType(_Described):
    """types of getWorkcenterCapability (9.1.2); values >= 100 are unspecified IDs."""

    USER_BASED = 0
    FULLY_QUALIFIED_DOMAIN_NAME = 1
    HOSTNAME = 2
    IP_ADDRESS = 3


class ProcessingStatus(_Described):
    """processingStatus of every item type (10.11 to 10.17)."""

    NOT_IN_PROCESS = 1
    ACTIVE = 2
    WRAP_UP = 3
    SUSPENDED = 4


class ItemStatus(_Described):
    """Item.status of IciItem.create's answer (10.11)."""

    CREATED = 1


class CallbackResult(enum.StrEnum):
    """result of IciSystem.updateCallBack and CallBack.lastResult (9.1.7, 10.8)."""

    BADADDRESS = "BADADDRESS"
    BUSY = "BUSY"
    NO_ANSWER = "NO_ANSWER"
    VOICEMAIL = "VOICEMAIL"
    OTHER = "OTHER"
    SUCCESSFUL = "SUCCESSFUL"
    HANDLED = "HANDLED"


# 9.1.7: these increment the failure count until MaxCalls, then the result becomes HANDLED.
CALLBACK_FAILURES: frozenset[CallbackResult] = frozenset(
    {
        CallbackResult.BADADDRESS,
        CallbackResult.BUSY,
        CallbackResult.NO_ANSWER,
        CallbackResult.VOICEMAIL,
        CallbackResult.OTHER,
    }
)


class _StatusEnum(enum.IntEnum):
    @property
    def status(self) -> Status:
        return _STATUS_TABLES[type(self)][self.value]

    @property
    def capabilities(self) -> tuple[int, ...]:
        return self.status.capabilities


class PhoneCallStatus(_StatusEnum):
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


class MessageStatus(_StatusEnum):
    CREATED = 1
    NEW = 2
    ALERTING = 3
    ENDED = 4
    ACCEPTED = 201
    DRAFT = 202
    SENT = 203


class ChatSessionStatus(_StatusEnum):
    CREATED = 1
    NEW = 2
    ALERTING = 3
    ENDED = 4
    CONNECTED = 301
    INVITING = 302


class ActionSessionStatus(_StatusEnum):
    CREATED = 1
    NEW = 2
    ALERTING = 3
    ENDED = 4
    ACCEPTED = 401


class _CapabilityEnum(enum.IntEnum):
    @property
    def capability(self) -> Capability:
        return _CAPABILITY_TABLES[type(self)][self.value]


class PhoneCallCapability(_CapabilityEnum):
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


class MessageCapability(_CapabilityEnum):
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


class ChatSessionCapability(_CapabilityEnum):
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


class ActionSessionCapability(_CapabilityEnum):
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

_STATUS_TABLES: dict[type[_StatusEnum], dict[int, Status]] = {
    PhoneCallStatus: PHONE_CALL_STATUSES,
    MessageStatus: MESSAGE_STATUSES,
    ChatSessionStatus: CHAT_SESSION_STATUSES,
    ActionSessionStatus: ACTION_SESSION_STATUSES,
}

_CAPABILITY_TABLES: dict[type[_CapabilityEnum], dict[int, Capability]] = {
    PhoneCallCapability: PHONE_CALL_CAPABILITIES,
    MessageCapability: MESSAGE_CAPABILITIES,
    ChatSessionCapability: CHAT_SESSION_CAPABILITIES,
    ActionSessionCapability: ACTION_SESSION_CAPABILITIES,
}

_DESCRIPTIONS: dict[type[_Described], dict[int, str]] = {
    # 9.1.3 and 9.4.1; the 9.2.1.3 sample shows User.channels as "Telephony" and "E-mail".
    ChannelType: {1: "telephony", 2: "messaging", 3: "chat", 4: "action routing"},
    ContainerType: {1: "Phone line", 2: "Folder", 3: "Chat line", 4: "Action item inbox"},
    DestinationType: {
        1: "Phone line",
        2: "Folder",
        3: "Chat line",
        4: "Action item inbox",
        12: "Queue",
    },
    ContainerStatus: {1: "OK", 2: "Failure", 3: "Removed"},
    # 10.10 prints en dashes ("Logged on \u2013 ready"); OII sends hyphens (9.2.1.3).
    Workmode: {
        1: "Logged off",
        2: "Logged on - ready",
        3: "Logged on - not ready",
        1000: "No Phone",
    },
    WrapUpMode: {1: "automatic wrap up status", 2: "requested wrap up status"},
    PresenceStatus: {0: "NotAvailable", 1: "Available", 2: "Busy", 3: "LoggedOff"},
    CollaborationType: {101: "Call", 3: "Blind transfer", 104: "Warm transfer"},
    SubscriptionEndedReason: {
        1: "Contact center shut-down phase. Subscriptions will be lost and resubscriptions "
        "are necessary.",
        2: "Contact center paused. The contact center is out of service for an unspecified "
        "time. Subscriptions will not be lost and a resubscription is not necessary.",
        3: "Subscription timeout. The application needs a resubscription if it is still "
        "interested in getting the events.",
    },
    ConsultNextStep: {1: "unknown", 2: "transfer", 3: "conference", 4: "reconnect"},
    WorkcenterIdentificationType: {
        0: "Free Seating not supported. User-based workcenter identification.",
        1: "Workcenter identified by a fully qualified domain name (e.g. raptor.wdf.sap.corp)",
        2: "Workcenter identified by a hostname (e.g. raptor)",
        3: "Workcenter identified by an IP address (e.g. 10.12.124.252)",
    },
    ProcessingStatus: PROCESSING_STATUSES,
    ItemStatus: ITEM_STATUSES,
}
