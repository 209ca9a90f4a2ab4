"""Action items routed by CRM and handled by agents, against the embedded stack (issue 14).

    make bench BENCH_ARGS=action   # or: .venv/bin/python -m bench action [--agents 200] ...

Starts the embedded stack as ``make run`` does, with a generated contact center of
``--agents`` agents, ``--queues`` e-mail queues and the ACTION queue, and
OII.Action=1 (every user has the action channel). Every agent is an IC WebClient
session with its own CRM event URL (served by real HTTP servers in this process):
it logs in (getAttributes), subscribes its action item inbox (IciContainer,
channelType 4, its user id), becomes ready, and for every item it is alerted of
accepts it, holds it ``--handle-s``, ends it (IciMessage.end) and ends its wrap-up
``--wrap-up-s`` later. CRM routes items (IciActionItem.route) at ``--rate`` items/s
for ``--seconds``, round-robin over the e-mail queues (by TO_ADDRESS) and ACTION
(no TO_ADDRESS); then the items in progress finish and every item is checked:
alerted once, Ended seen, wrap-up ended; what still waits in a queue is read with
getPresenceQueueInfo. CPU and NATS messages per item count from the first route
until the last item's wrap-up ended (every item's whole life).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import uvloop
from lxml import etree

from bench import procstats, report
from bench.agents import READY, CallBook
from bench.contact_center import ACTION_QUEUE, AgentSpec, ContactCenter
from bench.fleet import fleet_of
from bench.ici_client import IciClient
from bench.measures import Measures, Spread, percentile
from bench.nats_traffic import per_unit, read_traffic
from bench.open_loop import at_rate
from oii_shared.crm_stand_in import CrmEvent

ACTION_CHANNEL = 4
# actionStatus ids (10.16.3)
ALERTING, ENDED, ACCEPTED = "3", "4", "401"
# getPresenceQueueInfo's channelType of the e-mail queues and of ACTION
QUEUE_CHANNELS = ("2", "4")
ROUTE = "IciActionItem.route"
ROUTE_ID = ".//{*}actionItemID"
DRAIN_EXTRA_S = 20.0
# Requests in flight at most: logins, routes and the agents' requests together.
CONNECTIONS = 512
# The targets of issue 14.
TARGET_ROUTE_P99_MS = 50.0
TARGET_ALERT_P99_MS = 100.0


@dataclass(frozen=True)
class Parameters:
    agents: int = 200
    rate: float = 100.0
    seconds: float = 60.0
    queues: int = 4
    handle_s: float = 1.0
    wrap_up_s: float = 0.5
    login_concurrency: int = 50
    crm_servers: int = 4


@dataclass
class ActionBook(CallBook):
    """Every item of the run by id (``created`` is the route's start), and what its
    agents saw: Alerting events per item, the items seen Ended, the last status seen."""

    alerts: Counter[str] = field(default_factory=Counter)
    ended: set[str] = field(default_factory=set)
    last_status: dict[str, str] = field(default_factory=dict)


class ActionAgent:
    """An agent's WebClient for action items: login, its inbox, and every item it is
    alerted of handled to the end."""

    def __init__(
        self,
        spec: AgentSpec,
        ici: IciClient,
        event_url: str,
        app_id: str,
        params: Parameters,
        book: ActionBook,
    ) -> None:
        self.spec = spec
        self._ici = ici
        self._event_url = event_url
        self._app_id = app_id
        self._params = params
        self._book = book
        self._answered: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopped = False

    async def log_in(self) -> bool:
        ici, user = self._ici, self.spec.user_id
        return (
            await ici.call("IciUser", "getAttributes", userId=user) is not None
            and await ici.call(
                "IciContainer", "subscribe", appUrl=self._event_url, appId=self._app_id,
                channelType=ACTION_CHANNEL, containerId=user,
            ) is not None
            and await ici.call("IciUser", "setCurrentWorkmode", userId=user, workmode=READY)
            is not None
        )  # fmt: skip

    def on_event(self, event: CrmEvent) -> None:
        if self._stopped or event.operation != "actionItemChanged":
            return
        item_id = event.text("actionItemId") or ""
        status = event.text("actionSession/actionStatus/id") or "?"
        book = self._book
        book.last_status[item_id] = status
        if status == ENDED:
            book.ended.add(item_id)
        elif status == ALERTING:
            book.alerts[item_id] += 1
            times = book.times(item_id)
            if times.alerted is None:
                times.alerted = event.received_perf
            if item_id not in self._answered:
                self._answered.add(item_id)
                task = asyncio.create_task(self._handle(item_id))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        """Items still in hand when the run ends are left as they are, new ones ignored."""
        self._stopped = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _handle(self, item_id: str) -> None:
        ici, user = self._ici, self.spec.user_id
        if await ici.call("IciItem", "accept", itemId=item_id, containerId=user) is None:
            return
        self._book.times(item_id).connected = time.perf_counter()
        await asyncio.sleep(self._params.handle_s)
        if await ici.call("IciMessage", "end", messageId=item_id) is None:
            return
        await asyncio.sleep(self._params.wrap_up_s)
        if await ici.call("IciItem", "wrapUpEnded", itemId=item_id) is None:
            return
        self._book.finished(item_id, time.perf_counter())


def item_data(number: int, to_address: str) -> str:
    """``itemData`` as CRM's ERMS sends it (9.12.1.4), TO_ADDRESS choosing the queue."""
    attributes = [("FROM_ADDRESS", f"customer{number}@example.com"),
                  ("SUBJECT", f"Bench item {number}")]  # fmt: skip
    if to_address:
        attributes.append(("TO_ADDRESS", to_address))
    items = "".join(
        f"<item><id>{name}</id><description>{value}</description></item>"
        for name, value in attributes
    )
    return (
        f"<systemId>BENCH</systemId><client>100</client><requestId>R{number:07d}</requestId>"
        f"<processId>BENCH{number:027d}</processId>"
        f"<actionItemAttributes>{items}</actionItemAttributes>"
    )


async def route_items(
    ici: IciClient, center: ContactCenter, params: Parameters, book: ActionBook
) -> Counter[str]:
    """CRM routes items at ``rate`` for ``seconds``, round-robin over the e-mail queues and
    ACTION; the items routed by queue."""
    targets = (*center.queues, ACTION_QUEUE)
    routed: Counter[str] = Counter()

    async def route(number: int) -> None:
        target = targets[number % len(targets)]
        to_address = "" if target == ACTION_QUEUE else target.lower()
        started = time.perf_counter()
        body = await ici.call("IciActionItem", "route", itemData=item_data(number, to_address))
        if body is None:
            return
        item_id = etree.fromstring(body).findtext(ROUTE_ID)
        if not item_id:
            ici.measures.error(f"{ROUTE}: answer without actionItemID")
            return
        book.created(item_id, started)
        routed[target] += 1

    await at_rate(params.rate, params.seconds, route)
    return routed


async def waiting_in_queues(ici: IciClient, center: ContactCenter) -> dict[str, int]:
    """Items still waiting after the run, by queue (getPresenceQueueInfo of agents that
    together serve every queue)."""
    waiting: dict[str, int] = {}
    for agent in center.agents[: len(center.queues)]:
        for channel in QUEUE_CHANNELS:
            body = await ici.call(
                "IciSystem", "getPresenceQueueInfo", label="final getPresenceQueueInfo",
                userId=agent.user_id, channelType=channel,
            )  # fmt: skip
            if body is None:
                continue
            for queue in etree.fromstring(body).iterfind(".//queueInfo/item"):
                count = int(queue.findtext("pending") or 0)
                if count:
                    waiting[queue.findtext("id") or "?"] = count
    return waiting


def spread95(samples_s: list[float]) -> dict[str, float]:
    """:class:`Spread` with p95 besides."""
    ordered = sorted(samples_s)
    return {
        **asdict(Spread.of(ordered)),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 2),
    }


def item_figures(book: ActionBook, routed: Counter[str]) -> dict[str, Any]:
    items = book.calls
    alerted = [t for t in items.values() if t.alerted is not None]
    waits = [t.alerted - t.created for t in alerted if t.alerted and t.created is not None]
    unfinished = [item_id for item_id, t in items.items() if t.finished is None]
    return {
        "routed": sum(routed.values()),
        "routed_by_queue": dict(routed),
        "alerted": len(alerted),
        "never_alerted": len(items) - len(alerted),
        "alerted_more_than_once": sum(1 for count in book.alerts.values() if count > 1),
        "accepted": sum(1 for t in items.values() if t.connected is not None),
        "ended_seen": len(book.ended & items.keys()),
        "finished": len(items) - len(unfinished),
        "left_by_last_status": dict(
            Counter(book.last_status.get(item_id, "none") for item_id in unfinished)
        ),
        "route_to_alert": spread95(waits),
    }


def per_item_costs(
    before: Mapping[str, procstats.Usage],
    after: Mapping[str, procstats.Usage],
    seconds: float,
    items: int,
) -> list[dict[str, Any]]:
    return [
        {**asdict(cost), "cpu_ms_per_item": round(1000 * cost.cpu_s / max(items, 1), 2)}
        for cost in procstats.costs(before, after, seconds)
    ]


async def run(params: Parameters) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    center = ContactCenter.for_actions(params.agents, params.queues)
    book = ActionBook()
    login_measures, measures = Measures(), Measures()

    def agent(spec: AgentSpec, ici: IciClient, event_url: str, app_id: str) -> ActionAgent:
        return ActionAgent(spec, ici, event_url, app_id, params, book)

    async with fleet_of(
        center,
        sessions=agent,
        measures=login_measures,
        crm_servers=params.crm_servers,
        connections=CONNECTIONS,
    ) as fleet:
        info, http, ici, endpoints = fleet.info, fleet.http, fleet.ici, fleet.endpoints
        failed_logins, login_s = await fleet.log_in(params.login_concurrency)

        endpoints.reset()
        ici.measures = measures
        processes = procstats.stack_processes(info.pids, info.pid)
        before = procstats.snapshot(processes)
        traffic_before = await read_traffic(http, info.nats_monitoring_url)
        began = time.perf_counter()
        routed = await route_items(ici, center, params, book)
        window_s = time.perf_counter() - began
        in_window = procstats.snapshot(processes)
        routes_in_window = len(measures.latencies.get(ROUTE, []))

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                book.idle.wait(), params.handle_s + params.wrap_up_s + DRAIN_EXTRA_S
            )
        drained_s = time.perf_counter() - began
        drained = procstats.snapshot(processes)
        traffic_after = await read_traffic(http, info.nats_monitoring_url)
        endpoints.recording = False
        await asyncio.gather(*(session.stop() for session in fleet.sessions))
        waiting = await waiting_in_queues(IciClient(http, info.gateway_url, Measures()), center)

    items = item_figures(book, routed)
    route = spread95(measures.latencies.get(ROUTE, []))
    return {
        "parameters": {**asdict(params), "cores": os.cpu_count()},
        # Other work on the machine shows here: the 1-minute load average before the stack.
        "load_average_before": round(load_before, 2),
        "login": {
            "agents": params.agents,
            "seconds": round(login_s, 2),
            "failed": failed_logins,
            "operations": {k: asdict(v) for k, v in login_measures.spreads().items()},
        },
        "window_s": round(window_s, 2),
        "drained_s": round(drained_s, 2),
        "routes_per_s": round(routes_in_window / window_s, 1),
        "route": route,
        "operations": {name: asdict(spread) for name, spread in measures.spreads().items()},
        "events": {
            "by_operation": dict(endpoints.received),
            "latency": asdict(Spread.of(endpoints.latencies_s)),
            "untimed": endpoints.untimed,
        },
        "items": {**items, "waiting_in_queues": waiting},
        "targets": {
            f"route p99 < {TARGET_ROUTE_P99_MS:g} ms": route["p99_ms"] < TARGET_ROUTE_P99_MS,
            f"route -> Alerting p99 < {TARGET_ALERT_P99_MS:g} ms": (
                items["route_to_alert"]["p99_ms"] < TARGET_ALERT_P99_MS
            ),
        },
        "nats_messages_per_item": per_unit(traffic_before, traffic_after, items["routed"]),
        "errors": dict(login_measures.errors + measures.errors),
        "services": per_item_costs(before, drained, drained_s, items["routed"]),
        "services_in_window": [asdict(c) for c in procstats.costs(before, in_window, window_s)],
    }


def print_action(figures: Mapping[str, Any]) -> None:
    params, login, items = figures["parameters"], figures["login"], figures["items"]
    print("Action items: " + ", ".join(f"{key}={value}" for key, value in params.items()))
    print(f"Load average before the run: {figures['load_average_before']}")
    print(
        f"\nLogin of {login['agents']} agents (getAttributes + inbox subscription + ready):"
        f" {login['seconds']:.1f} s, {login['failed']} failed"
    )
    print(f"\nRoutes answered: {figures['routes_per_s']:.1f}/s over {figures['window_s']} s")
    report.spread_table(figures["operations"])
    route, alert = figures["route"], items["route_to_alert"]
    print(f"\n  {'':<24} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, row in (("route answered", route), ("route -> agent Alerting", alert)):
        print(
            f"  {name:<24} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f}"
            f" {row['p99_ms']:>8.2f} {row['max_ms']:>8.2f}"
        )
    for target, met in figures["targets"].items():
        print(f"  target {target}: {'met' if met else 'MISSED'}")
    events = figures["events"]
    print(f"\nEvents delivered: {events['by_operation']}  (untimed: {events['untimed']})")
    report.spread_table({"change -> CRM endpoint": events["latency"]}, title="event latency")
    print(
        f"\nItems: {items['routed']} routed {items['routed_by_queue']}, {items['alerted']}"
        f" alerted ({items['alerted_more_than_once']} more than once,"
        f" {items['never_alerted']} never), {items['accepted']} accepted,"
        f" {items['ended_seen']} seen Ended, {items['finished']} wrap-up ended"
        f" (all within {figures['drained_s']} s of the first route);"
        f" left by last status seen: {items['left_by_last_status'] or 'none'};"
        f" still waiting in queues: {items['waiting_in_queues'] or 'none'}"
    )
    errors = figures["errors"]
    print(f"\nErrors: {sum(errors.values()) if errors else 'none'}")
    for kind, count in sorted(errors.items(), key=lambda item: -item[1]):
        print(f"  {count:>7}  {kind}")
    print("\nNATS messages per item routed (first route until the last wrap-up ended):")
    report.traffic_table(figures["nats_messages_per_item"])
    print("\nProcesses while routing (bench = this load generator):")
    report.services_table(figures["services_in_window"])
    print("\nCPU per item routed (first route until the last wrap-up ended):")
    rows = figures["services"]
    for row in rows:
        print(f"  {row['name']:<10} {row['cpu_ms_per_item']:>7.2f} ms")
    stack = sum(row["cpu_ms_per_item"] for row in rows if row["name"] != "bench")
    print(f"  {'stack':<10} {stack:>7.2f} ms")


def main(argv: list[str] | None = None) -> None:
    defaults = Parameters()
    parser = argparse.ArgumentParser(prog="bench action", description=__doc__.splitlines()[0])
    for name, value in asdict(defaults).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = vars(parser.parse_args(argv))
    json_path = args.pop("json")
    figures = uvloop.run(run(Parameters(**args)))
    print_action(figures)
    if json_path:
        report.write_json(json_path, figures)
