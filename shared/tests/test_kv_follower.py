"""KvFollower on a real nats-server: load, follow in order, start over, stop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from nats.js.kv import KeyValue

from oii_shared.bus.connect import close, connect
from oii_shared.bus.follower import KvFollower, KvUpdate
from oii_shared.embedded.nats_server import start_nats_server
from oii_shared.settings import Settings


@pytest.fixture
async def bucket(tmp_path: Path) -> AsyncIterator[KeyValue]:
    server = await start_nats_server(tmp_path / "store", log_file=tmp_path / "nats.log")
    nc = await connect(Settings(nats_url=server.url), "test")
    try:
        yield await nc.jetstream().create_key_value(bucket="followed")
    finally:
        await close(nc)
        await server.stop()


async def until(condition: Callable[[], bool], what: str) -> None:
    try:
        async with asyncio.timeout(5):
            while True:
                if condition():
                    return
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"not within 5 s: {what}") from None


async def test_it_loads_then_follows_every_change_in_order(bucket: KeyValue) -> None:
    await bucket.put("a", b"1")
    await bucket.put("b", b"2")
    await bucket.put("skipped", b"x")
    seen: list[KvUpdate] = []
    follower = KvFollower(bucket, seen.append, name="test")
    await follower.start()
    try:
        assert follower.following
        assert {(u.key, u.value, u.initial) for u in seen} == {
            ("a", b"1", True),
            ("b", b"2", True),
            ("skipped", b"x", True),
        }
        loaded = len(seen)
        await bucket.put("a", b"3")
        await bucket.delete("b")
        await until(lambda: len(seen) == loaded + 2, "two changes")
        assert [(u.key, u.value, u.initial) for u in seen[loaded:]] == [
            ("a", b"3", False),
            ("b", None, False),
        ]
        assert seen[loaded].revision > seen[0].revision
    finally:
        await follower.stop()
    assert not follower.following


async def test_a_failing_apply_loses_nothing_else(bucket: KeyValue) -> None:
    seen: list[str] = []

    def apply(update: KvUpdate) -> None:
        if update.value == b"bad":
            raise ValueError("unreadable")
        seen.append(update.key)

    follower = KvFollower(bucket, apply, name="test")
    await follower.start()
    try:
        await bucket.put("x", b"bad")
        await bucket.put("y", b"good")
        await until(lambda: seen == ["y"], "the good one")
    finally:
        await follower.stop()


async def test_when_the_watch_dies_it_starts_over_and_forgets_deleted_keys(
    bucket: KeyValue,
) -> None:
    await bucket.put("kept", b"1")
    await bucket.put("gone", b"2")
    copy: dict[str, bytes] = {}
    replays: list[KvUpdate] = []

    async def apply(update: KvUpdate) -> None:
        if update.value is None:
            copy.pop(update.key, None)
        else:
            copy[update.key] = update.value
        if update.initial:
            replays.append(update)

    follower = KvFollower(bucket, apply, name="test", restart_pause_s=1.0)
    await follower.start()
    try:
        assert copy == {"kept": b"1", "gone": b"2"}
        first_load = len(replays)
        # The watch dies (here: stopped under the follower), and a key goes meanwhile,
        # its delete marker too (purge_deletes): the replay cannot say it is gone.
        assert follower._watcher is not None
        await follower._watcher.stop()
        await bucket.delete("gone")
        await bucket.purge_deletes(olderthan=-1)
        await bucket.put("new", b"3")
        await until(lambda: copy == {"kept": b"1", "new": b"3"}, "the copy after starting over")
        assert ("gone", None) in [(u.key, u.value) for u in replays[first_load:]]
        await until(lambda: follower.following, "following again")
    finally:
        await follower.stop()
