"""Presence as numbers and statuses: pure functions of agent state and queue statistics."""

from __future__ import annotations

import enum
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from oii_shared.agents.state import LAST_BUILT_IN_WORKMODE, AgentState, ContactState
from oii_shared.db.repository import QueueRecord
from oii_shared.ici.tables import PresenceStatus
from oii_shared.queue_stats import QueueStats

# Namespace of the queue GUIDs of QueueInfo (9.1.3.3): the same id gives the same GUID.
QUEUE_GUID_NAMESPACE = uuid.UUID("6f1c2d9e-5b1a-4c53-9a53-0b7d2c0e4a11")


class Activity(enum.Enum):
    """What an agent is doing; every logged-in agent is in exactly one of these."""

    LOGGED_OFF = "logged_off"
    READY = "ready"  # ready and free: a contact can be offered now
    BUSY = "busy"  # a contact alerts or is being handled
    WRAP_UP = "wrap_up"  # only wrap-up work left
    NOT_READY = "not_ready"  # not ready (3) or No Phone (1000)
    PAUSED = "paused"  # a configured not-ready reason (ids above 1000)


def activity(state: AgentState | None) -> Activity:
    if state is None or not state.logged_in:
        return Activity.LOGGED_OFF
    # Instant messages between agents leave presence as it is (2.1).
    states = {contact.state for contact in state.contacts if contact.busies}
    if ContactState.ALERTING in states or ContactState.ACTIVE in states:
        return Activity.BUSY
    if ContactState.WRAP_UP in states:
        return Activity.WRAP_UP
    if state.ready:
        return Activity.READY
    if state.workmode > LAST_BUILT_IN_WORKMODE:
        return Activity.PAUSED
    return Activity.NOT_READY


PRESENCE_OF: dict[Activity, PresenceStatus] = {
    Activity.LOGGED_OFF: PresenceStatus.LOGGED_OFF,
    Activity.READY: PresenceStatus.AVAILABLE,
    Activity.BUSY: PresenceStatus.BUSY,
    Activity.WRAP_UP: PresenceStatus.BUSY,
    Activity.NOT_READY: PresenceStatus.NOT_AVAILABLE,
    Activity.PAUSED: PresenceStatus.NOT_AVAILABLE,
}


def presence_status(state: AgentState | None) -> PresenceStatus:
    return PRESENCE_OF[activity(state)]


@dataclass(frozen=True, slots=True)
class AgentCounts:
    logged_in: int = 0
    ready: int = 0
    busy: int = 0
    wrap_up: int = 0
    not_ready: int = 0
    paused: int = 0


def count_agents(agents: Iterable[AgentState]) -> AgentCounts:
    tally = Counter(activity(agent) for agent in agents)
    return AgentCounts(
        logged_in=sum(n for kind, n in tally.items() if kind is not Activity.LOGGED_OFF),
        ready=tally[Activity.READY],
        busy=tally[Activity.BUSY],
        wrap_up=tally[Activity.WRAP_UP],
        not_ready=tally[Activity.NOT_READY],
        paused=tally[Activity.PAUSED],
    )


def queue_guid(queue_id: str) -> str:
    return uuid.uuid5(QUEUE_GUID_NAMESPACE, queue_id.strip().casefold()).hex.upper()


def queue_info(
    queue: QueueRecord, counts: AgentCounts, stats: QueueStats | None, now: float
) -> dict[str, Any]:
    """QueueInfo (10.3): every number as text, waiting times in whole seconds."""
    pending = stats.pending if stats is not None else 0
    oldest_wait = (
        now - stats.oldest_entered_at
        if stats and stats.pending and stats.oldest_entered_at
        else 0.0
    )
    max_wait = max(stats.max_wait_s if stats is not None else 0.0, oldest_wait)
    return {
        "id": queue.id,
        "description": queue.name,
        "guid": queue_guid(queue.id),
        "loggedIn": str(counts.logged_in),
        "ready": str(counts.ready),
        "pending": str(pending),
        "open": stats.open if stats is not None else "1",
        "avgWaitingTime": str(round(stats.avg_wait_s) if stats is not None else 0),
        "maxWaitingTime": str(round(max(max_wait, 0.0))),
        "busy": str(counts.busy),
        "wrapUp": str(counts.wrap_up),
        "notReady": str(counts.not_ready),
        "paused": str(counts.paused),
    }


def passes_filter(counts: AgentCounts, queue_filter: int) -> bool:
    """OII.GetPresenceQueueInfoFilter: 0 every queue, 1 with logged-in agents, 2 with ready ones."""
    if queue_filter == 1:
        return counts.logged_in > 0
    if queue_filter == 2:
        return counts.ready > 0
    return True
