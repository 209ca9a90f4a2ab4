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
        self._system = system
        self._on_change = on_change
        self.mode = RunMode.RUNNING
        self._changed = asyncio.Event()
        self._watcher: KeyValue.KeyWatcher | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def stopped(self) -> bool:
        return self.mode is RunMode.STOPPED

    async def start(self) -> None:
        """Read the current mode (no ``on_change`` for it), then follow changes."""
        self._watcher = watcher = await self._system.watch(RUN_STATE_KEY)
        first = await watcher.updates(timeout=FIRST_VALUE_TIMEOUT_S)
        if first is not None:
            self.mode = run_mode_of(first.value)
        self._task = asyncio.create_task(self._follow(watcher), name="follow-run-state")

    async def stop(self) -> None:
        if self._watcher is not None:
            with contextlib.suppress(Exception):  # a connection already gone fails no shutdown
                await self._watcher.stop()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def wait_for(self, mode: RunMode, timeout_s: float = WAIT_TIMEOUT_S) -> bool:
        """Until the watch has brought ``mode`` (an admin's own change, read back)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                while self.mode is not mode:
                    await self._changed.wait()
        return self.mode is mode

    async def _follow(self, watcher: KeyValue.KeyWatcher) -> None:
        async for entry in watcher:
            if entry is None:
                continue
            mode = run_mode_of(entry.value)
            if mode is self.mode:
                continue
            log.warning("OII run state is now %s", mode.value)
            self.mode = mode
            self._changed.set()
            self._changed = asyncio.Event()
            if self._on_change is not None:
                try:
                    await self._on_change(mode)
                except Exception:
                    log.exception("reacting to the run state %s failed", mode.value)


async def set_run_mode(system: KeyValue, mode: RunMode) -> None:
    await system.put(RUN_STATE_KEY, mode.value.encode())
