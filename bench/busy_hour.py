"""A contact center's busy hour against the embedded stack, over the real HTTP and NATS paths.

    make bench        # or: .venv/bin/python -m bench busy-hour [--agents 1000] [--rate 100] ...

Starts the embedded stack as ``make run`` does, with a generated contact center of
``--agents`` agents and ``--queues`` queues. Every agent is an IC WebClient
session with its own CRM event URL (served by real HTTP servers in this
process): it logs in, subscribes its user and line, becomes ready, answers the
calls it is alerted of and pings every ``--heartbeat`` seconds. Customers call
the queues through the simulator at ``--rate`` calls/s for ``--seconds``; then the
calls in progress finish and every line is checked for calls left behind.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiohttp
import uvloop
from lxml import etree

from bench import procstats, report
from bench.agents import CallBook, Handling
from bench.contact_center import ContactCenter
from bench.fleet import agent_fleet
from bench.ici_client import IciClient
from bench.measures import Measures, Spread
from bench.nats_traffic import per_unit, read_traffic
from bench.open_loop import at_rate

SIM_PREFIX = "sim "
DRAIN_EXTRA_S = 20.0
# Requests in flight at most: logins, heartbeats and the calls' requests together.
CONNECTIONS = 512


@dataclass(frozen=True)
class Parameters:
    agents: int = 1000
    rate: float = 100.0
    seconds: float = 60.0
    queues: int = 5
    talk_s: float = 2.0
    wrap_up_s: float = 1.0
    heartbeat_s: float = 5.0
    max_wait_s: float = 1.0
    login_concurrency: int = 50
    crm_servers: int = 4


async def generate_calls(
    http: aiohttp.ClientSession,
    gateway_url: str,
    center: ContactCenter,
    params: Parameters,
    book: CallBook,
    measures: Measures,
) -> int:
    """Customers call the queues round-robin at ``rate`` for ``seconds``; calls placed."""
    url = f"{gateway_url}/api/v1/sim/calls"

    async def place(number: int) -> None:
        queue = center.queues[number % len(center.queues)]
        started = time.perf_counter()
        try:
            async with http.post(url, json={"from": f"030{number:07d}", "to": queue}) as answer:
                body = await answer.json() if answer.status == 201 else None
        except (aiohttp.ClientError, OSError) as error:
            measures.error(f"{SIM_PREFIX}new call: {type(error).__name__}")
            return
        measures.latency(f"{SIM_PREFIX}new call", time.perf_counter() - started)
        if body is None:
            measures.error(f"{SIM_PREFIX}new call: HTTP {answer.status}")
            return
        book.created(body["callHandle"], started)

    return await at_rate(params.rate, params.seconds, place)


async def drain(book: CallBook, within_s: float) -> None:
    """Until every call is finished, or ``within_s`` has passed."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(book.idle.wait(), within_s)


async def calls_left(ici: IciClient, center: ContactCenter) -> dict[str, int]:
    """Calls still on the agents' lines after the run, by call status."""
    gate = asyncio.Semaphore(32)
    left: dict[str, int] = {}

    async def line(number: str) -> None:
        async with gate:
            body = await ici.call("IciPhoneLine", "getCalls", label="final getCalls",
                                  lineNumber=number)  # fmt: skip
        if body is None:
            return
        for status in etree.fromstring(body).iterfind(".//callStatus/id"):
            left[status.text or "?"] = left.get(status.text or "?", 0) + 1

    await asyncio.gather(*(line(agent.line) for agent in center.agents))
    return left


def call_figures(book: CallBook, params: Parameters) -> dict[str, Any]:
    waits = [
        times.alerted - times.created
        for times in book.calls.values()
        if times.alerted is not None and times.created is not None
    ]
    never_alerted = sum(1 for times in book.calls.values() if times.alerted is None)
    return {
        "placed": len(book.calls),
        "finished": len(book.calls) - book.unfinished,
        "never_alerted": never_alerted,
        "waited_too_long": sum(1 for wait in waits if wait > params.max_wait_s) + never_alerted,
        "wait_to_alert": asdict(Spread.of(waits)),
    }


async def run(params: Parameters) -> dict[str, Any]:
    center = ContactCenter.of(params.agents, params.queues)
    handling = Handling(params.talk_s, params.wrap_up_s, params.heartbeat_s)
    book = CallBook()
    login_measures, measures = Measures(), Measures()
    async with agent_fleet(
        center,
        handling=handling,
        book=book,
        measures=login_measures,
        crm_servers=params.crm_servers,
        connections=CONNECTIONS,
    ) as fleet:
        info, http, ici, endpoints = fleet.info, fleet.http, fleet.ici, fleet.endpoints
        failed_logins, login_s = await fleet.log_in(params.login_concurrency)

        endpoints.reset()
        ici.measures = measures
        stop = asyncio.Event()
        heartbeats = [asyncio.create_task(s.heartbeat(stop)) for s in fleet.sessions]
        processes = procstats.stack_processes(info.pids, info.pid)
        before = procstats.snapshot(processes)
        traffic_before = await read_traffic(http, info.nats_monitoring_url)
        began = time.perf_counter()
        await generate_calls(http, info.gateway_url, center, params, book, measures)
        window_s = time.perf_counter() - began
        after = procstats.snapshot(processes)
        traffic_after = await read_traffic(http, info.nats_monitoring_url)
        ici_in_window = sum(
            len(samples)
            for name, samples in measures.latencies.items()
            if not name.startswith(SIM_PREFIX)
        )
        events_in_window = sum(endpoints.received.values())

        await drain(book, params.talk_s + params.wrap_up_s + DRAIN_EXTRA_S)
        stop.set()
        await asyncio.gather(*heartbeats)
        endpoints.recording = False
        left = await calls_left(IciClient(http, info.gateway_url, Measures()), center)

    return {
        "parameters": {**asdict(params), "cores": os.cpu_count()},
        "login": {
            "agents": params.agents,
            "seconds": round(login_s, 2),
            "failed": failed_logins,
            "operations": {k: asdict(v) for k, v in login_measures.spreads().items()},
        },
        "window_s": round(window_s, 2),
        "ici_requests_per_s": round(ici_in_window / window_s, 1),
        "operations": {name: asdict(spread) for name, spread in measures.spreads().items()},
        "ici_all": asdict(
            measures.total([n for n in measures.latencies if not n.startswith(SIM_PREFIX)])
        ),
        "events": {
            "by_operation": dict(endpoints.received),
            "per_s": round(events_in_window / window_s, 1),
            "latency": asdict(Spread.of(endpoints.latencies_s)),
            "untimed": endpoints.untimed,
        },
        "calls": {**call_figures(book, params), "left_on_lines_by_status": left},
        "nats_messages_per_call": per_unit(traffic_before, traffic_after, len(book.calls)),
        "errors": dict(login_measures.errors + measures.errors),
        "services": [asdict(c) for c in procstats.costs(before, after, window_s)],
    }


def main(argv: list[str] | None = None) -> None:
    defaults = Parameters()
    parser = argparse.ArgumentParser(prog="bench busy-hour", description=__doc__.splitlines()[0])
    for name, value in asdict(defaults).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = vars(parser.parse_args(argv))
    json_path = args.pop("json")
    figures = uvloop.run(run(Parameters(**args)))
    report.print_busy_hour(figures)
    if json_path:
        report.write_json(json_path, figures)
