"""One way to keep a local copy of KV keys: load them, follow changes, start over, stop.

Every service decides from local copies of some KV keys (agents, waiting
contacts, subscriptions, the run state) and confirms each decision with a
compare-and-set on the real key, so a copy may lag but never lies for long.
``KvFollower`` is the one watch loop behind all of them:

- ``start`` returns once the current values have been applied (or, with a
  warning, after ``first_load_timeout_s``: a service still starts);
- each change then reaches ``apply`` in order, from one task (the copy's one writer);
- when the watch dies (a server restart it could not resume, an error) it starts
  over after a short pause: the current values are replayed as ``initial``
  updates, and keys that disappeared meanwhile are applied as deleted;
- ``stop`` ends the watch and its task; a connection already gone fails no shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nats.js.kv import KV_DEL, KV_PURGE, KeyValue

log = logging.getLogger(__name__)

FIRST_LOAD_TIMEOUT_S = 10.0
RESTART_PAUSE_S = 1.0
_DELETED = frozenset({KV_DEL, KV_PURGE})


@dataclass(frozen=True, slots=True)
class KvUpdate:
    key: str
    # None: the key was deleted (or purged, or is gone since the watch started over).
    value: bytes | None
    revision: int
    # Part of a (re)load of the current values, not a change made since.
    initial: bool


Apply = Callable[[KvUpdate], Awaitable[None] | None]


class KvFollower:
    def __init__(
        self,
        kv: KeyValue,
        apply: Apply,
        *,
        name: str,
        keys: str = ">",
        first_load_timeout_s: float = FIRST_LOAD_TIMEOUT_S,
        restart_pause_s: float = RESTART_PAUSE_S,
    ) -> None:
        self._kv = kv
        self._apply = apply
        self._name = name
        self._keys = keys
        self._first_load_timeout_s = first_load_timeout_s
        self._restart_pause_s = restart_pause_s
        self._present: set[str] = set()
        self._loaded = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._watcher: KeyValue.KeyWatcher | None = None
        self._watching = False

    @property
    def following(self) -> bool:
        """Loaded and watching now (not while starting over after the watch died)."""
        return self._watching and self._task is not None and not self._task.done()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"follow-{self._name}")
        try:
            async with asyncio.timeout(self._first_load_timeout_s):
                await self._loaded.wait()
        except TimeoutError:
            log.warning(
                "%s not loaded within %.0f s; following on", self._name, self._first_load_timeout_s
            )

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        while True:
            try:
                await self._watch_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the watch of %s failed; starting over", self._name)
            else:
                log.warning("the watch of %s ended; starting over", self._name)
            await asyncio.sleep(self._restart_pause_s)

    async def _watch_once(self) -> None:
        self._watcher = watcher = await self._kv.watch(self._keys)
        try:
            replayed: set[str] = set()
            loading = True
            async for entry in watcher:
                if entry is None:  # the current values have all been delivered
                    if loading:
                        loading = False
                        await self._forget_missing(replayed)
                        self._watching = True
                        self._loaded.set()
                    continue
                deleted = entry.operation in _DELETED or entry.value is None
                if loading:
                    replayed.add(entry.key)
                await self._deliver(
                    KvUpdate(
                        entry.key, None if deleted else entry.value, entry.revision or 0, loading
                    )
                )
        finally:
            self._watching = False
            with contextlib.suppress(Exception):
                await watcher.stop()

    async def _forget_missing(self, replayed: set[str]) -> None:
        for key in sorted(self._present - replayed):
            await self._deliver(KvUpdate(key, None, 0, True))

    async def _deliver(self, update: KvUpdate) -> None:
        if update.value is None:
            self._present.discard(update.key)
        else:
            self._present.add(update.key)
        try:
            result = self._apply(update)
            if inspect.isawaitable(result):
                await result
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s: ignoring the update of %s", self._name, update.key)
