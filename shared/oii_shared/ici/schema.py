"""The building blocks that describe ICI types and operations as data.

Everything that knows the shape of an ICI message (request parsing, response
encoding, WSDL generation) reads these descriptions instead of hard-coding
element names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

# XSD primitive names used in ``Field.type``.
STRING = "string"
INT = "int"
BOOLEAN = "boolean"
DATETIME = "dateTime"
PRIMITIVES = frozenset({STRING, INT, BOOLEAN, DATETIME})
# The empty element void operations answer with (``<response />``).
VOID = "Void"


class Interface(enum.StrEnum):
    """The ICI interfaces of spec 7.1: twelve services plus the client-side IciEvent."""

    SYSTEM = "IciSystem"
    USER = "IciUser"
    CONTAINER = "IciContainer"
    ITEM = "IciItem"
    PHONE_LINE = "IciPhoneLine"
    PHONE_CALL = "IciPhoneCall"
    FOLDER = "IciFolder"
    MESSAGE = "IciMessage"
    CHAT_LINE = "IciChatLine"
    CHAT_SESSION = "IciChatSession"
    ACTION_ITEM = "IciActionItem"
    MONITOR = "IciMonitor"
    # Client-side: CRM serves it, the notifier calls it (spec 9.3).
    EVENT = "IciEvent"

    @property
    def namespace(self) -> str:
        return f"urn:{self.value}Interface"

    @property
    def soap_action(self) -> str:
        return f"http://inqmy.com/soapdispatcher/rpc/bcbici/{self.value}Bean"

    @property
    def service_path(self) -> str:
        return f"/OII/{self.value}Service.asmx"


class Owner(enum.StrEnum):
    """The service that executes an operation."""

    GATEWAY = "gateway"
    TELEPHONY = "telephony"
    MESSAGING = "messaging"
    CHAT = "chat"
    ACTION = "action"
    NOTIFIER = "notifier"
    SAPPHONE = "sapphone"
    # IciItem operations go to the channel that owns the item (looked up by id).
    ITEM_OWNER = "item-owner"


@dataclass(frozen=True, slots=True)
class Field:
    """One child element of a complex type, request or response.

    ``type`` is a primitive name (``STRING``...) or the name of a ComplexType in
    ``oii_shared.ici.types.TYPES``. ``array`` means the element holds a list
    whose entries are ``<item>`` children of that type.
    """

    name: str
    type: str = STRING
    array: bool = False
    nillable: bool = True
    min_occurs: int = 0
    doc: str = ""


@dataclass(frozen=True, slots=True)
class ComplexType:
    """An ICI content type of spec chapter 10 (or a request-only structure)."""

    name: str
    fields: tuple[Field, ...]
    doc: str = ""


@dataclass(frozen=True, slots=True)
class Operation:
    """One ICI operation: where it lives, what it takes and what it answers.

    ``response`` lists the children of ``<nameResponse>``: usually a single
    ``response`` part, none for void operations, and extra parts where the spec
    shows them (``cmsHostId`` of IciUser.getAttributes).
    """

    interface: Interface
    name: str
    request: tuple[Field, ...]
    response: tuple[Field, ...]
    owner: Owner
    aliases: tuple[str, ...] = ()
    doc: str = ""
    spec_section: str = ""
    names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", frozenset((self.name, *self.aliases)))
