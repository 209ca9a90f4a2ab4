"""Room: may an agent who holds these contacts be offered one more of this channel?

One cross-channel rule, the matrix of ``docs/channels.md``. By default an agent
is offered one contact at a time (spec 2.1). OII.PhoneMultiSession lets an agent with
a phone contact in wrap-up take another one; an accepted e-mail or action item keeps the desktop in
Paperwork (blocking everything) unless OII.EmailMultiSession / OII.ActionMultiSession
sets it back to Serving, so phone contacts and chats may be offered meanwhile (4.3.1).
Customer chats take up to ``chats_at_once`` at once (our setting, not an OII name).
Instant messages between agents ignore room and take none (2.1), as does an item the
agent's application created and has not started yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters

_PHONE, _EMAIL, _CHAT, _ACTION = (c.ici_id for c in Channel)
# While an accepted e-mail or action item is Serving again (MultiSession), these may be offered.
_BESIDE_PAPERWORK = frozenset({_PHONE, _CHAT})


@dataclass(frozen=True, slots=True)
class RoomRules:
    phone_multi: bool = False
    email_multi: bool = False
    action_multi: bool = False
    chats_at_once: int = 1

    @classmethod
    def from_parameters(cls, parameters: ModuleParameters, chats_at_once: int = 1) -> RoomRules:
        return cls(
            phone_multi=parameters.flag("OII.PhoneMultiSession"),
            email_multi=parameters.flag("OII.EmailMultiSession"),
            action_multi=parameters.flag("OII.ActionMultiSession"),
            chats_at_once=max(1, chats_at_once),
        )

    def allows(self, held: Contact, offered: str) -> bool:
        """Whether ``held`` leaves room for a contact of channel ``offered`` (ICI id)."""
        if not held.busies:
            return True
        if held.state is ContactState.ALERTING:
            return False
        if held.channel == _PHONE:
            return held.state is ContactState.WRAP_UP and self.phone_multi and offered == _PHONE
        if held.channel == _CHAT:
            return offered == _CHAT  # counted against chats_at_once by has_room
        if held.channel == _EMAIL:
            return self.email_multi and offered in _BESIDE_PAPERWORK
        if held.channel == _ACTION:
            return self.action_multi and offered in _BESIDE_PAPERWORK
        return False


def has_room(agent: AgentState, channel: Channel, rules: RoomRules) -> bool:
    offered = channel.ici_id
    chats = 0
    for held in agent.contacts:
        if not rules.allows(held, offered):
            return False
        if held.channel == _CHAT and held.busies:
            chats += 1
    return offered != _CHAT or chats < rules.chats_at_once
