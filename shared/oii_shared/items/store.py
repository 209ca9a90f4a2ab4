"""A channel's items in its KV bucket: compare-and-set changes and the index per container.

Each item is one key (``i.<item key>`` in ``Channel.bucket``) holding the channel's model; every
change is a compare-and-set that bumps ``version``, and an item that reaches its
final state is deleted instead of written. The items of each container (the
channel's container kind, 9.3.3) are listed under one key per container, so
that a container's items are found without a scan. Which service owns an item
is in its id (``oii_shared.items.ids``): nothing else is written for the gateway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from nats.js.client import JetStreamContext
from nats.js.errors import APIError, NotFoundError
from nats.js.kv import KeyValue
from pydantic import BaseModel

from oii_shared.bus.kv import (
    JsonCodec,
    ModelCodec,
    RevisionCache,
    Stored,
    cas_update,
    is_conflict,
    read,
    safe_key,
    snapshot,
)
from oii_shared.bus.topology import BucketSpec
from oii_shared.channels import Channel
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
    def final(self) -> bool:
        """Over for good: the item is deleted rather than written."""
        raise NotImplementedError


T = TypeVar("T", bound=ItemModel)
_IDS: JsonCodec[list[str]] = JsonCodec()
ITEM_PREFIX = "i."


def channel_bucket(channel: Channel, description: str) -> BucketSpec:
    return BucketSpec(channel.bucket, description)


class ItemExists(Exception):
    """An item with this id is stored already (ids derived from something unique)."""


class ItemStore(Generic[T]):
    def __init__(
        self,
        js: JetStreamContext,
        channel: Channel,
        kv: KeyValue,
        model: type[T],
        *,
        noun: str,
        container_prefix: str = "k.",
    ) -> None:
        """``kv`` is the channel's bucket; ``noun`` names an item in faults."""
        self._js = js
        self._bucket = channel.bucket
        self.kv = kv
        self._container_prefix = container_prefix
        self._codec = ModelCodec(model)
        self._noun = noun
        # An item changes through the replica that handles it: most changes skip the read.
        self._items: RevisionCache[T] = RevisionCache()
        self._containers: RevisionCache[list[str]] = RevisionCache()

    def key(self, item_id: str) -> str:
        return ITEM_PREFIX + item_key(item_id)

    def container_key(self, container: str) -> str:
        return self._container_prefix + safe_key(container)

    async def get(self, item_id: str) -> T | None:
        if not item_id:
            return None
        return (await read(self.kv, self.key(item_id), self._codec)).value

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

    async def recent(self, item_id: object) -> T:
        """The item as this process last wrote it, else as stored; faults as :meth:`load`.

        Only for what a following :meth:`mutate` checks again on the stored item, or
        for fields that never change: another replica may have changed it since.
        """
        text = self.item_id(item_id)
        remembered = self._items.get(self.key(text))
        if remembered is not None and remembered.value is not None:
            return remembered.value
        return await self.load(text)

    async def create(self, item: T) -> None:
        """Store a new item; :class:`ItemExists` if its id is taken (by another replica)."""
        key = self.key(item.item_id)
        try:
            revision = await self.kv.create(key, self._codec.encode(item))
        except APIError as error:
            if is_conflict(error):
                raise ItemExists(item.item_id) from error
            raise
        self._items.remember(key, Stored(item, revision))
        if item.container:
            await self._index(item.container, add=item.item_id)

    async def mutate(self, item_id: str, mutate: Callable[[T], T]) -> tuple[T, T]:
        """Compare-and-set ``mutate`` on the item; a final item is deleted instead of written.

        ``mutate`` may raise an IciFault (the operation is not allowed) and returns the
        item it was given when nothing changes. Returns the item before and after.
        """
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

        await cas_update(self.kv, self.key(item_id), change, self._codec, cache=self._items)
        before, after = changes
        if after is not before:
            await self._follow_container(before, after)
        return before, after

    async def all(self) -> list[T]:
        """Every stored item (read once at start: a scan of the bucket)."""
        entries = await snapshot(self._js, self._bucket, ITEM_PREFIX + ">")
        return [self._codec.decode(value) for _key, value in entries if value]

    async def in_container(self, container: str) -> list[T]:
        ids = (await read(self.kv, self.container_key(container), _IDS)).value or []
        found = [
            item
            for item_id in ids
            if (item := await self.get(item_id)) is not None and item.container == container
        ]
        if len(found) != len(ids):
            # A replica that stopped between two writes left a stale entry: tidy up.
            for item_id in set(ids) - {item.item_id for item in found}:
                await self._index(container, remove=item_id)
        return found

    async def _follow_container(self, before: T, after: T) -> None:
        new = "" if after.final else after.container
        if before.container and before.container != new:
            await self._index(before.container, remove=before.item_id)
        if new and new != before.container:
            await self._index(new, add=after.item_id)

    async def _index(self, container: str, add: str = "", remove: str = "") -> None:
        def mutate(current: list[str] | None) -> list[str] | None:
            ids = list(current or [])
            if add and add not in ids:
                ids.append(add)
            if remove and remove in ids:
                ids.remove(remove)
            if ids == (current or []):
                return current
            return ids or None

        await cas_update(
            self.kv, self.container_key(container), mutate, _IDS, cache=self._containers
        )


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
