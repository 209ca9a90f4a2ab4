"""The agents a channel's dispatcher may offer a queue contact to now, longest idle first.

Kept from the changes of the agents' copy, not ranked anew at every look: an agent is
in it while ready, configured for the channel and with room for one more of its
contacts (the room matrix). A look then walks it in idle order and checks only what
depends on the contact (queue, skills, refusals, required agents).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping

from oii_shared.agents.state import AgentState
from oii_shared.db.repository import UserRecord
from oii_shared.routing.config import RoutingConfig
from oii_shared.routing.eligibility import idle_order
from oii_shared.routing.room import has_room

_Order = tuple[float, str]


class FreeAgents:
    def __init__(self) -> None:
        self._order: list[_Order] = []  # sorted: (last idle, user id)
        self._order_of: dict[str, _Order] = {}  # by agent key
        self._by_user: dict[str, tuple[AgentState, UserRecord]] = {}  # by the order's user id
        self._config: RoutingConfig | None = None

    def follow(
        self, config: RoutingConfig, agents: Mapping[str, AgentState], changed: Iterable[str]
    ) -> None:
        """Take the agents of ``changed`` keys as ``agents`` has them now (all of them when
        the configuration is another one)."""
        if config is not self._config:
            self._config = config
            self._order.clear()
            self._order_of.clear()
            self._by_user.clear()
            changed = agents.keys()
        for key in changed:
            self._put(key, agents.get(key), config)

    def _put(self, key: str, agent: AgentState | None, config: RoutingConfig) -> None:
        old = self._order_of.pop(key, None)
        if old is not None:
            del self._by_user[old[1]]
            index = bisect.bisect_left(self._order, old)
            if index < len(self._order) and self._order[index] == old:
                del self._order[index]
        if agent is None or not agent.ready:
            return
        user = config.user(agent.user_id)
        if user is None or not has_room(agent, config.channel, config.room):
            return
        order = idle_order(agent)
        bisect.insort(self._order, order)
        self._order_of[key] = order
        self._by_user[order[1]] = (agent, user)

    def ranked(self) -> Iterator[tuple[AgentState, UserRecord]]:
        for _, user_id in self._order:
            yield self._by_user[user_id]

    def __len__(self) -> int:
        return len(self._order_of)
