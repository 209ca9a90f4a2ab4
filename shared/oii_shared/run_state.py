"""The integration's run state (Start/Stop of spec 3.4.1) as stored in KV ``oii_system``.

The gateway writes it on the admin operations Start and Stop; every process that
acts on it (the gateway replicas, telephony's routing, the notifier) follows it
with a KV watch, so that no request pays a round trip to learn it.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Awaitable, Callable

from nats.js.kv import KeyValue

from oii_shared.bus.follower import KvFollower, KvUpdate

log = logging.getLogger(__name__)

FIRST_VALUE_TIMEOUT_S = 5.0
WAIT_TIMEOUT_S = 5.0

RUN_STATE_KEY = "run_state"


class RunMode(enum.StrEnum):
    RUNNING = "running"
    STOPPED = "stopped"


def run_mode_of(value: bytes | None) -> RunMode:
    """The mode stored in ``value``; anything unreadable counts as running."""
    try:
        return RunMode((value or b"").decode())
    except ValueError:
        return RunMode.RUNNING


class RunStateFollower:
    """The run state as this process last saw it, kept by a KV watch (one writer: the watch).

    ``on_change`` is called with each new mode after the first; it runs in the watch's
    task, so a slow one holds the next change, never a request.
    """

    def __init__(
        self,
        system: KeyValue,
        on_change: Callable[[RunMode], Awaitable[None]] | None = None,
    ) -> None:
        self._on_change = on_change
        self.mode = RunMode.RUNNING
        self._changed = asyncio.Event()
        self._started = False
        self._follower = KvFollower(
            system,
            self._apply,
            name="run state",
            keys=RUN_STATE_KEY,
            first_load_timeout_s=FIRST_VALUE_TIMEOUT_S,
        )

    @property
    def stopped(self) -> bool:
        return self.mode is RunMode.STOPPED

    async def start(self) -> None:
        """Read the current mode (no ``on_change`` for it), then follow changes."""
        await self._follower.start()
        self._started = True

    async def stop(self) -> None:
        await self._follower.stop()

    async def wait_for(self, mode: RunMode, timeout_s: float = WAIT_TIMEOUT_S) -> bool:
        """Until the watch has brought ``mode`` (an admin's own change, read back)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                while self.mode is not mode:
                    await self._changed.wait()
        return self.mode is mode

    async def _apply(self, update: KvUpdate) -> None:
        mode = run_mode_of(update.value)
        if mode is self.mode:
            return
        log.warning("OII run state is now %s", mode.value)
        self.mode = mode
        self._changed.set()
        self._changed = asyncio.Event()
        if self._started and self._on_change is not None:
            await self._on_change(mode)


async def set_run_mode(system: KeyValue, mode: RunMode) -> None:
    await system.put(RUN_STATE_KEY, mode.value.encode())
