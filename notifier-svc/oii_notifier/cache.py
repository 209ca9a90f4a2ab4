"""A small cache for slow look-ups (DNS): stale answers are served while a fresh one is fetched.

Only the first use of a key waits for the look-up; afterwards a slow or dead
resolver never holds an event back, the answer is just refreshed behind it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

V = TypeVar("V")
# The look-up gives its value and how many seconds it stays fresh.
Fetch = Callable[[str], Awaitable[tuple[V, float]]]


class RefreshingCache(Generic[V]):
    def __init__(self, fetch: Fetch[V], max_size: int = 10_000) -> None:
        self._fetch = fetch
        self._max_size = max_size
        self._entries: dict[str, tuple[V, float]] = {}
        self._refreshing: dict[str, asyncio.Task[None]] = {}

    async def get(self, key: str) -> V:
        entry = self._entries.get(key)
        if entry is None:
            return await self._load(key)
        value, fresh_until = entry
        if fresh_until <= asyncio.get_running_loop().time() and key not in self._refreshing:
            task = asyncio.create_task(self._refresh(key), name=f"refresh {key}")
            self._refreshing[key] = task
            task.add_done_callback(lambda _: self._refreshing.pop(key, None))
        return value

    async def _load(self, key: str) -> V:
        value, ttl_s = await self._fetch(key)
        if len(self._entries) >= self._max_size:
            self._entries.clear()
        self._entries[key] = (value, asyncio.get_running_loop().time() + ttl_s)
        return value

    async def _refresh(self, key: str) -> None:
        try:
            await self._load(key)
        except Exception:
            log.exception("refreshing %s failed; the previous answer stays", key)
