"""Delivery statistics: the ``[SOAP:...]`` figures of spec chapter 12, and event latency.

``[SOAP:in progress/max in progress/lanes/max lanes q=queued/max queued
ms=min/avg/max #=delivered]``: the original counts threads where this suite
has delivery lanes (one per CRM session and URL), so the third and fourth
figures are lanes.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

# Enough samples for a stable p99 without holding more than a few kB.
LATENCY_SAMPLES = 2048


@dataclass
class DeliveryStats:
    in_progress: int = 0
    max_in_progress: int = 0
    lanes: int = 0
    max_lanes: int = 0
    queued: int = 0
    max_queued: int = 0
    delivered: int = 0
    failed: int = 0
    rejected: int = 0
    refused: int = 0
    retries: int = 0
    answered: int = 0
    ms_min: float = 0.0
    ms_max: float = 0.0
    ms_total: float = 0.0
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_SAMPLES))

    @property
    def errors(self) -> int:
        return self.failed + self.rejected + self.refused

    def request_started(self) -> None:
        self.in_progress += 1
        self.max_in_progress = max(self.max_in_progress, self.in_progress)

    def request_ended(self, answered_after_s: float | None) -> None:
        """One HTTP request is over; ``answered_after_s`` is None when no answer came."""
        self.in_progress -= 1
        if answered_after_s is None:
            return
        ms = answered_after_s * 1000
        self.ms_min = ms if self.answered == 0 else min(self.ms_min, ms)
        self.ms_max = max(self.ms_max, ms)
        self.ms_total += ms
        self.answered += 1

    def event_delivered(self, occurred_at: float | None) -> None:
        self.delivered += 1
        if occurred_at is not None:
            self.latencies_ms.append(max(0.0, (time.time() - occurred_at) * 1000))

    def lane_opened(self) -> None:
        self.lanes += 1
        self.max_lanes = max(self.max_lanes, self.lanes)

    def lane_closed(self) -> None:
        self.lanes -= 1

    def enqueued(self) -> None:
        self.queued += 1
        self.max_queued = max(self.max_queued, self.queued)

    def dequeued(self) -> None:
        self.queued -= 1

    def latency_ms(self, quantile: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]

    def line(self) -> str:
        avg = self.ms_total / self.answered if self.answered else 0.0
        return (
            f"[SOAP:{self.in_progress}/{self.max_in_progress}/{self.lanes}/{self.max_lanes}"
            f" q={self.queued}/{self.max_queued}"
            f" ms={self.ms_min:.0f}/{avg:.0f}/{self.ms_max:.0f} #={self.delivered}]"
            f" errors={self.errors} (failed {self.failed}, rejected {self.rejected},"
            f" refused {self.refused}) retries={self.retries}"
            f" latency p50={self.latency_ms(0.5):.0f} ms p99={self.latency_ms(0.99):.0f} ms"
        )

    def as_json(self) -> dict[str, Any]:
        avg = self.ms_total / self.answered if self.answered else 0.0
        return {
            "line": self.line(),
            "in_progress": self.in_progress,
            "max_in_progress": self.max_in_progress,
            "lanes": self.lanes,
            "max_lanes": self.max_lanes,
            "queued": self.queued,
            "max_queued": self.max_queued,
            "ms": {
                "min": round(self.ms_min, 1),
                "avg": round(avg, 1),
                "max": round(self.ms_max, 1),
            },
            "delivered": self.delivered,
            "errors": self.errors,
            "failed": self.failed,
            "rejected": self.rejected,
            "refused": self.refused,
            "retries": self.retries,
            "latency_ms": {
                "p50": round(self.latency_ms(0.5), 1),
                "p99": round(self.latency_ms(0.99), 1),
            },
        }
