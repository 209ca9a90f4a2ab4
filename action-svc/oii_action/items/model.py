"""An action item (10.16, 10.17): what CRM routed, where it waits, who has it.

One item keeps its id from IciActionItem.route to its end: it waits in a queue
or for one agent's inbox (phase New, on no container), is offered to an agent
(Alerting on the agent's inbox, whose containerId is the agent's user id),
accepted, and ended by IciMessage.end; wrap-up is always Paperwork (4.3.1).
"""

from __future__ import annotations

import enum
from typing import Any

from pydantic import ConfigDict, Field

from oii_shared.ici.tables import ProcessingStatus
from oii_shared.items.wrapup import WrapUpItem


class Phase(enum.StrEnum):
    NEW = "new"
    ALERTING = "alerting"
    ACCEPTED = "accepted"
    ENDED = "ended"


class ActionItem(WrapUpItem):
    model_config = ConfigDict(frozen=True)

    id: str
    phase: Phase = Phase.NEW
    # The queue it waits in (an e-mail queue or ACTION, 4.7.3), or "" when it waits for
    # ``inbox`` only (forwarded to one agent, destType 4).
    queue: str = ""
    inbox: str = ""
    # The agent it alerts or who has it (their user id is the container).
    user_id: str = ""
    # When it started waiting where it waits now (longest waiting first).
    entered_at: float = 0.0
    # IciActionItem.route's itemData exactly as decoded, echoed in every event (9.3.8).
    item_data: dict[str, Any] = Field(default_factory=dict)
    process_id: str = ""
    attached_data: str = ""
    # 7.3: FROM_ADDRESS, TO_ADDRESS (or Z_TO_ADDRESS_DIS), SUBJECT.
    source: str = ""
    destination: str = ""
    subject: str = ""
    skills: dict[str, int] = Field(default_factory=dict)
    # User keys only they may take it until ``required_until`` (REQUIRED_AGENT, 7.3).
    required_agents: tuple[str, ...] = ()
    required_until: float = 0.0
    # Agents who rerouted it: never offered to them again (9.4.5).
    excluded: tuple[str, ...] = ()
    # Ended because CRM routed it again with DELETE=X (OII.CheckDuplicateActionItem).
    deleted: bool = False

    @property
    def item_id(self) -> str:
        return self.id

    @property
    def container(self) -> str:
        return self.user_id if self.phase is not Phase.NEW else ""

    @property
    def final(self) -> bool:
        return self.phase is Phase.ENDED and self.processing != ProcessingStatus.WRAP_UP.value

    @property
    def waiting(self) -> bool:
        return self.phase is Phase.NEW
