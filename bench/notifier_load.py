"""IciEvent throughput and latency through notifier-svc to a local CRM stand-in.

    .venv/bin/python -m bench.notifier_load [--events N] [--sessions N] [--rate 0] [--json FILE]

Starts a nats-server, the init job and ``python -m oii_notifier`` as the
embedded stack runs them, an aiohttp receiver in this process, and one
subscription session per phone line; then publishes ``--events``
phoneCallChanged events round-robin over the lines, as fast as JetStream takes
them or at ``--rate`` events/s. Reports delivered events/s and the latency from ``occurred_at`` (set
at publish) to the receiver. Everything shares the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

from oii_shared.bus.connect import close, connect
from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import PhoneCallChanged
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET, ensure_topology
from oii_shared.channels import container_key
from oii_shared.embedded.catalog import StackAddresses, default_catalog
from oii_shared.embedded.nats_server import start_nats_server
from oii_shared.embedded.ports import free_port
from oii_shared.settings import Settings
from oii_shared.subscriptions.model import ContainerRef, Subscription

REPO_ROOT = Path(__file__).resolve().parents[1]
ANSWER = (
    b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
    b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<phoneCallChangedResponse xmlns="urn:IciEventInterface"><response/>'
    b"</phoneCallChangedResponse></soap:Body></soap:Envelope>"
)


@dataclass(frozen=True)
class Result:
    events: int
    sessions: int
    rate: float
    delivered: int
    seconds: float
    events_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float


def percentile(values: list[float], quantile: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] if ordered else 0.0


async def run(events: int, sessions: int, rate: float, work_dir: Path) -> Result:
    latencies: list[float] = []
    all_in = asyncio.Event()

    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        start = body.find(b"<callHandle>")
        if start >= 0:
            sent = float(body[start + 12 : body.find(b"</callHandle>")])
            latencies.append(time.time() - sent)
        if len(latencies) >= events:
            all_in.set()
        return web.Response(body=ANSWER, content_type="text/xml")

    app = web.Application()
    app.router.add_post("/{tail:.*}", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()

    data_dir = work_dir / "data"
    nats = await start_nats_server(data_dir / "nats", log_file=work_dir / "nats.log")
    notifier = None
    try:
        catalog = default_catalog()
        [spec] = [service for service in catalog.internal if service.name == "notifier"]
        notifier_port = free_port()
        addresses = StackAddresses(
            host="127.0.0.1",
            ports={"notifier": notifier_port},
            urls={},
            nats_url=nats.url,
            database_url=Settings(data_dir=data_dir).resolved_database_url,
            data_dir=str(data_dir),
            log_level="WARNING",
        )
        base = {key: value for key, value in os.environ.items() if not key.startswith("OII_")}
        init = await asyncio.create_subprocess_exec(
            sys.executable, "-m", catalog.init.module, cwd=REPO_ROOT,
            env={**base, **catalog.job_environment(catalog.init, addresses)},
        )  # fmt: skip
        assert await init.wait() == 0, "init failed"
        nc = await connect(Settings(nats_url=nats.url), "bench")
        js = nc.jetstream()
        await ensure_topology(js)
        kv = await js.key_value(SUBSCRIPTIONS_BUCKET)
        lines = [f"+4970{n:04d}" for n in range(sessions)]
        for number, line in enumerate(lines):
            ref = ContainerRef(channel_type="1", container=container_key(line))
            session = Subscription(
                app_url=f"http://127.0.0.1:{port}/ici", app_id=f"s{number}", containers=(ref,)
            )
            await kv.put(session.key, session.model_dump_json().encode())
        with (work_dir / "notifier.log").open("ab") as log:
            notifier = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "oii_notifier", cwd=REPO_ROOT,
                env={**base, **catalog.service_environment(spec, addresses)},
                stdout=log, stderr=log,
            )  # fmt: skip
        await wait_healthy(f"http://127.0.0.1:{notifier_port}/healthz")
        started = time.perf_counter()
        pending: set[asyncio.Future[object]] = set()
        for number in range(events):
            if rate:
                await asyncio.sleep(max(0.0, started + number / rate - time.perf_counter()))
            line = lines[number % sessions]
            # The time of the change rides in the call handle, where the receiver finds it.
            now = time.time()
            call = {"lineNumber": line, "callHandle": repr(now)}
            event = PhoneCallChanged(container_id=line, phone_call=call, occurred_at=now)
            pending.add(asyncio.ensure_future(publish(js, event)))
            if len(pending) >= 256:
                _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        await asyncio.gather(*pending)
        try:
            await asyncio.wait_for(all_in.wait(), 120)
        except TimeoutError:
            print(f"only {len(latencies)} of {events} delivered", file=sys.stderr)
        seconds = time.perf_counter() - started
        await close(nc)
    finally:
        if notifier is not None and notifier.returncode is None:
            notifier.terminate()
            await notifier.wait()
        await nats.stop()
        await runner.cleanup()
    return Result(
        events=events,
        sessions=sessions,
        rate=rate,
        delivered=len(latencies),
        seconds=round(seconds, 2),
        events_per_s=round(len(latencies) / seconds),
        p50_ms=round(percentile(latencies, 0.5) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        max_ms=round(max(latencies, default=0.0) * 1000, 1),
    )


async def wait_healthy(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(url) as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} not healthy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--rate", type=float, default=0.0, help="events/s; 0: flat out")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oii-notifier-bench-") as work:
        result = asyncio.run(run(options.events, options.sessions, options.rate, Path(work)))
    print(json.dumps(asdict(result), indent=2))
    if options.json:
        options.json.write_text(json.dumps(asdict(result), indent=2) + "\n")


if __name__ == "__main__":
    main()
