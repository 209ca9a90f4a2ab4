"""What waits where: the calls of each queue, and of each busy agent's line (7.4).

A phone queue's state is stored under its ``queue_key`` in ``oii_queues`` as a
:class:`QueueState`: the shared :class:`QueueStats` (what presence reads) plus
the entries routing works on, so one compare-and-set changes both and they
never disagree. A line's waiting calls (knocking calls) live in ``oii_calls``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nats.js.kv import KeyValue
from pydantic import BaseModel, ConfigDict, Field

from oii_shared.bus.kv import ModelCodec, RevisionCache, cas_update, safe_key
from oii_shared.queue_stats import QueueStats, queue_key


class QueueEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    handle: str
    entered_at: float
    priority: int = 0
    skills: dict[str, int] = Field(default_factory=dict)
    # Agents who rerouted it (9.4.5: never offered to them again).
    excluded: tuple[str, ...] = ()
    # The agent it is being offered to (alerting) and since when; "" while it waits.
    offered_to: str = ""
    offered_at: float = 0.0
    # A due callback is dialled when an agent is found, not alerted.
    callback: bool = False


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
    """A queue (``line`` False) or a phone line whose agent a call waits for."""

    id: str
    line: bool = False


StateMutation = Callable[[QueueState], QueueState]
_CODEC = ModelCodec(QueueState)
LINE_QUEUE_PREFIX = "lq."


def line_queue_key(line: str) -> str:
    return LINE_QUEUE_PREFIX + safe_key(line)


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
    """The offer to ``user_id`` is over; the call waits again (without them, if ``exclude``)."""

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
    """The call leaves; ``answered_at`` counts its wait into the answered statistics."""

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
    def __init__(self, queues: KeyValue, calls: KeyValue) -> None:
        self.queues = queues
        self.calls = calls
        # Waiting lists change through the replica that routes: updates mostly skip the read.
        self._queue_revisions: RevisionCache[QueueState] = RevisionCache()
        self._line_revisions: RevisionCache[QueueState] = RevisionCache()

    def _place(self, target: Target) -> tuple[KeyValue, str, RevisionCache[QueueState]]:
        if target.line:
            return self.calls, line_queue_key(target.id), self._line_revisions
        return self.queues, queue_key(target.id), self._queue_revisions

    async def update(self, target: Target, mutate: StateMutation) -> QueueState:
        kv, key, revisions = self._place(target)

        def apply(current: QueueState | None) -> QueueState | None:
            base = current if current is not None else QueueState(queue_id=target.id)
            wanted = mutate(base)
            if wanted is base:
                return current
            if target.line and not wanted.entries:
                return None  # an empty line queue is not kept
            return wanted

        stored = await cas_update(kv, key, apply, _CODEC, cache=revisions)
        return stored if stored is not None else QueueState(queue_id=target.id)


def decode_state(data: bytes) -> QueueState:
    return _CODEC.decode(data)
