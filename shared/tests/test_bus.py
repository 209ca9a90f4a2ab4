"""The NATS helpers against a real nats-server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient
from nats.js.errors import KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from oii_shared.bus.connect import close, connect
from oii_shared.bus.events import Event, decode_event, publish, subject_token
from oii_shared.bus.kv import (
    CasConflictError,
    JsonCodec,
    cas_update,
    live_count,
    snapshot,
)
from oii_shared.bus.topology import (
    BUCKETS,
    EVENTS_STREAM,
    STREAMS,
    BucketSpec,
    StreamSpec,
    ensure_topology,
)
from oii_shared.embedded.nats_server import start_nats_server
from oii_shared.embedded.ports import free_port
from oii_shared.settings import Settings

Counter = dict[str, int]


class ThingChanged(Event):
    name = "thing_changed"
    subject_format = "oii.events.test.{thing_id}.changed"
    thing_id: str
    status: str


async def test_ensure_topology_twice_and_from_two_clients_at_once(
    nats_server: str, unique_name: str
) -> None:
    buckets = [*BUCKETS, BucketSpec(f"{unique_name}_kv", "concurrent creation")]
    streams = [
        *STREAMS,
        StreamSpec(f"{unique_name}_S", "test", (f"{unique_name}.>",), 60.0, 1024 * 1024),
    ]
    first = await connect(Settings(nats_url=nats_server), "one")
    second = await connect(Settings(nats_url=nats_server), "two")
    try:
        js1, js2 = first.jetstream(), second.jetstream()
        await asyncio.gather(
            ensure_topology(js1, buckets, streams), ensure_topology(js2, buckets, streams)
        )
        await ensure_topology(js1, buckets, streams)
        await ensure_topology(js1, buckets, streams)

        for bucket in buckets:
            status = await (await js1.key_value(bucket.name)).status()
            assert status.history == 1
        events = await js2.stream_info(EVENTS_STREAM)
        assert events.config.subjects == ["oii.events.>"]
        assert events.config.storage == "file"
    finally:
        await close(first)
        await close(second)


async def test_ensure_topology_brings_a_changed_config_up_to_date(
    nc: NatsClient, unique_name: str
) -> None:
    js = nc.jetstream()
    bucket = BucketSpec(f"{unique_name}_kv", "v1")
    stream = StreamSpec(f"{unique_name}_S", "v1", (f"{unique_name}.>",), 60.0, 1024 * 1024)
    await ensure_topology(js, [bucket], [stream])

    await ensure_topology(
        js,
        [BucketSpec(bucket.name, "v2", history=5)],
        [StreamSpec(**{**vars(stream), "max_age_s": 120.0})],
    )

    assert (await (await js.key_value(bucket.name)).status()).history == 5
    assert (await js.stream_info(stream.name)).config.max_age == 120.0


async def test_cas_update_loses_no_increment_between_two_concurrent_writers(
    nats_server: str, kv: KeyValue, unique_name: str
) -> None:
    codec = JsonCodec[Counter]()

    def increment(counter: Counter | None) -> Counter:
        return {"n": (counter or {"n": 0})["n"] + 1}

    async def writer(name: str) -> None:
        client = await connect(Settings(nats_url=nats_server), name)
        try:
            bucket = await client.jetstream().key_value(unique_name)
            for _ in range(200):
                await cas_update(bucket, "counter", increment, codec)
        finally:
            await close(client)

    await asyncio.gather(writer("a"), writer("b"))

    assert codec.decode((await kv.get("counter")).value or b"") == {"n": 400}


async def test_cas_update_creates_skips_and_deletes(kv: KeyValue) -> None:
    codec = JsonCodec[Counter]()

    assert await cas_update(kv, "k", lambda _: {"n": 1}, codec) == {"n": 1}
    revision = (await kv.get("k")).revision
    # Handing back the very same object means "no change": nothing is written.
    assert await cas_update(kv, "k", lambda current: current, codec) == {"n": 1}
    assert (await kv.get("k")).revision == revision

    assert await cas_update(kv, "k", lambda _: None, codec) is None
    assert await cas_update(kv, "k", lambda current: current, codec) is None
    # A deleted key leaves a tombstone; creating it again must still work.
    assert await cas_update(
        kv, "k", lambda current: {"n": 2 if current is None else -1}, codec
    ) == {"n": 2}


async def test_cas_update_gives_up_after_its_attempts() -> None:
    class AlwaysRacedBucket:
        updates = 0

        async def get(self, key: str) -> Any:
            return KeyValue.Entry("b", key, b'{"n":1}', 7, None, None, None)

        async def update(self, key: str, value: bytes, last: int) -> int:
            self.updates += 1
            raise KeyWrongLastSequenceError(description="wrong last sequence")

    bucket = AlwaysRacedBucket()
    with pytest.raises(CasConflictError):
        await cas_update(bucket, "k", lambda _: {"n": 2}, JsonCodec[Counter](), attempts=3)  # type: ignore[arg-type]
    assert bucket.updates == 3


async def test_counts_of_a_bucket(nc: NatsClient, kv: KeyValue, unique_name: str) -> None:
    assert await live_count(nc.jetstream(), unique_name) == 0
    for key in ("a", "b", "c"):
        await kv.put(key, b"1")
    await kv.delete("b")

    assert await live_count(nc.jetstream(), unique_name) == 2  # the tombstone of "b" is not


async def test_a_snapshot_has_every_live_key_under_its_pattern_and_nothing_else(
    nc: NatsClient, kv: KeyValue, unique_name: str
) -> None:
    js = nc.jetstream()
    assert await snapshot(js, unique_name) == []
    for number in range(600):  # more than one fetch batch
        await kv.put(f"a.{number}", str(number).encode())
    await kv.put("a.7", b"seven")  # only the last value of a key
    await kv.delete("a.8")
    await kv.purge("a.9")
    await kv.put("b.1", b"other")
    entries = dict(await snapshot(js, unique_name, "a.>"))
    assert len(entries) == 598
    assert entries["a.7"] == b"seven" and entries["a.599"] == b"599"
    assert "a.8" not in entries and "a.9" not in entries and "b.1" not in entries
    assert dict(await snapshot(js, unique_name)).keys() == entries.keys() | {"b.1"}


async def test_event_lands_on_the_events_stream_under_its_subject(
    nc: NatsClient, unique_name: str
) -> None:
    js = nc.jetstream()
    await ensure_topology(js)
    event = ThingChanged(id=f"{unique_name}-1", thing_id=f"{unique_name}.x y", status="done")

    ack = await publish(js, event)
    again = await publish(js, event)

    assert ack.stream == EVENTS_STREAM
    assert again.duplicate and again.seq == ack.seq
    stored = await js.get_msg(EVENTS_STREAM, seq=ack.seq)
    assert stored.subject == f"oii.events.test.{unique_name}%2Ex%20y.changed"
    assert stored.headers is not None and stored.headers["Oii-Event"] == "thing_changed"
    assert decode_event(stored.data or b"", [ThingChanged]) == event


def test_subject_tokens_cannot_split_or_wildcard_a_subject() -> None:
    assert subject_token("jane.doe@x.com") == "jane%2Edoe@x%2Ecom"
    assert subject_token("a*b>c%d e") == "a%2Ab%3Ec%25d%20e"
    with pytest.raises(ValueError):
        subject_token("")


async def test_close_drains_pending_publishes(nats_server: str, unique_name: str) -> None:
    settings = Settings(nats_url=nats_server)
    receiver = await connect(settings, "receiver")
    received = 0
    all_received = asyncio.Event()

    async def count(_: Any) -> None:
        nonlocal received
        received += 1
        if received == 5000:
            all_received.set()

    await receiver.subscribe(f"{unique_name}.drain", cb=count)
    await receiver.flush()
    sender = await connect(settings, "sender")
    try:
        for number in range(5000):
            await sender.publish(f"{unique_name}.drain", str(number).encode())
        await close(sender)
        assert sender.is_closed
        await asyncio.wait_for(all_received.wait(), 10)
    finally:
        await close(receiver)


async def test_a_client_reconnects_when_its_server_comes_back(tmp_path: Path) -> None:
    first = await start_nats_server(tmp_path / "store", log_file=tmp_path / "log")
    nc = await connect(Settings(nats_url=first.url), "patient")
    second = None
    try:
        await ensure_topology(nc.jetstream(), [BucketSpec("kept", "test")], [])
        await first.stop()
        port = int(first.url.rpartition(":")[2])
        second = await start_nats_server(tmp_path / "store", port=port, log_file=tmp_path / "log")
        # Requests made while reconnecting wait in the client's buffer.
        kv = await nc.jetstream().key_value("kept")
        assert await kv.put("key", b"value") > 0
        assert nc.is_connected
    finally:
        await close(nc)
        if second is not None:
            await second.stop()


async def test_first_connect_is_bounded() -> None:
    settings = Settings(nats_url=f"nats://127.0.0.1:{free_port()}")
    with pytest.raises(TimeoutError):
        await connect(settings, "nobody-home", first_connect_timeout=0.5)
