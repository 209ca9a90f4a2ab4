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
from dataclasses import asdict
from pathlib import Path
from typing import Any

import uvloop

from bench import procstats, report
from bench.agents import CallBook, Handling
from bench.contact_center import ContactCenter
from bench.fleet import agent_fleet
from bench.measures import Measures

TARGET_S = 60.0
TARGET_STACK_MB = 1024.0
QUEUES = 5
# Nothing is called in this mode: the handling of calls never runs.
IDLE = Handling(talk_s=0.0, wrap_up_s=0.0, heartbeat_s=0.0)


async def run(agents: int, concurrency: int, crm_servers: int) -> dict[str, Any]:
    center = ContactCenter.of(agents, QUEUES)
    measures = Measures()
    async with agent_fleet(
        center,
        handling=IDLE,
        book=CallBook(),
        measures=measures,
        crm_servers=crm_servers,
        connections=concurrency,
    ) as fleet:
        processes = procstats.stack_processes(fleet.info.pids, fleet.info.pid)
        idle = procstats.snapshot(processes)
        failed, seconds = await fleet.log_in(concurrency)
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
