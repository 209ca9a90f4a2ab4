"""The domain events that become IciEvent messages to CRM (spec 9.3).

A service publishes one of these once, with the ICI element already shaped as
a dict (the same dicts its SOAP handlers answer with); the notifier finds the
subscription sessions of the event's target, and sends ``operation`` with
``parts()`` plus the sessions' appIds. The notifier needs no database and no
knowledge of any channel.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar, NamedTuple

from pydantic import Field

from oii_shared.bus.events import Event
from oii_shared.bus.topology import EVENTS_SUBJECT_PREFIX
from oii_shared.channels import Channel, container_key
from oii_shared.db.models import user_key

ICI_EVENTS_SUBJECT = f"{EVENTS_SUBJECT_PREFIX}.ici.>"
# HTTP header of each event delivery: ``occurred_at`` of the change, so a receiver
# can tell how long the event took to reach it (CRM ignores headers it does not know).
EVENT_TIME_HEADER = "X-OII-Event-Time"


def container_subject(channel: Channel) -> str:
    """The subject format of a channel's container events: channel id, then the container."""
    return f"oii.events.ici.container.{channel.ici_id}.{{container_id}}"


class Target(NamedTuple):
    """Whose subscribers get an event: a user (``channel_type`` "") or a container."""

    channel_type: str
    key: str


class IciEvent(Event):
    operation: ClassVar[str]

    # Wall-clock time of the change, for the event latency the benchmark and stats report.
    occurred_at: float = Field(default_factory=time.time)

    @property
    def target(self) -> Target:
        raise NotImplementedError

    def parts(self) -> dict[str, Any]:
        """The request parts of ``operation`` except appIds."""
        raise NotImplementedError

    @property
    def state_key(self) -> str | None:
        """Whose whole state the event carries (a newer event of the same key replaces it);
        None for an event that adds to what came before (a chat posting)."""
        return None


class UserEvent(IciEvent):
    user_id: str

    @property
    def target(self) -> Target:
        return Target("", user_key(self.user_id))


class ContainerEvent(IciEvent):
    channel_type: ClassVar[str]
    container_id: str

    @property
    def target(self) -> Target:
        return Target(self.channel_type, container_key(self.container_id))


def item_state_key(event: ContainerEvent, item_id: object) -> str | None:
    """An item's state as one container's subscribers see it; None without an item id."""
    if not item_id:
        return None
    return f"{event.operation} {event.target.key} {item_id}"


class UserChanged(UserEvent):
    name = "user_changed"
    subject_format = "oii.events.ici.user.{user_id}"
    operation = "userChanged"

    # The ICI User element (10.10).
    user: dict[str, Any]

    def parts(self) -> dict[str, Any]:
        return {"user": self.user}

    @property
    def state_key(self) -> str | None:
        return f"user {self.target.key}"


class ContainerChanged(IciEvent):
    name = "container_changed"
    subject_format = "oii.events.ici.container.{container_type}.{container_id}"
    operation = "containerChanged"

    container_type: str
    container_id: str
    status: dict[str, str]  # TextElement: ContainerStatus id and description

    @property
    def target(self) -> Target:
        return Target(self.container_type, container_key(self.container_id))

    @property
    def state_key(self) -> str | None:
        return f"container {self.container_type} {self.target.key}"

    def parts(self) -> dict[str, Any]:
        return {
            "channelType": self.container_type,
            "containerId": self.container_id,
            "containerStatus": self.status,
        }


class PhoneCallChanged(ContainerEvent):
    """On the phone line ``container_id``; one event per line for internal calls."""

    name = "phone_call_changed"
    subject_format = container_subject(Channel.PHONE)
    operation = "phoneCallChanged"
    channel_type = Channel.PHONE.ici_id

    phone_call: dict[str, Any]

    def parts(self) -> dict[str, Any]:
        return {"phoneCall": self.phone_call}

    @property
    def state_key(self) -> str | None:
        return item_state_key(self, self.phone_call.get("callHandle"))


class MessageChanged(ContainerEvent):
    name = "message_changed"
    subject_format = container_subject(Channel.EMAIL)
    operation = "messageChanged"
    channel_type = Channel.EMAIL.ici_id

    message: dict[str, Any]

    def parts(self) -> dict[str, Any]:
        return {"message": self.message}

    @property
    def state_key(self) -> str | None:
        return item_state_key(self, self.message.get("id"))


class ChatChanged(ContainerEvent):
    name = "chat_changed"
    subject_format = container_subject(Channel.CHAT)
    operation = "chatChanged"
    channel_type = Channel.CHAT.ici_id

    chat_session: dict[str, Any]

    def parts(self) -> dict[str, Any]:
        return {"chatSession": self.chat_session}

    @property
    def state_key(self) -> str | None:
        return item_state_key(self, self.chat_session.get("id"))


class ChatNewPosting(ContainerEvent):
    name = "chat_new_posting"
    subject_format = container_subject(Channel.CHAT)
    operation = "chatNewPosting"
    channel_type = Channel.CHAT.ici_id

    chat_posting: dict[str, Any]

    def parts(self) -> dict[str, Any]:
        return {"chatPosting": self.chat_posting}


class ActionItemChanged(ContainerEvent):
    name = "action_item_changed"
    subject_format = container_subject(Channel.ACTION)
    operation = "actionItemChanged"
    channel_type = Channel.ACTION.ici_id

    action_session: dict[str, Any]
    action_item_id: str
    item_data: dict[str, Any] | None = None

    @property
    def state_key(self) -> str | None:
        return item_state_key(self, self.action_item_id)

    def parts(self) -> dict[str, Any]:
        return {
            "userIds": None,
            "actionSession": self.action_session,
            "actionItemId": self.action_item_id,
            "itemData": self.item_data,
            "scenarioId": None,
        }


ICI_EVENT_TYPES: tuple[type[IciEvent], ...] = (
    UserChanged,
    ContainerChanged,
    PhoneCallChanged,
    MessageChanged,
    ChatChanged,
    ChatNewPosting,
    ActionItemChanged,
)
