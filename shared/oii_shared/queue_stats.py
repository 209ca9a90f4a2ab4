"""Live numbers of one queue in the ``oii_queues`` bucket, written by the channel that owns it.

Agent counts (logged in, ready, busy...) are not stored: they are derived from
agent state. What only the routing engine knows lives here: what waits, since when,
and how long the answered contacts waited.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from oii_shared.bus.kv import safe_key


def queue_key(queue_id: str) -> str:
    return safe_key(queue_id.strip().casefold())


class QueueStats(BaseModel):
    model_config = ConfigDict(frozen=True)

    queue_id: str
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

    @property
    def avg_wait_s(self) -> float:
        return self.total_wait_s / self.answered if self.answered else 0.0
