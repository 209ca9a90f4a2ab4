"""A phone call item as stored in KV: one *leg*, the call as one phone line sees it.

ICI's PhoneCall (10.12) is per line: an internal call between two agents is
two items, one on each line, each with its own callHandle, processing status
and wrap-up. Legs know the parties they talk to (``peers``): another leg, or
an external party of the telephone network. A conference is a leg with more
than one peer (its owner); each other agent in it has one peer, the owner. Which
leg an external party talks to now is the live leg that has it as a peer (the
store's ``parties`` index): nothing else records it.
"""

from __future__ import annotations

import enum
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict

from oii_shared.channels import Channel
from oii_shared.ici.tables import ProcessingStatus
from oii_shared.items.ids import new_item_id
from oii_shared.items.wrapup import WrapUpItem


def new_handle() -> str:
    """A call's item id (the phone channel's digit first, ``oii_shared.items.ids``)."""
    return new_item_id(Channel.PHONE)


def guid_of(handle: str) -> str:
    """The 36-character GUID of a handle, as CAD's ``GUID`` key gives it (7.2.1)."""
    return str(uuid.UUID(hex=handle)).upper()


class Phase(enum.StrEnum):
    """Where the call stands; the ICI status follows from it and the hold/conference flags."""

    CREATED = "created"  # IciItem.create, not dialled yet
    NEW = "new"  # waiting in a queue or for a busy line, on no line
    ALERTING = "alerting"  # offered to the line's agent
    IDLE = "idle"  # created by the contact center (a callback about to be dialled)
    DIALING = "dialing"
    RINGING = "ringing"
    BUSY = "busy"  # the remote party is busy (OII.ShowBusyStatus)
    CONNECTED = "connected"
    ENDED = "ended"


class Role(enum.StrEnum):
    NONE = "none"
    OWNER = "owner"  # ConfereceOwner (108)
    PARTICIPANT = "participant"  # ConferenceParticipant (109)


class Origin(enum.StrEnum):
    QUEUE = "queue"  # came in through a queue
    DIRECT = "direct"  # called or forwarded to a phone line
    OUTBOUND = "outbound"  # created and dialled by an ICI application
    CONSULT = "consult"  # the consultation call of IciPhoneCall.consult
    CALLBACK = "callback"  # dialled for a due callback


class Peer(BaseModel):
    """One party a leg talks to: another leg (``leg``) or an external party (``external``)."""

    model_config = ConfigDict(frozen=True)

    number: str
    leg: str = ""
    external: str = ""


class Leg(WrapUpItem):
    model_config = ConfigDict(frozen=True)

    handle: str
    origin: Origin
    phase: Phase
    inbound: bool = True
    internal: bool = False
    # The line the call is on and its agent; both empty while it waits.
    line: str = ""
    user_id: str = ""
    # Hold (106): this line put the call on hold; Held (107): the other agent did.
    on_hold: bool = False
    held_by_peer: bool = False
    role: Role = Role.NONE
    peers: tuple[Peer, ...] = ()
    remote_numbers: tuple[str, ...] = ()
    dialed_number: str = ""
    trunk_id: str | None = None
    # What CRM sees (attachedData) and what the contact center knows of it (7.2, SetExtraData).
    attached_data: str = ""
    center_data: str = ""
    # Routing: the queue it waits in or came from, the one first called, or the line it
    # waits for (a direct call to a busy agent: a knocking call, 7.4).
    queue: str = ""
    # The number first called (a queue's or a line's; CAD FirstBNumber) and, if a queue, its id.
    first_number: str = ""
    first_queue: str = ""
    orig_queue: str = ""
    target_line: str = ""
    # Wrap-up (OII.WrapUpOutbound; the kit's WrapUpItem has the rest): talked to a
    # customer, was connected.
    customer: bool = False
    connected_once: bool = False
    # The consultation call of IciPhoneCall.consult: the held call and nextStep.
    consult_for: str = ""
    next_step: int = 1
    callback_id: str = ""
    caller_number: str = ""
    sip_call_id: str = ""
    recording: str = ""
    created_at: float = 0.0
    entered_queue_at: float = 0.0
    alerted_at: float = 0.0
    connected_at: float = 0.0
    # When it was dialled and when the network said busy: a restarted engine re-arms the
    # network's answer and ring timers and the Busy display from them.
    dialed_at: float = 0.0
    busy_at: float = 0.0

    @property
    def item_id(self) -> str:
        return self.handle

    @property
    def container(self) -> str:
        return self.line

    @property
    def final(self) -> bool:
        """Ended and not wrapped up: the item is gone once this is announced."""
        return (
            self.phase is Phase.ENDED and self.processing == ProcessingStatus.NOT_IN_PROCESS.value
        )

    @classmethod
    def waiting(
        cls,
        origin: Origin,
        called: str,
        now: float,
        *,
        queue: str = "",
        target_line: str = "",
        handle: str = "",
        document: str = "",
        **fields: Any,
    ) -> Leg:
        """A new call waiting for an agent (10.12.3 New: on no line yet): in ``queue``, or
        for the agent of ``target_line``; ``called`` is the number it was placed to,
        ``document`` its attached data (what the contact center knows of it too).
        ``fields`` are any other of the leg's (the first number and queue default to
        ``called`` and ``queue``)."""
        return cls(
            handle=handle or new_handle(),
            origin=origin,
            phase=Phase.NEW,
            dialed_number=called,
            queue=queue,
            target_line=target_line,
            first_number=fields.pop("first_number", called),
            first_queue=fields.pop("first_queue", queue),
            attached_data=document,
            center_data=document,
            created_at=now,
            entered_queue_at=now,
            **fields,
        )

    def with_peers(self, peers: tuple[Peer, ...]) -> Leg:
        """New peers, with the remote numbers and internal flag they imply."""
        fields: dict[str, object] = {
            "peers": peers,
            "remote_numbers": tuple(peer.number for peer in peers),
        }
        if peers:
            fields["internal"] = all(not peer.external for peer in peers)
            if any(peer.external for peer in peers):
                fields["customer"] = True
        return self.model_copy(update=fields)
