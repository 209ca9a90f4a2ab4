"""The kit's item store over a toy item model, against a real nats-server.

Two stores over one bucket are two replicas: each answers from its own copy, which
takes its own writes at once and the other's once the watch brings them (the tests
wait for that, never for a fixed time).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import TypeVar

import pytest
from nats.aio.client import Client as NatsClient
from pydantic import ConfigDict

from oii_shared.bus.follower import KvUpdate
from oii_shared.bus.topology import BucketSpec, ensure_topology
from oii_shared.channels import Channel
from oii_shared.items.store import ItemExists, ItemModel, ItemStore, live_items
from oii_shared.soap.faults import Errors, IciFault


class Ticket(ItemModel):
    model_config = ConfigDict(frozen=True)

    ticket: str
    inbox: str = ""
    done: bool = False

    @property
    def item_id(self) -> str:
        return self.ticket

    @property
    def container(self) -> str:
        return self.inbox

    @property
    def final(self) -> bool:
        return self.done


V = TypeVar("V")
WAIT_S = 5.0


async def eventually(read: Callable[[], Awaitable[V]], wanted: Callable[[V], bool]) -> V:
    """What ``read`` gives once ``wanted`` holds of it (another replica's copy catching up)."""
    async with asyncio.timeout(WAIT_S):
        while True:  # the copy has no hook to wait on: poll it
            value = await read()
            if wanted(value):
                return value
            await asyncio.sleep(0.01)


@pytest.fixture
async def stores(nc: NatsClient) -> AsyncIterator[tuple[ItemStore[Ticket], ItemStore[Ticket]]]:
    """Two replicas' stores over the action channel's bucket (emptied first), started."""
    js = nc.jetstream()
    await ensure_topology(js, buckets=[BucketSpec(Channel.ACTION.bucket, "tickets")], streams=[])
    kv = await js.key_value(Channel.ACTION.bucket)
    await js.purge_stream(f"KV_{Channel.ACTION.bucket}")
    async with AsyncExitStack() as stack:
        pair = tuple(ItemStore(js, Channel.ACTION, kv, Ticket, noun="ticket") for _ in range(2))
        for store in pair:
            await store.start(stack)
        yield pair  # type: ignore[misc]


async def test_an_item_lives_changes_containers_and_goes(
    nc: NatsClient, stores: tuple[ItemStore[Ticket], ItemStore[Ticket]]
) -> None:
    store, other = stores
    await store.create(Ticket(ticket="a1", inbox="anna"))
    with pytest.raises(ItemExists):
        await other.create(Ticket(ticket="A1"))  # ids compare without case
    assert (Channel.ACTION, "A1") in await live_items(nc.jetstream())

    before, after = await other.mutate("a1", lambda t: t.model_copy(update={"inbox": "bob"}))
    assert (before.version, after.version) == (0, 1)
    assert [t.ticket for t in await other.in_container("bob")] == ["a1"]  # its own write
    assert await eventually(lambda: store.in_container("anna"), lambda found: not found) == []
    assert [t.ticket for t in await store.in_container("bob")] == ["a1"]
    unchanged = await store.mutate("a1", lambda t: t)
    assert unchanged[0] is unchanged[1]

    await store.create(Ticket(ticket="b2", inbox="bob"))
    everything = await eventually(other.all, lambda found: len(found) == 2)
    assert sorted(t.ticket for t in everything) == ["a1", "b2"]
    assert [t.ticket for t in await other.in_container("BOB")] == ["a1", "b2"]  # arrival order

    await store.mutate("a1", lambda t: t.model_copy(update={"done": True}))
    assert await store.get("a1") is None
    assert await eventually(lambda: other.get("a1"), lambda found: found is None) is None
    assert [t.ticket for t in await other.in_container("bob")] == ["b2"]
    with pytest.raises(IciFault) as gone:
        await store.load("A1")
    assert gone.value.error == Errors.UNKNOWN_ITEM and "no ticket A1" in gone.value.message
    with pytest.raises(IciFault) as missing:
        await store.load("  ")
    assert missing.value.error == Errors.MISSING_ARGUMENT


async def test_two_replicas_changing_one_item_lose_no_change(
    stores: tuple[ItemStore[Ticket], ItemStore[Ticket]],
) -> None:
    store, other = stores
    await store.create(Ticket(ticket="c3"))

    def move(inbox: str) -> Callable[[Ticket], Ticket]:
        return lambda t: t.model_copy(update={"inbox": t.inbox + inbox})

    await asyncio.gather(*(s.mutate("c3", move(str(n))) for n in range(10) for s in (store, other)))
    final = await eventually(lambda: store.get("c3"), lambda t: t is not None and t.version == 20)
    assert final is not None and len(final.inbox) == 20
    assert sorted(final.inbox) == sorted("0123456789" * 2)
    settled = await eventually(lambda: other.in_container(final.inbox), lambda found: bool(found))
    assert [t.ticket for t in settled] == ["c3"]


async def test_a_lagging_watch_never_brings_back_an_older_state(
    stores: tuple[ItemStore[Ticket], ItemStore[Ticket]],
) -> None:
    """The copy takes its own writes at once; the watch bringing an older write after a
    newer one changes nothing, and a deleted item stays deleted."""
    store, _ = stores
    await store.create(Ticket(ticket="d4", inbox="anna"))
    key = store.key("d4")
    first = (await store.kv.get(key)).revision or 0
    await store.mutate("d4", lambda t: t.model_copy(update={"inbox": "bob"}))
    # What the watch of a loaded machine may bring only now: the first write.
    old = Ticket(ticket="d4", inbox="anna").model_dump_json().encode()
    store._apply(KvUpdate(key, old, first, initial=False))
    assert [t.inbox for t in await store.in_container("bob")] == ["bob"]
    assert await store.in_container("anna") == []

    await store.mutate("d4", lambda t: t.model_copy(update={"done": True}))
    store._apply(KvUpdate(key, old, first + 1, initial=False))
    assert await store.get("d4") is None
    assert await store.in_container("bob") == []
