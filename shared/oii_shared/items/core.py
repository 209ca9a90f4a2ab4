"""The one way an item changes: compare-and-set in KV, then its events, then its agents' contacts.

A channel gives the core what only it knows, as an :class:`ItemChannel`: the contact
each agent has in an item (routing and presence count them), the queue it came from,
and the domain events of one change. Everything else is the same for every channel:
changes of one item made by this replica take turns (a lock per item), so its events
leave in the order the changes were stored; the agents' contacts follow each change
through the channel's one :class:`AgentContacts` writer; listeners (routing, the
channel's own followers) hear every stored change after that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, Protocol, TypeVar

from oii_shared.agents.state import ContactState
from oii_shared.items.store import ItemModel, ItemStore
from oii_shared.keyed_locks import KeyedLocks
from oii_shared.routing.contacts import AgentContacts
from oii_shared.soap.faults import IciFault

log = logging.getLogger(__name__)

T = TypeVar("T", bound=ItemModel)
T_contra = TypeVar("T_contra", bound=ItemModel, contravariant=True)

Mutation = Callable[[T], T]
# Told about every stored change (before, after).
Listener = Callable[[T, T], Awaitable[None]]


class ItemChannel(Protocol[T_contra]):
    """What a channel tells the item core about its items."""

    def contacts(self, item: T_contra) -> Mapping[str, ContactState]:
        """What the item is for each agent it involves now (user id -> contact state)."""
        ...

    def queue(self, item: T_contra) -> str:
        """The queue the item came from ("" for none): its agents' contacts name it."""
        ...

    async def publish(self, before: T_contra | None, after: T_contra) -> None:
        """The domain events of one stored change (``before`` None: a new item)."""
        ...


class ItemCore(Generic[T]):
    def __init__(
        self,
        store: ItemStore[T],
        channel: ItemChannel[T],
        contacts: AgentContacts,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self._channel = channel
        self.contacts = contacts
        self._clock = clock
        self._locks = KeyedLocks()
        self._listeners: list[Listener[T]] = []

    def listen(self, listener: Listener[T]) -> None:
        self._listeners.append(listener)

    async def add(self, item: T) -> T:
        async with self._locks.hold(item.item_id):
            await self.store.create(item)
            await self._channel.publish(None, item)
            await self._follow(None, item)
        return item

    async def change(self, item_id: str, mutate: Mutation[T]) -> tuple[T, T]:
        """Apply ``mutate`` (pure; may raise an IciFault) and announce the result."""
        async with self._locks.hold(item_id):
            before, after = await self.store.mutate(item_id, mutate)
            if after is before:
                return before, after
            await self._channel.publish(before, after)
            await self._follow(before, after)
        for listener in self._listeners:
            try:
                await listener(before, after)
            except Exception:
                log.exception("an item listener failed")
        return before, after

    async def try_change(self, item_id: str, mutate: Mutation[T]) -> tuple[T, T] | None:
        """Like :meth:`change`, but an item that is gone (or refuses) is ``None``."""
        try:
            return await self.change(item_id, mutate)
        except IciFault:
            return None

    async def _follow(self, before: T | None, after: T) -> None:
        channel = self._channel
        was = channel.contacts(before) if before is not None else {}
        now = {} if after.final else channel.contacts(after)
        await self.contacts.follow(after.item_id, was, now, channel.queue(after), self._clock())
