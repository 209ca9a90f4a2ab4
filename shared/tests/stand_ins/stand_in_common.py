"""Stand-ins for the services and init, so that the supervisor is tested without them.

The supervisor tests put this directory on PYTHONPATH and name these modules in
a test catalog:

* ``stand_in_ok``: serves /healthz, stops on SIGTERM.
* ``stand_in_stubborn``: serves /healthz, ignores SIGTERM (must get SIGKILLed).
* ``stand_in_unhealthy``: answers /healthz with 503 forever.
* ``stand_in_init``: records that it ran, exits 0.
* ``stand_in_bad_init``: complains on stderr, exits 2 (a bad configuration).

Each appends what it sees to the journal file named by STAND_IN_JOURNAL, one JSON
object per line, including whether nats-server still answered when SIGTERM came.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from typing import Any

NAME = os.environ.get("OII_SERVICE", "?")


def journal(event: str, **fields: Any) -> None:
    record = {"name": NAME, "event": event, "pid": os.getpid(), "time": time.monotonic()}
    with open(os.environ["STAND_IN_JOURNAL"], "a") as file:
        file.write(json.dumps({**record, **fields}) + "\n")


async def nats_answers() -> bool:
    host, _, port = os.environ["OII_NATS_URL"].removeprefix("nats://").rpartition(":")
    try:
        _, writer = await asyncio.open_connection(host, int(port))
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def serve(status: int, stop_on_term: bool) -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (await reader.readline()).strip():
            pass
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, os.environ["OII_HOST"], int(os.environ["OII_PORT"]))
    journal("started", env={k: v for k, v in os.environ.items() if k.startswith("OII_")})
    print(f"{NAME} listening", flush=True)
    print(f"{NAME} says hello on stderr", file=sys.stderr, flush=True)
    stopped = asyncio.Event()

    async def record_sigterm() -> None:
        journal("sigterm", nats_up=await nats_answers())
        if stop_on_term:
            stopped.set()

    tasks = set()

    def on_sigterm() -> None:
        tasks.add(asyncio.ensure_future(record_sigterm()))

    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, on_sigterm)
    await stopped.wait()
    server.close()


def run(status: int = 200, stop_on_term: bool = True) -> None:
    try:
        asyncio.run(serve(status, stop_on_term))
    except OSError as error:  # e.g. the port is taken
        print(f"{NAME}: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
