"""Live numbers of one queue in the ``oii_queues`` bucket, written by the channel that owns it.

Agent counts (logged in, ready, busy...) are not stored: they are derived from
agent state. What only the routing engine knows lives here: what waits, since when,
and how long the answered contacts waited.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from oii_shared.bus.kv import safe_key


def queue_key(queue_id: str) -> str:
    return safe_key(queue_id.strip().casefold())


class QueueStats(BaseModel):
    model_config = ConfigDict(frozen=True)

    queue_id: str
    # The channel (ICI id) whose contacts these are: one queue may hold two channels' (4.7.3).
    channel: str = ""
    # Contacts waiting in the queue now.
    pending: int = 0
    # Wall-clock time the oldest waiting contact entered the queue (0 when none waits).
    oldest_entered_at: float = 0.0
    # Waiting times of the contacts taken from the queue so far (for the average).
    answered: int = 0
    total_wait_s: float = 0.0
    # Longest time a contact waited before it was taken.
    max_wait_s: float = 0.0
    # "1" open, "0" closed, "" no information (10.3).
    open: str = "1"

    @classmethod
    def combined(cls, queue_id: str, parts: Iterable[QueueStats]) -> QueueStats | None:
        """One queue's numbers over the channels that wait in it; None when none does."""
        parts = list(parts)
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        oldest = [p.oldest_entered_at for p in parts if p.pending and p.oldest_entered_at]
        return cls(
            queue_id=queue_id,
            pending=sum(p.pending for p in parts),
            oldest_entered_at=min(oldest, default=0.0),
            answered=sum(p.answered for p in parts),
            total_wait_s=sum(p.total_wait_s for p in parts),
            max_wait_s=max(p.max_wait_s for p in parts),
            open="1" if any(p.open == "1" for p in parts) else parts[0].open,
        )

    @property
    def avg_wait_s(self) -> float:
        return self.total_wait_s / self.answered if self.answered else 0.0
