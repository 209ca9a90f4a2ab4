"""Reading and compare-and-set writing of agent state in the ``oii_agents`` bucket."""

from __future__ import annotations

from collections.abc import Callable

from nats.js.kv import KeyValue

from oii_shared.agents.state import AgentState
from oii_shared.bus.kv import ModelCodec, RevisionCache, cas_update, read, safe_key
from oii_shared.db.models import user_key

_CODEC = ModelCodec(AgentState)


def agent_key(user_id: str) -> str:
    """KV key of a user: case-insensitive like the user ids themselves (spec 4.6)."""
    return safe_key(user_key(user_id))


def decode_agent(data: bytes) -> AgentState:
    return _CODEC.decode(data)


class AgentStore:
    """Agent state for every service; several writers may race, none loses an update."""

    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv
        # The newest agent states known here (this process's writes, and every writer's where
        # a mirror follows the bucket with it): most updates need no read first.
        self.revisions: RevisionCache[AgentState] = RevisionCache()

    async def get(self, user_id: str) -> AgentState | None:
        return (await read(self.kv, agent_key(user_id), _CODEC)).value

    async def update(
        self, user_id: str, mutate: Callable[[AgentState | None], AgentState | None]
    ) -> AgentState | None:
        """Apply ``mutate`` with compare-and-set; see :func:`oii_shared.bus.kv.cas_update`.

        ``mutate`` returns the state it was given (the same object) for "no change".
        Every written state gets ``version`` bumped.
        """

        def versioned(current: AgentState | None) -> AgentState | None:
            wanted = mutate(current)
            if wanted is current or wanted is None:
                return wanted
            version = current.version + 1 if current is not None else 1
            return wanted.model_copy(update={"version": version})

        return await cas_update(
            self.kv, agent_key(user_id), versioned, _CODEC, cache=self.revisions
        )
