"""The one writer of an agent's contacts (``AgentState.contacts``) for a channel.

Routing and presence count an agent's contacts: alerting, being handled, in
wrap-up. A channel tells :class:`AgentContacts` what each of its items is for
its agent; the dispatcher claims an agent through it. An agent left without
contacts starts idling then, whichever channel the last one was, so the
longest idle agent is the longest idle across channels.
"""

from __future__ import annotations

from collections.abc import Callable

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.agents.store import AgentStore
from oii_shared.channels import Channel

AgentMutation = Callable[[AgentState | None], AgentState | None]


def _without(agent: AgentState, item_id: str, now: float) -> AgentState:
    contacts = tuple(c for c in agent.contacts if c.item_id != item_id)
    fields: dict[str, object] = {"contacts": contacts}
    if not any(not c.instant for c in contacts):
        fields["last_idle_at"] = now
    return agent.model_copy(update=fields)


class AgentContacts:
    def __init__(self, agents: AgentStore, channel: Channel) -> None:
        self.agents = agents
        self.channel = channel

    def _contact(self, item_id: str, state: ContactState, queue: str, now: float) -> Contact:
        return Contact(
            item_id=item_id, channel=self.channel.ici_id, state=state, queue=queue, since=now
        )

    async def set(
        self, user_id: str, item_id: str, state: ContactState | None, queue: str, now: float
    ) -> AgentState | None:
        """Add, change or (``state`` None) remove the contact ``item_id`` of ``user_id``."""

        def mutate(agent: AgentState | None) -> AgentState | None:
            if agent is None:
                return agent
            current = next((c for c in agent.contacts if c.item_id == item_id), None)
            if state is None:
                return agent if current is None else _without(agent, item_id, now)
            if current is not None and current.state is state:
                return agent
            others = tuple(c for c in agent.contacts if c.item_id != item_id)
            contact = self._contact(item_id, state, queue, now)
            return agent.model_copy(update={"contacts": (*others, contact)})

        return await self.agents.update(user_id, mutate)

    async def release(self, user_id: str, item_id: str, now: float) -> AgentState | None:
        return await self.set(user_id, item_id, None, "", now)

    async def claim(
        self,
        user_id: str,
        item_id: str,
        state: ContactState,
        queue: str,
        now: float,
        eligible: Callable[[AgentState], bool],
    ) -> bool:
        """Give ``user_id`` the contact if ``eligible`` on their fresh state; whether it did."""

        def mutate(agent: AgentState | None) -> AgentState | None:
            if agent is None or not eligible(agent):
                return agent
            contact = self._contact(item_id, state, queue, now)
            return agent.model_copy(update={"contacts": (*agent.contacts, contact)})

        updated = await self.agents.update(user_id, mutate)
        return updated is not None and any(c.item_id == item_id for c in updated.contacts)

    async def follow(
        self,
        item_id: str,
        before: tuple[str, ContactState | None],
        after: tuple[str, ContactState | None],
        queue: str,
        now: float,
    ) -> None:
        """An item moved from (agent, state) ``before`` to ``after``: write what changed."""
        old_user, old_state = before if before[1] is not None else ("", None)
        new_user, new_state = after if after[1] is not None else ("", None)
        if old_user and old_user != new_user:
            await self.set(old_user, item_id, None, queue, now)
        if new_user and (new_user != old_user or new_state is not old_state):
            await self.set(new_user, item_id, new_state, queue, now)
