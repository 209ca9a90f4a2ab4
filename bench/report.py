"""How the benchmark modes print their figures, and the JSON they write."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def write_json(path: Path, figures: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(figures, indent=2) + "\n")


def spread_table(rows: Mapping[str, Mapping[str, Any]], title: str = "operation") -> None:
    width = max([len(title), *(len(name) for name in rows)])
    print(f"  {title:<{width}} {'count':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, spread in rows.items():
        print(
            f"  {name:<{width}} {spread['count']:>8} {spread['p50_ms']:>8.2f}"
            f" {spread['p99_ms']:>8.2f} {spread['max_ms']:>8.2f}"
        )


def services_table(rows: list[Mapping[str, Any]]) -> None:
    print(f"  {'process':<10} {'CPU s':>8} {'CPU %':>7} {'RSS MB':>8} {'peak MB':>8}")
    for row in rows:
        print(
            f"  {row['name']:<10} {row['cpu_s']:>8.1f} {row['cpu_percent']:>7.1f}"
            f" {row['rss_mb']:>8.1f} {row['peak_rss_mb']:>8.1f}"
        )
    stack = [row for row in rows if row["name"] != "bench"]
    print(f"  {'stack':<10} {sum(r['cpu_s'] for r in stack):>8.1f} "
          f"{sum(r['cpu_percent'] for r in stack):>7.1f} "
          f"{sum(r['rss_mb'] for r in stack):>8.1f} "
          f"{sum(r['peak_rss_mb'] for r in stack):>8.1f}")  # fmt: skip


def print_busy_hour(figures: Mapping[str, Any]) -> None:
    params = figures["parameters"]
    login = figures["login"]
    calls = figures["calls"]
    events = figures["events"]
    print("Busy hour: " + ", ".join(f"{key}={value}" for key, value in params.items()))
    print(
        f"\nLogin of {login['agents']} agents (WebClient sequence + 2 subscriptions + ready):"
        f" {login['seconds']:.1f} s, {login['failed']} failed"
    )
    print(f"\nICI requests: {figures['ici_requests_per_s']:.0f}/s over {figures['window_s']} s")
    spread_table({**figures["operations"], "all ICI requests": figures["ici_all"]})
    print(
        f"\nEvents delivered: {events['per_s']:.0f}/s  {events['by_operation']}"
        f"  (untimed: {events['untimed']})"
    )
    spread_table({"change -> CRM endpoint": events["latency"]}, title="event latency")
    print(
        f"\nCalls: {calls['placed']} placed, {calls['finished']} finished,"
        f" {calls['never_alerted']} never alerted,"
        f" {calls['waited_too_long']} waited longer than {params['max_wait_s']} s;"
        f" left on lines by call status: {calls['left_on_lines_by_status'] or 'none'}"
    )
    spread_table({"placed -> agent alerted": calls["wait_to_alert"]}, title="call wait")
    errors = figures["errors"]
    print(f"\nErrors: {sum(errors.values()) if errors else 'none'}")
    for kind, count in sorted(errors.items(), key=lambda item: -item[1]):
        print(f"  {count:>7}  {kind}")
    print("\nNATS messages per call placed (heartbeats and all, during the call window):")
    traffic_table(figures["nats_messages_per_call"])
    print("\nProcesses during the call window (bench = this load generator):")
    services_table(figures["services"])


def traffic_table(rows: Mapping[str, Mapping[str, float]]) -> None:
    print(f"  {'connection':<12} {'sent':>8} {'received':>9} {'sent KB':>8} {'recv KB':>8}")
    for name, row in rows.items():
        print(
            f"  {name:<12} {row['sent']:>8.1f} {row['received']:>9.1f}"
            f" {row['sent_kb']:>8.1f} {row['received_kb']:>8.1f}"
        )
