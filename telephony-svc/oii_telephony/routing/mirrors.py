"""Local copies of KV keys kept current by a watch: agents and waiting calls.

Routing decides from these copies without a round trip; every decision is then
confirmed by a compare-and-set on the real key, so a stale copy costs a retry,
never a wrong allocation.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Generic, TypeVar

from nats.js.kv import KeyValue

log = logging.getLogger(__name__)

T = TypeVar("T")
_INITIAL_TIMEOUT_S = 10.0
_DELETED = frozenset({"DEL", "PURGE"})


class KvMirror(Generic[T]):
    def __init__(
        self,
        kv: KeyValue,
        pattern: str,
        decode: Callable[[bytes], T],
        on_change: Callable[[], None],
    ) -> None:
        self._kv = kv
        self._pattern = pattern
        self._decode = decode
        self._on_change = on_change
        self.values: dict[str, T] = {}

    async def start(self, stack: AsyncExitStack) -> None:
        """Read every current value, then follow changes until ``stack`` closes."""
        watcher = await self._kv.watch(self._pattern)
        while True:
            entry = await watcher.updates(timeout=_INITIAL_TIMEOUT_S)
            if entry is None:
                break
            self._apply(entry.key, entry.value, entry.operation)

        async def follow() -> None:
            async for entry in watcher:
                if entry is None:
                    continue
                self._apply(entry.key, entry.value, entry.operation)
                self._on_change()

        task = asyncio.create_task(follow(), name=f"mirror-{self._pattern}")

        async def stop() -> None:
            with contextlib.suppress(Exception):
                await watcher.stop()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        stack.push_async_callback(stop)

    def _apply(self, key: str, value: bytes | None, operation: str | None) -> None:
        if operation in _DELETED or not value:
            self.values.pop(key, None)
            return
        try:
            self.values[key] = self._decode(value)
        except ValueError:
            log.warning("ignoring the unreadable value of %s", key)
