"""Local copies of KV keys kept current by a watch: agents and waiting contacts.

Routing decides from these copies without a round trip; every decision is then
confirmed by a compare-and-set on the real key, so a stale copy costs a retry,
never a wrong allocation.

A copy may share the :class:`RevisionCache` of the store that writes the keys:
the store's compare-and-sets then start from the newest revision the watch brought
(no read before the write), and a change this process wrote itself is not decoded
again when the watch brings it back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Generic, TypeVar

from nats.js.kv import KeyValue

from oii_shared.bus.follower import KvFollower, KvUpdate
from oii_shared.bus.kv import RevisionCache

log = logging.getLogger(__name__)

T = TypeVar("T")


class KvMirror(Generic[T]):
    """``values``: the decoded value of every key of ``pattern``; ``on_change`` after each
    change that follows the first load.

    A change is decoded when ``values`` is next read, not when the watch brings it: by
    then the writer has remembered a write of this process in the shared cache (the
    watch may bring it before the write's own answer), so only other writers' values are
    decoded, and a key changed several times between two reads is decoded once.
    """

    def __init__(
        self,
        kv: KeyValue,
        pattern: str,
        decode: Callable[[bytes], T],
        on_change: Callable[[], None],
        cache: RevisionCache[T] | None = None,
    ) -> None:
        self._decode = decode
        self._on_change = on_change
        self._cache: RevisionCache[T] = cache if cache is not None else RevisionCache()
        self._values: dict[str, T] = {}
        self._unread: dict[str, KvUpdate] = {}
        self._changed: set[str] = set()
        self._follower = KvFollower(kv, self._apply, name=f"mirror {pattern}", keys=pattern)

    async def start(self, stack: AsyncExitStack) -> None:
        """Read every current value, then follow changes until ``stack`` closes."""
        await self._follower.start()
        stack.push_async_callback(self._follower.stop)

    @property
    def values(self) -> dict[str, T]:
        if self._unread:
            self._take_unread()
        return self._values

    def take_changes(self) -> set[str]:
        """The keys changed (or deleted) since the last call; every key the first time."""
        changed, self._changed = self._changed, set()
        return changed

    def _apply(self, update: KvUpdate) -> None:
        self._changed.add(update.key)
        self._unread[update.key] = update  # a later change of the key replaces it
        if not update.initial:
            self._on_change()

    def _take_unread(self) -> None:
        updates, self._unread = self._unread, {}
        for key, update in updates.items():
            try:
                value = self._cache.take(key, update.revision, update.value, self._decode)
            except ValueError:
                log.warning("ignoring the unreadable value of %s", key)
                continue
            if value is None:
                self._values.pop(key, None)
            else:
                self._values[key] = value
