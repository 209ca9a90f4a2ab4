"""What a call leg is for its agent: the contact state the kit's AgentContacts writes.

Routing and presence count an agent's contacts: alerting, being handled, in
wrap-up. Each call leg on an agent's line is one contact of the phone channel.
"""

from __future__ import annotations

from oii_shared.agents.state import ContactState
from oii_shared.ici.tables import ProcessingStatus
from oii_telephony.calls.model import Leg, Phase


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
