"""One IciEvent POST to one URL, and how it ended."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable
from dataclasses import dataclass, field

LaneKey = tuple[str, tuple[str, ...]]


class Outcome(enum.Enum):
    DELIVERED = "delivered"
    # CRM answered, but with a SOAP Fault or a 4xx: sending it again would not help.
    REJECTED = "rejected"
    # No success before the retry time ran out (connection errors, timeouts, 5xx).
    FAILED = "failed"


@dataclass(eq=False)
class Delivery:
    url: str
    # Sorted, without duplicates: a session subscribed twice gets the event once.
    app_ids: tuple[str, ...]
    operation: str
    body: bytes
    # time.time() of the change, for the latency statistics; None for notices.
    occurred_at: float | None
    # loop.time() after which a failed attempt is not retried.
    retry_until: float
    on_done: Callable[[Outcome], None] | None = None
    # Set once the next event of the same lane may go (spec SOAP_WAIT_MS).
    released: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def lane(self) -> LaneKey:
        return (self.url, self.app_ids)
