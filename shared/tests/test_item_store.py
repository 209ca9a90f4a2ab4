"""The kit's item store over a toy item model, against a real nats-server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from nats.aio.client import Client as NatsClient
from pydantic import ConfigDict

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


async def make_store(nc: NatsClient) -> tuple[ItemStore[Ticket], ItemStore[Ticket]]:
    """Two replicas' stores over the action channel's bucket (emptied first)."""
    js = nc.jetstream()
    await ensure_topology(js, buckets=[BucketSpec(Channel.ACTION.bucket, "tickets")], streams=[])
    kv = await js.key_value(Channel.ACTION.bucket)
    await js.purge_stream(f"KV_{Channel.ACTION.bucket}")
    return tuple(  # type: ignore[return-value]
        ItemStore(js, Channel.ACTION, kv, Ticket, noun="ticket") for _ in range(2)
    )


async def test_an_item_lives_changes_containers_and_goes(nc: NatsClient) -> None:
    store, other = await make_store(nc)
    await store.create(Ticket(ticket="a1", inbox="anna"))
    with pytest.raises(ItemExists):
        await other.create(Ticket(ticket="A1"))  # ids compare without case
    assert (Channel.ACTION, "A1") in await live_items(nc.jetstream())

    before, after = await other.mutate("a1", lambda t: t.model_copy(update={"inbox": "bob"}))
    assert (before.version, after.version) == (0, 1)
    assert await store.in_container("anna") == []
    assert [t.ticket for t in await store.in_container("bob")] == ["a1"]
    unchanged = await store.mutate("a1", lambda t: t)
    assert unchanged[0] is unchanged[1]

    await store.create(Ticket(ticket="b2", inbox="bob"))
    assert sorted(t.ticket for t in await other.all()) == ["a1", "b2"]

    await store.mutate("a1", lambda t: t.model_copy(update={"done": True}))
    assert await other.get("a1") is None
    assert [t.ticket for t in await other.in_container("bob")] == ["b2"]
    with pytest.raises(IciFault) as gone:
        await store.load("A1")
    assert gone.value.error == Errors.UNKNOWN_ITEM and "no ticket A1" in gone.value.message
    with pytest.raises(IciFault) as missing:
        await store.load("  ")
    assert missing.value.error == Errors.MISSING_ARGUMENT


async def test_two_replicas_changing_one_item_lose_no_change(nc: NatsClient) -> None:
    store, other = await make_store(nc)
    await store.create(Ticket(ticket="c3"))

    def move(inbox: str) -> Callable[[Ticket], Ticket]:
        return lambda t: t.model_copy(update={"inbox": t.inbox + inbox})

    await asyncio.gather(*(s.mutate("c3", move(str(n))) for n in range(10) for s in (store, other)))
    final = await store.get("c3")
    assert final is not None and final.version == 20 and len(final.inbox) == 20
    assert [t.ticket for t in await other.in_container(final.inbox)] == ["c3"]
