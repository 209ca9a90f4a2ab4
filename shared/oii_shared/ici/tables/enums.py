"""The described code lists of chapters 9 and 10 as enums, and the callback results."""

from __future__ import annotations

import enum

from oii_shared.ici.tables.codes import ITEM_STATUSES, PROCESSING_STATUSES


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
