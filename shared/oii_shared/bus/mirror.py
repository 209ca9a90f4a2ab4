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
from oii_shared.bus.kv import RevisionCache, Stored

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
        cache: RevisionCache[T] | None = None,
    ) -> None:
        self._decode = decode
        self._on_change = on_change
        self._cache: RevisionCache[T] = cache if cache is not None else RevisionCache()
        self.values: dict[str, T] = {}
        self._follower = KvFollower(kv, self._apply, name=f"mirror {pattern}", keys=pattern)

    async def start(self, stack: AsyncExitStack) -> None:
        """Read every current value, then follow changes until ``stack`` closes."""
        await self._follower.start()
        stack.push_async_callback(self._follower.stop)

    def _apply(self, update: KvUpdate) -> None:
        key, cache = update.key, self._cache
        if update.value is None:
            if update.revision:
                cache.remember_deleted(key, update.revision)
            else:  # gone while the watch started over: nothing newer can be known
                cache.forget(key)
            self.values.pop(key, None)
        else:
            known = cache.get(key)
            if known is not None and known.revision >= update.revision:
                value = known.value  # written here, or a newer write is already known
            elif cache.known_revision(key) > update.revision:
                return  # deleted since: the delete follows on the watch
            else:
                try:
                    value = self._decode(update.value)
                except ValueError:
                    log.warning("ignoring the unreadable value of %s", key)
                    return
                cache.remember(key, Stored(value, update.revision))
            if value is None:
                self.values.pop(key, None)
            else:
                self.values[key] = value
        if not update.initial:
            self._on_change()
