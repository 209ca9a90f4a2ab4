"""The four channels of ICI, each once: what every part of the suite needs to know of one.

``Channel`` is the name the YAML and the database use (``phone``, ``email``,
``chat``, ``action``); each member knows its ICI ``channelType`` (1-4, the
text ``"1"``..``"4"`` of User.channels, Address.channel and the events), the
service that owns its items, its container kind (9.3.3), the module parameter
and pseudo queue that switch it on per user (4.3.1, 4.3.3), and its status and
capability tables (chapter 10).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from oii_shared.ici.schema import Owner
from oii_shared.ici.tables.by_channel import CAPABILITY_TABLES, STATUS_TABLES
from oii_shared.ici.tables.enums import ChannelType, ContainerType
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
from oii_shared.soap.faults import Errors, IciError, IciFault


@dataclass(frozen=True, slots=True)
class _Traits:
    channel_type: ChannelType
    owner: Owner
    container: ContainerType
    description: str
    parameter: str | None
    pseudo_queue: str | None
    statuses: type[enum.IntEnum]
    capabilities: type[enum.IntEnum]
    bucket: str


class Channel(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    ACTION = "action"

    @property
    def _traits(self) -> _Traits:
        return _TRAITS[self]

    @property
    def channel_type(self) -> ChannelType:
        return self._traits.channel_type

    @property
    def ici_id(self) -> str:
        """The channel as ICI writes it in texts: ``"1"`` .. ``"4"``."""
        return str(self._traits.channel_type.value)

    @property
    def owner(self) -> Owner:
        """The service that owns this channel's items."""
        return self._traits.owner

    @property
    def container(self) -> ContainerType:
        return self._traits.container

    @property
    def description(self) -> str:
        """As the samples 9.2.1.3 and 9.3.1.2 print it ("Telephony", "E-mail")."""
        return self._traits.description

    @property
    def parameter(self) -> str | None:
        """The module parameter that switches it on for everybody; phone is always on (4.6)."""
        return self._traits.parameter

    @property
    def pseudo_queue(self) -> str | None:
        """The pseudo queue that switches it on per member (4.3.3)."""
        return self._traits.pseudo_queue

    @property
    def bucket(self) -> str:
        """The KV bucket of its service: its items (``oii_shared.items.store``) and the rest."""
        return self._traits.bucket

    @property
    def statuses(self) -> type[enum.IntEnum]:
        return self._traits.statuses

    @property
    def capabilities(self) -> type[enum.IntEnum]:
        return self._traits.capabilities

    @property
    def status_table(self) -> dict[int, Status]:
        return STATUS_TABLES[self._traits.channel_type]

    @property
    def capability_table(self) -> dict[int, Capability]:
        return CAPABILITY_TABLES[self._traits.channel_type]

    @classmethod
    def of_ici(cls, value: object) -> Channel | None:
        """The channel of a channelType as CRM sends it (``"1"``, ``2``...), or None."""
        return _BY_ICI_ID.get(str(value).strip())


_TRAITS: dict[Channel, _Traits] = {
    Channel.PHONE: _Traits(
        ChannelType.TELEPHONY, Owner.TELEPHONY, ContainerType.PHONE_LINE, "Telephony",
        None, None, PhoneCallStatus, PhoneCallCapability, "oii_calls",
    ),
    Channel.EMAIL: _Traits(
        ChannelType.MESSAGING, Owner.MESSAGING, ContainerType.FOLDER, "E-mail",
        "OII.Email", "OII_EMAIL", MessageStatus, MessageCapability, "oii_messages",
    ),
    Channel.CHAT: _Traits(
        ChannelType.CHAT, Owner.CHAT, ContainerType.CHAT_LINE, "Chat",
        "OII.Chat", "OII_CHAT", ChatSessionStatus, ChatSessionCapability, "oii_chats",
    ),
    Channel.ACTION: _Traits(
        ChannelType.ACTION, Owner.ACTION, ContainerType.ACTION_ITEM_INBOX, "Action",
        "OII.Action", "OII_ACTION", ActionSessionStatus, ActionSessionCapability, "oii_actions",
    ),
}  # fmt: skip


def channel_argument(value: object, *, when_missing: IciError = Errors.INVALID_ARGUMENT) -> Channel:
    """The channel a request's ``channelType`` (1-4) names, or the fault that says what is wrong.

    An absent value is ``when_missing``: getPresenceQueueInfo says "required", the others
    answer it as any other wrong value.
    """
    text = str(value or "").strip()
    if not text and when_missing is Errors.MISSING_ARGUMENT:
        raise IciFault(Errors.MISSING_ARGUMENT, "channelType is required")
    channel = Channel.of_ici(text)
    if channel is None:
        raise IciFault(Errors.INVALID_ARGUMENT, f"channelType {text!r} is not 1, 2, 3 or 4")
    return channel


def container_key(container_id: str) -> str:
    """Containers are phone lines and addresses: compared without case or surrounding space."""
    return container_id.strip().casefold()


_BY_ICI_ID: dict[str, Channel] = {channel.ici_id: channel for channel in Channel}

# The services that own items of a channel (and answer IciItem for them).
CHANNEL_OWNERS: frozenset[Owner] = frozenset(channel.owner for channel in Channel)
