"""CPU time and resident memory of the stack's processes, read from /proc.

A service counts with every process below it (uvicorn workers), so figures stay
true whatever process count a service runs with.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS_PER_S = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Usage:
    cpu_s: float  # user + system, since the process started
    rss_mb: float  # resident now
    peak_rss_mb: float  # the high-water mark of each process, summed


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in (PROC / str(pid) / "task").glob("*/children"):
        try:
            found.extend(int(child) for child in task.read_text().split())
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(_children(current))
    return tree


def _one(pid: int) -> Usage:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return Usage(0.0, 0.0, 0.0)
    # Fields after the command name, which may itself hold spaces and parentheses.
    fields = stat[stat.rindex(")") + 2 :].split()
    cpu_s = (int(fields[11]) + int(fields[12])) / TICKS_PER_S
    memory = {
        line.split(":")[0]: int(line.split()[1])
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }
    return Usage(cpu_s, memory.get("VmRSS", 0) / 1024, memory.get("VmHWM", 0) / 1024)


def usage(pid: int) -> Usage:
    parts = [_one(each) for each in process_tree(pid)]
    return Usage(
        cpu_s=sum(part.cpu_s for part in parts),
        rss_mb=sum(part.rss_mb for part in parts),
        peak_rss_mb=sum(part.peak_rss_mb for part in parts),
    )


@dataclass(frozen=True)
class Watched:
    pid: int
    # A service counts with its workers; the supervisor and the benchmark itself
    # are parents of other processes that are counted on their own.
    with_children: bool = True


def snapshot(processes: Mapping[str, Watched]) -> dict[str, Usage]:
    return {
        name: usage(each.pid) if each.with_children else _one(each.pid)
        for name, each in processes.items()
    }


def stack_processes(pids: Mapping[str, int], supervisor: int) -> dict[str, Watched]:
    """The stack's processes by name, its supervisor, and this benchmark as ``bench``."""
    return {
        **{name: Watched(pid) for name, pid in pids.items()},
        "supervisor": Watched(supervisor, with_children=False),
        "bench": Watched(os.getpid(), with_children=False),
    }


@dataclass(frozen=True)
class ServiceCost:
    name: str
    cpu_s: float
    cpu_percent: float  # of one core, over the measured interval
    rss_mb: float
    peak_rss_mb: float


def costs(
    before: Mapping[str, Usage], after: Mapping[str, Usage], seconds: float
) -> list[ServiceCost]:
    rows = []
    for name, end in after.items():
        start = before.get(name, Usage(0.0, 0.0, 0.0))
        spent = end.cpu_s - start.cpu_s
        rows.append(
            ServiceCost(
                name=name,
                cpu_s=round(spent, 2),
                cpu_percent=round(100 * spent / seconds, 1) if seconds else 0.0,
                rss_mb=round(end.rss_mb, 1),
                peak_rss_mb=round(end.peak_rss_mb, 1),
            )
        )
    return rows
