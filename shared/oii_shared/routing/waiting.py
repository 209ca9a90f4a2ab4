"""What waits where: the contacts of each (queue, channel), and those waiting for one agent.

A queue's waiting list for one channel is stored under :func:`queue_waiting_key`
in ``oii_queues`` as a :class:`QueueState`: the shared :class:`QueueStats` (what
presence reads) plus the entries routing works on, so one compare-and-set changes
both and they never disagree. The key names the channel too, because one queue
can hold contacts of two channels (action items wait in e-mail queues, 4.7.3).

A contact waiting for one agent's container (knocking while the agent is busy,
7.4) is a personal target; its list lives in the channel's own bucket under
:func:`personal_waiting_key` and is deleted when it empties.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nats.js.kv import KeyValue
from pydantic import BaseModel, ConfigDict, Field

from oii_shared.bus.kv import ModelCodec, RevisionCache, cas_update, safe_key
from oii_shared.channels import Channel
from oii_shared.queue_stats import QueueStats, queue_key


class QueueEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    handle: str
    entered_at: float
    priority: int = 0
    skills: dict[str, int] = Field(default_factory=dict)
    # Agents who rerouted it (9.4.5: never offered to them again).
    excluded: tuple[str, ...] = ()
    # Only these agents (user keys) may take it until ``required_until`` (7.3 REQUIRED_AGENT).
    required_agents: tuple[str, ...] = ()
    required_until: float = 0.0
    # The agent it is being offered to (alerting) and since when; "" while it waits.
    offered_to: str = ""
    offered_at: float = 0.0
    # The agent gets it without an alert, as being handled at once (the channel starts
    # the work for the agent found, as a callback that is due).
    starts_active: bool = False

    def required_now(self, now: float) -> frozenset[str]:
        """The user keys it is reserved for at ``now``; empty when anyone eligible may take it."""
        if self.required_agents and now < self.required_until:
            return frozenset(self.required_agents)
        return frozenset()


class QueueState(QueueStats):
    entries: tuple[QueueEntry, ...] = ()

    def entry(self, handle: str) -> QueueEntry | None:
        return next((entry for entry in self.entries if entry.handle == handle), None)

    def with_entries(self, entries: tuple[QueueEntry, ...]) -> QueueState:
        oldest = min((entry.entered_at for entry in entries), default=0.0)
        return self.model_copy(
            update={"entries": entries, "pending": len(entries), "oldest_entered_at": oldest}
        )


@dataclass(frozen=True, slots=True)
class Target:
    """A queue (``personal`` False) or an agent's container a contact waits for."""

    id: str
    personal: bool = False


StateMutation = Callable[[QueueState], QueueState]
# An entry at its defaults is a handle and a time (~70 bytes): a queue's list, one KV value
# of at most the server's max_payload (1 MB by default), holds some 13,000 of them.
_CODEC = ModelCodec(QueueState, compact=True)
PERSONAL_PREFIX = "lq."


def queue_waiting_key(channel: Channel, queue_id: str) -> str:
    return f"{channel.ici_id}.{queue_key(queue_id)}"


def personal_waiting_key(container: str) -> str:
    return PERSONAL_PREFIX + safe_key(container)


def add(entry: QueueEntry) -> StateMutation:
    def mutate(state: QueueState) -> QueueState:
        if state.entry(entry.handle) is not None:
            return state
        return state.with_entries((*state.entries, entry))

    return mutate


def claim(handle: str, user_id: str, now: float) -> StateMutation:
    def mutate(state: QueueState) -> QueueState:
        entry = state.entry(handle)
        if entry is None or entry.offered_to:
            return state
        offered = entry.model_copy(update={"offered_to": user_id, "offered_at": now})
        return state.with_entries(tuple(offered if e is entry else e for e in state.entries))

    return mutate


def release(handle: str, user_id: str, exclude: bool) -> StateMutation:
    """The offer to ``user_id`` is over; the contact waits again (without them, if ``exclude``)."""

    def mutate(state: QueueState) -> QueueState:
        entry = state.entry(handle)
        if entry is None or entry.offered_to != user_id:
            return state
        excluded = (*entry.excluded, user_id) if exclude else entry.excluded
        waiting = entry.model_copy(
            update={"offered_to": "", "offered_at": 0.0, "excluded": excluded}
        )
        return state.with_entries(tuple(waiting if e is entry else e for e in state.entries))

    return mutate


def remove(handle: str, answered_at: float | None = None) -> StateMutation:
    """The contact leaves; ``answered_at`` counts its wait into the answered statistics."""

    def mutate(state: QueueState) -> QueueState:
        entry = state.entry(handle)
        if entry is None:
            return state
        state = state.with_entries(tuple(e for e in state.entries if e is not entry))
        if answered_at is None:
            return state
        wait = max(0.0, answered_at - entry.entered_at)
        return state.model_copy(
            update={
                "answered": state.answered + 1,
                "total_wait_s": state.total_wait_s + wait,
                "max_wait_s": max(state.max_wait_s, wait),
            }
        )

    return mutate


class WaitingStore:
    """One channel's waiting lists: its queues in ``queues``, personal ones in ``personal``."""

    def __init__(self, channel: Channel, queues: KeyValue, personal: KeyValue) -> None:
        self.channel = channel
        self.queues = queues
        self.personal = personal
        # The newest waiting lists known here (the dispatcher's mirrors follow them with these
        # caches): updates mostly skip the read.
        self.queue_revisions: RevisionCache[QueueState] = RevisionCache()
        self.personal_revisions: RevisionCache[QueueState] = RevisionCache()

    @property
    def queue_pattern(self) -> str:
        """The keys of this channel's queues in ``queues``."""
        return f"{self.channel.ici_id}.>"

    def _place(self, target: Target) -> tuple[KeyValue, str, RevisionCache[QueueState]]:
        if target.personal:
            return self.personal, personal_waiting_key(target.id), self.personal_revisions
        return self.queues, queue_waiting_key(self.channel, target.id), self.queue_revisions

    async def update(self, target: Target, mutate: StateMutation) -> QueueState:
        kv, key, revisions = self._place(target)

        def apply(current: QueueState | None) -> QueueState | None:
            base = current if current is not None else self._empty(target)
            wanted = mutate(base)
            if wanted is base:
                return current
            if target.personal and not wanted.entries:
                return None  # an empty personal list is not kept
            return wanted

        stored = await cas_update(kv, key, apply, _CODEC, cache=revisions)
        return stored if stored is not None else self._empty(target)

    def _empty(self, target: Target) -> QueueState:
        return QueueState(queue_id=target.id, channel=self.channel.ici_id)


def decode_state(data: bytes) -> QueueState:
    return _CODEC.decode(data)
