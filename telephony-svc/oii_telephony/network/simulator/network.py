"""The simulated telephone network: outbound calls ring and are answered, busy or unanswered.

Numbers listed under ``simulator: busy`` are busy, those under ``no_answer``
ring until OII_SIM_RING_TIMEOUT_MS; every other number answers after
OII_SIM_ANSWER_MS. Inbound calls and remote hang-ups come from its HTTP API.
Pending answers are timers of this process; a restarted engine resumes the calls
it finds dialling or ringing (``resume_call``), on the schedule of their dial time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from oii_telephony.network.port import NetworkEvents

log = logging.getLogger(__name__)

# A busy exchange answers at once, but not before the caller saw the call dialled.
BUSY_AFTER_S = 0.05


@dataclass(frozen=True, slots=True)
class SimulatorRules:
    busy: frozenset[str] = frozenset()
    no_answer: frozenset[str] = frozenset()
    answer_after_s: float = 1.0
    ring_timeout_s: float = 30.0


class SimulatedNetwork:
    """Implements :class:`oii_telephony.network.port.TelephoneNetwork`."""

    trunk_id = "SIM"

    def __init__(self, rules: SimulatorRules, events: Callable[[], NetworkEvents]) -> None:
        """``events`` gives the call engine the network reports to."""
        self.rules = rules
        self._events = events
        self._pending: dict[str, asyncio.Task[None]] = {}

    async def place_call(self, party_id: str, number: str) -> None:
        self._play_from(party_id, number, elapsed=0.0)

    async def resume_call(self, party_id: str, number: str, dialed_at: float) -> None:
        self._play_from(party_id, number, elapsed=max(0.0, time.time() - dialed_at))

    def _play_from(self, party_id: str, number: str, elapsed: float) -> None:
        """Play the call's steps (each at its time after the dial) that are ``elapsed`` or later;
        one whose ring timeout passed meanwhile gives up at once."""
        rules = self.rules
        steps: list[tuple[float, Callable[[str], Awaitable[None]]]]
        if number in rules.busy:
            steps = [(BUSY_AFTER_S, self._report("remote_busy"))]
        elif number in rules.no_answer or elapsed >= rules.ring_timeout_s:
            steps = [
                (0.0, self._report("remote_ringing")),
                (rules.ring_timeout_s, self._report("remote_unreachable")),
            ]
        else:
            steps = [
                (0.0, self._report("remote_ringing")),
                (rules.answer_after_s, self._report("remote_answered")),
            ]
        remaining = [(max(0.0, at - elapsed), step) for at, step in steps]
        task = asyncio.create_task(self._play(party_id, remaining), name=f"sim-call-{party_id}")
        previous = self._pending.get(party_id)
        if previous is not None:
            previous.cancel()
        self._pending[party_id] = task
        task.add_done_callback(lambda _: self._forget(party_id, task))

    def _report(self, name: str) -> Callable[[str], Awaitable[None]]:
        async def report(party_id: str) -> None:
            await getattr(self._events(), name)(party_id)

        return report

    async def _play(
        self, party_id: str, steps: list[tuple[float, Callable[[str], Awaitable[None]]]]
    ) -> None:
        waited = 0.0
        for at, step in steps:
            if at > waited:
                await asyncio.sleep(at - waited)
                waited = at
            try:
                await step(party_id)
            except Exception:
                log.exception("simulated call %s: reporting failed", party_id)

    def _forget(self, party_id: str, task: asyncio.Task[None]) -> None:
        if self._pending.get(party_id) is task:
            del self._pending[party_id]

    async def disconnect(self, party_id: str) -> None:
        task = self._pending.pop(party_id, None)
        if task is not None:
            task.cancel()
        log.info("simulated party %s hung up on", party_id)

    async def connect_externally(self, party_ids: tuple[str, ...]) -> None:
        log.info("simulated parties %s talk on outside the contact center", ", ".join(party_ids))

    async def close(self) -> None:
        for task in list(self._pending.values()):
            task.cancel()
