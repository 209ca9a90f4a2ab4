"""A channel's items in its KV bucket: compare-and-set changes, and a local copy with indexes.

Each item is one key (``i.<item key>`` in ``Channel.bucket``) holding the channel's model; every
change is a compare-and-set that bumps ``version``, and an item that reaches its
final state is deleted instead of written. Which service owns an item is in its id
(``oii_shared.items.ids``): nothing else is written per item.

Every replica keeps a copy of the channel's live items, loaded at :meth:`ItemStore.start`
and followed by a watch, with the items of each container (9.3.3) and any other index
the channel asks for. The copy takes this replica's own writes at once and the other
replicas' within the watch's lag (about a millisecond): reads and listings answer from
it without a round trip, and every change still goes through a compare-and-set on the
stored item, so a copy that lags costs a retry, never a lost change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import AsyncExitStack
from typing import Generic, TypeVar

from nats.js.client import JetStreamContext
from nats.js.errors import APIError, NotFoundError
from nats.js.kv import KeyValue
from pydantic import BaseModel

from oii_shared.bus.follower import KvFollower, KvUpdate
from oii_shared.bus.kv import (
    ModelCodec,
    RevisionCache,
    Stored,
    cas_update,
    is_conflict,
    read,
    snapshot,
)
from oii_shared.bus.topology import BucketSpec
from oii_shared.channels import Channel, container_key
from oii_shared.items.ids import item_key
from oii_shared.soap.faults import Errors, IciFault


class ItemModel(BaseModel):
    """What the store needs of a channel's item model: a subclass names its fields."""

    version: int = 0

    @property
    def item_id(self) -> str:
        raise NotImplementedError

    @property
    def container(self) -> str:
        """The container it is on now; "" when on none (waiting in a queue)."""
        raise NotImplementedError

    @property
    def containers(self) -> tuple[str, ...]:
        """Every container it is on: one for most items, several for a chat session whose
        agents each see it on their own chat line (10.14.3)."""
        return (self.container,) if self.container else ()

    @property
    def final(self) -> bool:
        """Over for good: the item is deleted rather than written."""
        raise NotImplementedError


T = TypeVar("T", bound=ItemModel)
ITEM_PREFIX = "i."
# Index name -> the index keys of an item (``containers`` is always kept).
Indexes = Mapping[str, Callable[[T], Iterable[str]]]


def channel_bucket(channel: Channel, description: str) -> BucketSpec:
    return BucketSpec(channel.bucket, description)


class ItemExists(Exception):
    """An item with this id is stored already (ids derived from something unique)."""


class _LocalItems(Generic[T]):
    """The replica's copy: live items by KV key, and their index entries.

    An index entry lists its items in the order they came to it (a container's items in
    the order they reached the container), as dicts keep insertion order.
    """

    def __init__(self, indexes: Indexes[T]) -> None:
        self._indexes: dict[str, Callable[[T], Iterable[str]]] = {
            "containers": lambda item: (container_key(c) for c in item.containers),
            **indexes,
        }
        self.items: dict[str, T] = {}
        self._entries: dict[str, defaultdict[str, dict[str, None]]] = {
            name: defaultdict(dict) for name in self._indexes
        }

    def put(self, key: str, item: T | None) -> None:
        old = self.items.pop(key, None)
        if item is not None:
            self.items[key] = item
        for name, keys_of in self._indexes.items():
            entries = self._entries[name]
            was = set(keys_of(old)) if old is not None else set()
            now = list(dict.fromkeys(keys_of(item))) if item is not None else []
            for value in was.difference(now):
                found = entries.get(value)
                if found is not None:
                    found.pop(key, None)
                    if not found:
                        del entries[value]
            for value in now:
                if value not in was:
                    entries[value][key] = None

    def find(self, index: str, value: str) -> list[T]:
        return [self.items[key] for key in self._entries[index].get(value, ())]


class ItemStore(Generic[T]):
    def __init__(
        self,
        js: JetStreamContext,
        channel: Channel,
        kv: KeyValue,
        model: type[T],
        *,
        noun: str,
        indexes: Indexes[T] | None = None,
    ) -> None:
        """``kv`` is the channel's bucket; ``noun`` names an item in faults; ``indexes``
        are looked up with :meth:`find` (``containers`` is always there)."""
        self._js = js
        self._bucket = channel.bucket
        self.kv = kv
        self._codec = ModelCodec(model)
        self._noun = noun
        # The newest revision of each item known here: most changes skip the read.
        self._revisions: RevisionCache[T] = RevisionCache()
        self._local: _LocalItems[T] = _LocalItems(indexes or {})
        self._unread: dict[str, KvUpdate] = {}
        self._follower = KvFollower(
            kv, self._apply, name=f"{channel.value} items", keys=ITEM_PREFIX + ">"
        )

    async def start(self, stack: AsyncExitStack) -> None:
        """Load the live items, then follow every replica's changes until ``stack`` closes."""
        await self._follower.start()
        stack.push_async_callback(self._follower.stop)

    def key(self, item_id: str) -> str:
        return ITEM_PREFIX + item_key(item_id)

    def _apply(self, update: KvUpdate) -> None:
        # Taken in when the copy is next read: by then a write of this replica that the
        # watch brought before the write's own answer is remembered, and is not decoded.
        self._unread[update.key] = update

    def _settle(self) -> None:
        if self._unread:
            updates = list(self._unread.values())
            self._unread.clear()
            for update in updates:
                self._take(update)

    def _take(self, update: KvUpdate) -> None:
        """A change the watch brought, unless this replica already knows a newer one."""
        key = update.key
        try:
            item = self._revisions.take(key, update.revision, update.value, self._codec.decode)
        except ValueError:
            return
        self._local.put(key, item)

    def _stored(self, key: str, item: T | None, revision: int) -> None:
        """This replica wrote ``item`` (None: deleted) at ``revision``."""
        if item is None:
            kept = self._revisions.remember_deleted(key, revision)
        else:
            kept = self._revisions.remember(key, Stored(item, revision))
        if kept:
            self._local.put(key, item)

    async def get(self, item_id: str) -> T | None:
        if not item_id:
            return None
        key = self.key(item_id)
        self._settle()
        local = self._local.items.get(key)
        if local is not None:
            return local
        if self._revisions.known_revision(key):
            return None  # deleted: ids are never used again
        # Not seen here (yet): another replica may have made it within the watch's lag.
        return (await read(self.kv, key, self._codec)).value

    def item_id(self, value: object) -> str:
        """The id CRM sent, without reading the item (a Client fault when it is missing).

        For an operation that is one compare-and-set: :meth:`mutate` says "unknown item"
        itself, so reading the item first would only cost a round trip.
        """
        text = str(value if value is not None else "").strip()
        if not text:
            raise IciFault(Errors.MISSING_ARGUMENT, f"a {self._noun} id is required")
        return text.upper()  # ids are GUIDs in upper case, whatever case CRM sends

    async def load(self, item_id: object) -> T:
        """The item CRM names, or a Client fault (missing id, unknown item)."""
        text = self.item_id(item_id)
        item = await self.get(text)
        if item is None:
            raise IciFault(Errors.UNKNOWN_ITEM, f"no {self._noun} {item_key(text)}")
        return item

    async def create(self, item: T) -> None:
        """Store a new item; :class:`ItemExists` if its id is taken (by another replica)."""
        key = self.key(item.item_id)
        try:
            revision = await self.kv.create(key, self._codec.encode(item))
        except APIError as error:
            if is_conflict(error):
                raise ItemExists(item.item_id) from error
            raise
        self._stored(key, item, revision)

    async def mutate(self, item_id: str, mutate: Callable[[T], T]) -> tuple[T, T]:
        """Compare-and-set ``mutate`` on the item; a final item is deleted instead of written.

        ``mutate`` may raise an IciFault (the operation is not allowed) and returns the
        item it was given when nothing changes. Returns the item before and after.
        """
        key = self.key(item_id)
        changes: list[T] = []  # before and after, as the write that counted saw them

        def change(current: T | None) -> T | None:
            if current is None:
                raise IciFault(Errors.UNKNOWN_ITEM, f"no {self._noun} {item_key(item_id)}")
            after = mutate(current)
            if after is current:
                changes[:] = [current, current]
                return current
            after = after.model_copy(update={"version": current.version + 1})
            changes[:] = [current, after]
            return None if after.final else after

        await cas_update(self.kv, key, change, self._codec, cache=self._revisions)
        before, after = changes
        if after is not before:
            stored = self._revisions.get(key)
            self._local.put(key, None if after.final or stored is None else stored.value)
        return before, after

    async def all(self) -> list[T]:
        """Every live item (the copy is loaded once :meth:`start` returned)."""
        if not self._follower.following:
            entries = await snapshot(self._js, self._bucket, ITEM_PREFIX + ">")
            return [self._codec.decode(value) for _key, value in entries if value]
        self._settle()
        return list(self._local.items.values())

    async def in_container(self, container: str) -> list[T]:
        """The items on ``container`` (compared without case), in the order they came to it."""
        self._settle()
        return self._local.find("containers", container_key(container))

    def find(self, index: str, value: str) -> list[T]:
        """The items whose index ``index`` (one the store was made with) holds ``value``."""
        self._settle()
        return self._local.find(index, value)


async def live_items(js: JetStreamContext) -> list[tuple[Channel, str]]:
    """(channel, item id) of every item stored now, over every channel's bucket.

    A channel whose service has not made its bucket yet has no items.
    """
    found: list[tuple[Channel, str]] = []
    for channel in Channel:
        try:
            entries = await snapshot(js, channel.bucket, ITEM_PREFIX + ">", values=False)
        except NotFoundError:
            continue
        found += [(channel, key.removeprefix(ITEM_PREFIX)) for key, _ in entries]
    return found
