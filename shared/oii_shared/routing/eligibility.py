"""Who may be offered a waiting contact: pure rules over agent state and configuration.

- A queue contact goes to a ready agent who is active in the queue, has the
  channel, the entry's skills, never refused it, is one of its required agents
  while they are required, and has room (``room``).
- A contact for one agent's container (a personal target) goes to that agent
  once logged in with room; until then it waits.
- Among those, the longest idle first.
"""

from __future__ import annotations

from oii_shared.agents.state import AgentState
from oii_shared.channel_access import channel_enabled as channel_enabled
from oii_shared.channels import Channel
from oii_shared.db.models import user_key
from oii_shared.db.repository import UserRecord
from oii_shared.routing.room import RoomRules, has_room
from oii_shared.routing.waiting import QueueEntry


def has_skills(user: UserRecord, required: dict[str, int]) -> bool:
    return all(user.skills.get(skill, 0) >= level for skill, level in required.items())


def may_take_queue_contact(
    agent: AgentState,
    user: UserRecord,
    queue_id: str,
    entry: QueueEntry,
    channel: Channel,
    rules: RoomRules,
    now: float,
) -> bool:
    """``user`` is the agent's configuration, already known to have ``channel``."""
    wanted = queue_id.casefold()
    required = entry.required_now(now)
    return (
        agent.ready
        and any(queue.casefold() == wanted for queue in agent.active_queues)
        and agent.user_id not in entry.excluded
        and (not required or user_key(agent.user_id) in required)
        and has_skills(user, entry.skills)
        and has_room(agent, channel, rules)
    )


def may_take_personal_contact(agent: AgentState, channel: Channel, rules: RoomRules) -> bool:
    return agent.logged_in and has_room(agent, channel, rules)


def idle_order(agent: AgentState) -> tuple[float, str]:
    """The longest idle first; ties by user id so every replica picks alike."""
    return agent.last_idle_at, agent.user_id
