"""The contact center a benchmark runs: N agents with a phone line each and a handful of
phone queues (or, for action items, e-mail queues and the ACTION queue), written as
the YAML configuration the stack loads (``OII_CONFIG``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Each agent serves this many of the queues, so a call finds an agent in any queue
# and the agents of one queue overlap with the next.
QUEUES_PER_AGENT = 2
# The queue every user with the action channel may serve (spec 4.7.3), made by the stack.
ACTION_QUEUE = "ACTION"


@dataclass(frozen=True)
class AgentSpec:
    user_id: str
    line: str  # "" for none
    queues: tuple[str, ...]


@dataclass(frozen=True)
class ContactCenter:
    agents: tuple[AgentSpec, ...]
    queues: tuple[str, ...]
    channel: str = "phone"  # of the queues
    parameters: Mapping[str, object] = field(default_factory=lambda: {"OII.Country": 49})

    @classmethod
    def of(cls, agents: int, queues: int) -> ContactCenter:
        """Phone queues 5001...; every agent has a line."""
        queue_ids = tuple(str(5001 + n) for n in range(queues))
        return cls(
            agents=tuple(
                AgentSpec(user_id=f"AGENT{n:05d}", line=f"+4940{n:06d}",
                          queues=_queues_of(n, queue_ids))
                for n in range(agents)
            ),
            queues=queue_ids,
        )  # fmt: skip

    @classmethod
    def for_actions(cls, agents: int, queues: int) -> ContactCenter:
        """E-mail queues (action items wait in the one their TO_ADDRESS names) and ACTION,
        which every agent serves too; OII.Action=1 gives every user the action channel;
        no phone lines."""
        queue_ids = tuple(f"QUEUE{n + 1}@BENCH.EXAMPLE" for n in range(queues))
        return cls(
            agents=tuple(
                AgentSpec(user_id=f"AGENT{n:05d}", line="",
                          queues=(*_queues_of(n, queue_ids), ACTION_QUEUE))
                for n in range(agents)
            ),
            queues=queue_ids,
            channel="email",
            parameters={"OII.Country": 49, "OII.Action": 1},
        )  # fmt: skip

    def write(self, path: Path) -> Path:
        config = {
            "parameters": dict(self.parameters),
            "queues": [
                {"id": queue, "name": f"Queue {queue}", "channel": self.channel}
                for queue in self.queues
            ],
            "users": [
                {"id": agent.user_id, **({"phone": agent.line} if agent.line else {}),
                 "queues": list(agent.queues)}
                for agent in self.agents
            ],
        }  # fmt: skip
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        return path


def _queues_of(agent: int, queue_ids: tuple[str, ...]) -> tuple[str, ...]:
    count = len(queue_ids)
    return tuple(queue_ids[(agent + k) % count] for k in range(min(QUEUES_PER_AGENT, count)))
