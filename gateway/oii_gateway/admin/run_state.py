"""The integration's run state (Start/Stop of spec 3.4.1), shared by every gateway replica.

The state lives in the system KV bucket; each gateway follows it with a KV watch
so that no request pays a round trip to learn it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass

from nats.js.kv import KeyValue

from oii_shared.run_state import RUN_STATE_KEY, RunMode, run_mode_of

__all__ = ["RUN_STATE_KEY", "RunMode", "RunState", "follow_run_state", "set_run_mode"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class RunState:
    """What this gateway last saw of the shared run state."""

    mode: RunMode = RunMode.RUNNING

    @property
    def stopped(self) -> bool:
        return self.mode is RunMode.STOPPED


async def set_run_mode(system: KeyValue, mode: RunMode) -> None:
    await system.put(RUN_STATE_KEY, mode.value.encode())


async def follow_run_state(system: KeyValue, state: RunState, stack: AsyncExitStack) -> None:
    """Keep ``state`` current until ``stack`` closes; the first value is read before returning."""
    watcher = await system.watch(RUN_STATE_KEY)
    first = await watcher.updates(timeout=5)
    if first is not None:
        state.mode = run_mode_of(first.value)

    async def follow() -> None:
        async for entry in watcher:
            if entry is None:
                continue
            mode = run_mode_of(entry.value)
            if mode is not state.mode:
                log.warning("OII run state is now %s", mode.value)
            state.mode = mode

    task = asyncio.create_task(follow(), name="follow-run-state")

    async def stop() -> None:
        await watcher.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    stack.push_async_callback(stop)
