"""Who may be offered a waiting call: pure rules over agent state and configuration.

- A queue call goes to a ready agent who is active in the queue, has a phone
  line and the queue's skills, never refused the call, and has room for a call.
- A call for a phone line (direct, forwarded, consultation) goes to that line's
  logged-in agent as soon as they have room; until then it knocks (7.4).
- Room: no other call alerting or being handled; a call in wrap-up blocks too
  unless OII.PhoneMultiSession=1; an e-mail or action item being handled keeps
  the desktop in Paperwork unless OII.EmailMultiSession / OII.ActionMultiSession.
"""

from __future__ import annotations

from dataclasses import dataclass

from oii_shared.agents.state import AgentState, ContactState
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.db.repository import UserRecord
from oii_telephony.routing.waiting import QueueEntry


@dataclass(frozen=True, slots=True)
class SessionRules:
    phone_multi: bool = False
    email_multi: bool = False
    action_multi: bool = False

    @classmethod
    def from_parameters(cls, parameters: ModuleParameters) -> SessionRules:
        return cls(
            phone_multi=parameters.flag("OII.PhoneMultiSession"),
            email_multi=parameters.flag("OII.EmailMultiSession"),
            action_multi=parameters.flag("OII.ActionMultiSession"),
        )


def has_room_for_a_call(agent: AgentState, rules: SessionRules) -> bool:
    for contact in agent.contacts:
        if contact.channel == Channel.PHONE.ici_id:
            if contact.state is not ContactState.WRAP_UP or not rules.phone_multi:
                return False
        elif contact.state is ContactState.ACTIVE and (
            (contact.channel == Channel.EMAIL.ici_id and not rules.email_multi)
            or (contact.channel == Channel.ACTION.ici_id and not rules.action_multi)
        ):
            return False
    return True


def has_skills(user: UserRecord, required: dict[str, int]) -> bool:
    return all(user.skills.get(skill, 0) >= level for skill, level in required.items())


def may_take_queue_call(
    agent: AgentState, user: UserRecord, queue_id: str, entry: QueueEntry, rules: SessionRules
) -> bool:
    wanted = queue_id.casefold()
    return (
        agent.ready
        and bool(user.phone)
        and any(queue.casefold() == wanted for queue in agent.active_queues)
        and agent.user_id not in entry.excluded
        and has_skills(user, entry.skills)
        and has_room_for_a_call(agent, rules)
    )


def may_take_line_call(agent: AgentState, rules: SessionRules) -> bool:
    return agent.logged_in and has_room_for_a_call(agent, rules)


def idle_order(agent: AgentState) -> tuple[float, str]:
    """The longest idle first; ties by user id so every replica picks alike."""
    return agent.last_idle_at, agent.user_id
