"""A status aggregator: each component reports its own health."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ComponentStatus:
    ok: bool
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": "ok" if self.ok else "fail"}
        if self.detail:
            body["detail"] = self.detail
        body.update(self.data)
        return body


HealthCheck = Callable[[], Awaitable[ComponentStatus]]


class StatusAggregator:
    """Runs every registered check concurrently, each bounded by a timeout."""

    def __init__(self, timeout_s: float) -> None:
        self._checks: dict[str, HealthCheck] = {}
        self._not_liveness: set[str] = set()
        self._timeout_s = timeout_s

    def register(self, name: str, check: HealthCheck, *, liveness: bool = True) -> None:
        """``liveness=False``: a failure means "not serving", not "broken" (/livez ignores it)."""
        self._checks[name] = check
        if not liveness:
            self._not_liveness.add(name)

    def alive(self, statuses: dict[str, ComponentStatus]) -> bool:
        """Whether the process works, whatever it serves: what a supervisor restarts on."""
        return all(status.ok for name, status in statuses.items() if name not in self._not_liveness)

    async def collect(self) -> dict[str, ComponentStatus]:
        names = list(self._checks)
        results = await asyncio.gather(*(self._run(self._checks[name]) for name in names))
        return dict(zip(names, results, strict=True))

    async def _run(self, check: HealthCheck) -> ComponentStatus:
        try:
            async with asyncio.timeout(self._timeout_s):
                return await check()
        except TimeoutError:
            return ComponentStatus(False, "no answer in time")
        except Exception as exc:
            return ComponentStatus(False, f"{type(exc).__name__}: {exc}")


def summarize(statuses: dict[str, ComponentStatus]) -> tuple[bool, dict[str, Any]]:
    ok = all(status.ok for status in statuses.values())
    body: dict[str, Any] = {
        "status": "ok" if ok else "fail",
        "components": {name: status.as_json() for name, status in statuses.items()},
    }
    if not ok:
        body["down"] = sorted(name for name, status in statuses.items() if not status.ok)
    return ok, body
