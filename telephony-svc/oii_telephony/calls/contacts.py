"""Keeping the agent's contacts (``AgentState.contacts``) in step with the agent's calls.

Routing and presence count an agent's contacts: alerting, being handled, in
wrap-up. Each call leg on an agent's line is one contact of channel "1".
"""

from __future__ import annotations

from collections.abc import Callable

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.channels import Channel
from oii_shared.ici.tables import ProcessingStatus
from oii_telephony.calls.model import Leg, Phase

AgentMutation = Callable[[AgentState | None], AgentState | None]


def contact_state(leg: Leg | None, afterwork: bool) -> ContactState | None:
    """What the leg is for its agent; OII.Afterwork=0 (Paperwork) keeps wrap-up counted busy."""
    if leg is None or not leg.user_id or leg.final:
        return None
    if leg.phase is Phase.ALERTING:
        return ContactState.ALERTING
    if leg.phase is Phase.ENDED:
        return ContactState.WRAP_UP if afterwork else ContactState.ACTIVE
    if leg.phase is Phase.IDLE or leg.processing == ProcessingStatus.ACTIVE.value:
        return ContactState.ACTIVE
    return None


def set_contact(handle: str, state: ContactState | None, queue: str, now: float) -> AgentMutation:
    """Add, change or remove the contact ``handle``; an agent left without calls starts idling."""

    def mutate(agent: AgentState | None) -> AgentState | None:
        if agent is None:
            return agent
        current = next((c for c in agent.contacts if c.item_id == handle), None)
        if state is None:
            if current is None:
                return agent
            contacts = tuple(c for c in agent.contacts if c.item_id != handle)
            fields: dict[str, object] = {"contacts": contacts}
            if not any(c.channel == Channel.PHONE.ici_id for c in contacts):
                fields["last_idle_at"] = now
            return agent.model_copy(update=fields)
        if current is not None and current.state is state:
            return agent
        contact = Contact(
            item_id=handle, channel=Channel.PHONE.ici_id, state=state, queue=queue, since=now
        )
        others = tuple(c for c in agent.contacts if c.item_id != handle)
        return agent.model_copy(update={"contacts": (*others, contact)})

    return mutate
