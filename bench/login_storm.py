"""10,000 agents log in and subscribe: how long it takes, and the memory of every service.

    .venv/bin/python -m bench login [--agents 10000] [--concurrency 100] [--json FILE]

Starts the embedded stack with a generated contact center of ``--agents`` agents,
then every agent runs the IC WebClient's login sequence (getAttributes,
workmode, channels, queues, addresses, user and line subscriptions, ready) with
``--concurrency`` logins in flight. Reports the time, the latency of each step,
errors, and the resident memory of every process once all are logged in.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from contextlib import AsyncExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

import aiohttp
import uvloop

from bench import procstats, report
from bench.agents import AgentSession, CallBook, Handling
from bench.busy_hour import log_in_all
from bench.contact_center import ContactCenter
from bench.crm_endpoints import CrmEndpoints
from bench.ici_client import IciClient
from bench.measures import Measures
from bench.stack import running_stack

TARGET_S = 60.0
TARGET_STACK_MB = 1024.0
QUEUES = 5
# Nothing is called in this mode: the handling of calls never runs.
IDLE = Handling(talk_s=0.0, wrap_up_s=0.0, heartbeat_s=0.0)


async def run(agents: int, concurrency: int, crm_servers: int) -> dict[str, Any]:
    center = ContactCenter.of(agents, QUEUES)
    measures = Measures()
    with tempfile.TemporaryDirectory(prefix="oii-bench-") as tmp:
        config = center.write(Path(tmp) / "contact-center.yaml")
        with running_stack(Path(tmp), {"OII_CONFIG": str(config)}) as info:
            processes = procstats.stack_processes(info.pids, info.pid)
            idle = procstats.snapshot(processes)
            async with AsyncExitStack() as stack:
                endpoints = CrmEndpoints(crm_servers)
                await endpoints.start(stack)
                http = await stack.enter_async_context(
                    aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency))
                )
                ici = IciClient(http, info.gateway_url, measures)
                book = CallBook()
                sessions = [
                    AgentSession(spec, ici, endpoints.url_for(n), str(uuid.uuid4()), IDLE, book)
                    for n, spec in enumerate(center.agents)
                ]
                started = time.perf_counter()
                failed = await log_in_all(sessions, concurrency)
                seconds = time.perf_counter() - started
                after = procstats.snapshot(processes)
    services = procstats.costs(idle, after, seconds)
    stack_mb = sum(row.rss_mb for row in services if row.name != "bench")
    return {
        "parameters": {
            "agents": agents,
            "concurrency": concurrency,
            "crm_servers": crm_servers,
            "cores": os.cpu_count(),
        },
        "seconds": round(seconds, 2),
        "logins_per_s": round(agents / seconds, 1),
        "failed": failed,
        "target_s": TARGET_S,
        "stack_rss_mb": round(stack_mb, 1),
        "target_stack_mb": TARGET_STACK_MB,
        "operations": {name: asdict(spread) for name, spread in measures.spreads().items()},
        "errors": dict(measures.errors),
        "services": [asdict(row) for row in services],
    }


def print_login(figures: dict[str, Any]) -> None:
    params = figures["parameters"]
    print("Login storm: " + ", ".join(f"{key}={value}" for key, value in params.items()))
    print(
        f"\n{params['agents']} agents logged in and subscribed in {figures['seconds']:.1f} s"
        f" ({figures['logins_per_s']:.0f}/s, target < {figures['target_s']:.0f} s),"
        f" {figures['failed']} failed"
    )
    report.spread_table(figures["operations"])
    errors = figures["errors"]
    print(f"\nErrors: {sum(errors.values()) if errors else 'none'}")
    for kind, count in sorted(errors.items(), key=lambda item: -item[1]):
        print(f"  {count:>7}  {kind}")
    print(
        f"\nMemory afterwards: stack {figures['stack_rss_mb']:.0f} MB resident"
        f" (target < {figures['target_stack_mb']:.0f} MB); CPU during the logins:"
    )
    report.services_table(figures["services"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench login", description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--crm-servers", type=int, default=4)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = uvloop.run(run(args.agents, args.concurrency, args.crm_servers))
    print_login(figures)
    if args.json:
        report.write_json(args.json, figures)
