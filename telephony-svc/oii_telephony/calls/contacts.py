"""What a call leg is for its agent: the contact state the kit's AgentContacts writes.

Routing and presence count an agent's contacts: alerting, being handled, in
wrap-up. Each call leg on an agent's line is one contact of the phone channel, so
the agent's record says whether the line has calls (a new login asks telephony to
drop them only then).
"""

from __future__ import annotations

from oii_shared.agents.state import ContactState
from oii_shared.channels import Channel
from oii_shared.ici.tables import ProcessingStatus
from oii_shared.items.wrapup import WrapUpPolicy
from oii_telephony.calls.model import Leg, Phase


def contact_state(leg: Leg | None, wrap_up: WrapUpPolicy) -> ContactState | None:
    """What the leg is for its agent; in wrap-up, Afterwork or Paperwork (OII.Afterwork)."""
    if leg is None or not leg.user_id or leg.final:
        return None
    if leg.phase is Phase.ALERTING:
        return ContactState.ALERTING
    if leg.phase is Phase.CREATED:
        return ContactState.CREATED
    if leg.phase is Phase.ENDED:
        return wrap_up.contact_in_wrap_up(Channel.PHONE)
    if leg.phase is Phase.IDLE or leg.processing == ProcessingStatus.ACTIVE.value:
        return ContactState.ACTIVE
    return None
