"""A NATS client survives a frozen server: late PONGs, health checks, KV after SIGCONT."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from nats.errors import FlushTimeoutError
from nats.js.api import StorageType
from nats.js.kv import KeyValue

from oii_shared.bus.connect import close, connect
from oii_shared.embedded.nats_server import start_nats_server
from oii_shared.service.infrastructure import nats_status
from oii_shared.settings import Settings


async def test_flush_timeouts_while_frozen_do_not_break_the_connection(tmp_path: Path) -> None:
    server = await start_nats_server(tmp_path / "store", log_file=tmp_path / "nats.log")
    try:
        nc = await connect(Settings(nats_url=server.url), "test")
        try:
            assert (await nats_status(nc)).ok
            os.kill(server.child.pid, signal.SIGSTOP)
            try:
                for _ in range(3):
                    with pytest.raises(FlushTimeoutError):
                        await nc.flush(timeout=0.2)  # type: ignore[arg-type]
                frozen = await nats_status(nc)
                assert not frozen.ok and "does not answer" in frozen.detail
            finally:
                os.kill(server.child.pid, signal.SIGCONT)
            # The late PONGs arrive: the connection keeps working (it used to stop reading).
            await nc.flush(timeout=5)
            assert (await nats_status(nc)).ok
            kv = await nc.jetstream().create_key_value(bucket="after_stall")
            await kv.put("k", b"v")
            assert (await kv.get("k")).value == b"v"
        finally:
            await close(nc)
    finally:
        await server.stop()


async def next_value(watcher: KeyValue.KeyWatcher, within_s: float) -> bytes | None:
    """The next update's value, past the watch's "initial values done" marker (None)."""
    async with asyncio.timeout(within_s):
        while True:
            update = await watcher.updates(timeout=within_s)
            if update is not None:
                return update.value


async def test_kv_watches_follow_again_at_once_after_a_server_restart(tmp_path: Path) -> None:
    store = tmp_path / "store"
    server = await start_nats_server(store, log_file=tmp_path / "nats.log")
    port = int(server.url.rpartition(":")[2])
    nc = await connect(Settings(nats_url=server.url), "test")
    try:
        kv = await nc.jetstream().create_key_value(bucket="watched", storage=StorageType.FILE)
        watcher = await kv.watch("k")
        await kv.put("k", b"before")
        assert await next_value(watcher, 5) == b"before"
        os.kill(server.child.pid, signal.SIGKILL)
        await server.child.wait()
        server = await start_nats_server(store, port=port, log_file=tmp_path / "nats2.log")
        await kv.put("k", b"after")  # waits for the reconnect
        # Well within nats-py's own detection (two missed 5 s idle heartbeats).
        assert await next_value(watcher, 3) == b"after"
    finally:
        await close(nc)
        await server.stop()
