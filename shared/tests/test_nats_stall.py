"""A NATS client survives a frozen server: late PONGs, health checks, KV after SIGCONT."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from nats.errors import FlushTimeoutError

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
