"""The contact center a benchmark runs: N agents with a phone line each, a handful of
queues, written as the YAML configuration the stack loads (``OII_CONFIG``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

# Each agent serves this many of the queues, so a call finds an agent in any queue
# and the agents of one queue overlap with the next.
QUEUES_PER_AGENT = 2


@dataclass(frozen=True)
class AgentSpec:
    user_id: str
    line: str
    queues: tuple[str, ...]


@dataclass(frozen=True)
class ContactCenter:
    agents: tuple[AgentSpec, ...]
    queues: tuple[str, ...]

    @classmethod
    def of(cls, agents: int, queues: int) -> ContactCenter:
        queue_ids = tuple(str(5001 + n) for n in range(queues))
        return cls(
            agents=tuple(
                AgentSpec(
                    user_id=f"AGENT{n:05d}",
                    line=f"+4940{n:06d}",
                    queues=tuple(
                        queue_ids[(n + k) % queues] for k in range(min(QUEUES_PER_AGENT, queues))
                    ),
                )
                for n in range(agents)
            ),
            queues=queue_ids,
        )

    def write(self, path: Path) -> Path:
        config = {
            "parameters": {"OII.Country": 49},
            "queues": [
                {"id": queue, "name": f"Queue {queue}", "channel": "phone"} for queue in self.queues
            ],
            "users": [
                {"id": agent.user_id, "phone": agent.line, "queues": list(agent.queues)}
                for agent in self.agents
            ],
        }
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        return path
