"""The one writer of an agent's contacts (``AgentState.contacts``) for a channel.

Routing and presence count an agent's contacts: alerting, being handled, in
wrap-up. A channel tells :class:`AgentContacts` what each of its items is for
its agent; the dispatcher claims an agent through it. An agent left without
contacts starts idling then, whichever channel the last one was, so the
longest idle agent is the longest idle across channels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.agents.store import AgentStore
from oii_shared.channels import Channel

AgentMutation = Callable[[AgentState | None], AgentState | None]


def _without(agent: AgentState, item_id: str, now: float) -> AgentState:
    contacts = tuple(c for c in agent.contacts if c.item_id != item_id)
    fields: dict[str, object] = {"contacts": contacts}
    if not any(c.busies for c in contacts):
        fields["last_idle_at"] = now
    return agent.model_copy(update=fields)


class AgentContacts:
    def __init__(self, agents: AgentStore, channel: Channel) -> None:
        self.agents = agents
        self.channel = channel
        # Contacts this writer's claims gave agents and no change of the item has followed
        # yet: the item reaching its agent in that state then needs no second write.
        self._claimed: dict[tuple[str, str], ContactState] = {}

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
        self._claimed.pop((user_id, item_id), None)
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
        claimed = updated is not None and any(c.item_id == item_id for c in updated.contacts)
        if claimed:
            self._claimed[(user_id, item_id)] = state
        return claimed

    async def follow(
        self,
        item_id: str,
        before: Mapping[str, ContactState],
        after: Mapping[str, ContactState],
        queue: str,
        now: float,
    ) -> None:
        """An item's contacts went from ``before`` to ``after`` (user id -> state): write
        what changed, agent by agent."""
        for user_id in before.keys() - after.keys():
            await self.release(user_id, item_id, now)
        for user_id, state in after.items():
            if before.get(user_id) is state:
                continue
            if user_id not in before and self._claimed.pop((user_id, item_id), None) is state:
                continue  # the claim that offered it wrote this very contact
            await self.set(user_id, item_id, state, queue, now)
