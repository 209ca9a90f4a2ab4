"""Latency samples and counted errors of a benchmark run, and how they are summed up."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass


def percentile(ordered: list[float], quantile: float) -> float:
    """``ordered`` must be sorted; the nearest-rank percentile, 0 for no samples."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


@dataclass(frozen=True)
class Spread:
    count: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @classmethod
    def of(cls, samples_s: list[float]) -> Spread:
        ordered = sorted(samples_s)
        return cls(
            count=len(ordered),
            p50_ms=round(percentile(ordered, 0.50) * 1000, 2),
            p99_ms=round(percentile(ordered, 0.99) * 1000, 2),
            max_ms=round((ordered[-1] if ordered else 0.0) * 1000, 2),
        )


class Measures:
    """Latencies (seconds) by name, and errors by kind; ``recording`` off during set-up."""

    def __init__(self) -> None:
        self.latencies: defaultdict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.recording = True

    def latency(self, name: str, seconds: float) -> None:
        if self.recording:
            self.latencies[name].append(seconds)

    def error(self, kind: str) -> None:
        # Errors count in every phase: a failed login is as much a failure as a failed accept.
        self.errors[kind] += 1

    def reset(self) -> None:
        self.latencies.clear()

    def spreads(self) -> dict[str, Spread]:
        return {name: Spread.of(samples) for name, samples in sorted(self.latencies.items())}

    def total(self, names: list[str] | None = None) -> Spread:
        chosen = self.latencies if names is None else {n: self.latencies[n] for n in names}
        return Spread.of([sample for samples in chosen.values() for sample in samples])
