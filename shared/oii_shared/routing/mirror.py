"""Local copies of KV keys kept current by a watch: agents and waiting contacts.

Routing decides from these copies without a round trip; every decision is then
confirmed by a compare-and-set on the real key, so a stale copy costs a retry,
never a wrong allocation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Generic, TypeVar

from nats.js.kv import KeyValue

from oii_shared.bus.follower import KvFollower, KvUpdate

log = logging.getLogger(__name__)

T = TypeVar("T")


class KvMirror(Generic[T]):
    """``values``: the decoded value of every key of ``pattern``; ``on_change`` after each
    change that follows the first load."""

    def __init__(
        self,
        kv: KeyValue,
        pattern: str,
        decode: Callable[[bytes], T],
        on_change: Callable[[], None],
    ) -> None:
        self._decode = decode
        self._on_change = on_change
        self.values: dict[str, T] = {}
        self._follower = KvFollower(kv, self._apply, name=f"mirror {pattern}", keys=pattern)

    async def start(self, stack: AsyncExitStack) -> None:
        """Read every current value, then follow changes until ``stack`` closes."""
        await self._follower.start()
        stack.push_async_callback(self._follower.stop)

    def _apply(self, update: KvUpdate) -> None:
        if update.value is None:
            self.values.pop(update.key, None)
        else:
            try:
                self.values[update.key] = self._decode(update.value)
            except ValueError:
                log.warning("ignoring the unreadable value of %s", update.key)
                return
        if not update.initial:
            self._on_change()
