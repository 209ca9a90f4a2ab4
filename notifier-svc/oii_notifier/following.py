"""Ending a KV watch and the task that follows it."""

from __future__ import annotations

import asyncio
import contextlib

from nats.js.kv import KeyValue


async def stop_following(
    watcher: KeyValue.KeyWatcher | None, task: asyncio.Task[None] | None
) -> None:
    """Stop the watch, then the task; a connection already gone must not fail a shutdown."""
    if watcher is not None:
        with contextlib.suppress(Exception):
            await watcher.stop()
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
