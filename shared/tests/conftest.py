"""Fixtures: stacks of stand-ins (the nats-server ones are in the root conftest.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from oii_shared.embedded.ports import free_port
from oii_shared.embedded.stackfile import StackInfo, read_stack_file

STAND_INS = Path(__file__).resolve().parent / "stand_ins"
STAND_IN_LAYOUT: dict[str, Any] = {
    "gateway": "stand_in_ok",
    "internal": {"telephony": "stand_in_ok", "chat": "stand_in_stubborn"},
    "init": "stand_in_init",
}
WAIT_S = 30.0


def is_running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"  # a zombie has finished


def processes_naming(path: Path) -> list[int]:
    """Live processes with ``path`` on their command line (nats-server has its store dir)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if proc.name.isdigit() and str(path).encode() in cmdline and is_running(int(proc.name)):
            found.append(int(proc.name))
    return found


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.05)


@dataclass
class StandInStack:
    """The real supervisor in its own process, running stand-ins (stand_ins/) as services."""

    process: subprocess.Popen[bytes]
    data_dir: Path
    work_dir: Path
    gateway_port: int

    def stdout(self) -> str:
        return (self.work_dir / "stdout").read_text()

    def stderr(self) -> str:
        return (self.work_dir / "stderr").read_text()

    def journal(self, event: str) -> list[dict[str, Any]]:
        path = self.work_dir / "journal"
        lines = path.read_text().splitlines() if path.exists() else []
        return [record for record in map(json.loads, lines) if record["event"] == event]

    def wait_until_up(self) -> StackInfo:
        def up() -> bool:
            assert self.process.poll() is None, f"stack exited early:\n{self.stderr()}"
            return read_stack_file(self.data_dir) is not None

        wait_until(up, "stack.json written")
        info = read_stack_file(self.data_dir)
        assert info is not None
        return info

    def wait_exit(self) -> int:
        return self.process.wait(WAIT_S)

    def leftovers(self, info: StackInfo | None = None) -> list[int]:
        """Processes of this stack still alive: those stack.json named, and nats-server."""
        named = [pid for pid in (info.pids.values() if info else ()) if is_running(pid)]
        return sorted({*named, *processes_naming(self.data_dir)})

    def wait_until_gone(self, info: StackInfo) -> None:
        wait_until(lambda: not self.leftovers(info), "every process of the stack gone")


@pytest.fixture
def start_stand_in_stack(tmp_path: Path) -> Iterator[Callable[..., StandInStack]]:
    """Starts stand-in stacks; kills leftovers after the test.

    Keyword arguments replace entries of ``STAND_IN_LAYOUT`` (see run_stand_in_stack.py):
    ``start(init="stand_in_bad_init")``.
    """
    started: list[StandInStack] = []

    def start(gateway_port: int | None = None, **layout_changes: Any) -> StandInStack:
        layout = {**STAND_IN_LAYOUT, **layout_changes}
        work_dir = tmp_path / f"stack{len(started)}"
        work_dir.mkdir()
        port = gateway_port or free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("OII_")}
        env.update(
            PYTHONPATH=str(STAND_INS),
            STAND_IN_LAYOUT=json.dumps(layout),
            STAND_IN_JOURNAL=str(work_dir / "journal"),
            OII_DATA_DIR=str(work_dir / "data"),
            OII_GATEWAY_PORT=str(port),
        )
        with (work_dir / "stdout").open("wb") as out, (work_dir / "stderr").open("wb") as err:
            process = subprocess.Popen(
                [sys.executable, str(STAND_INS / "run_stand_in_stack.py")],
                env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            )  # fmt: skip
        started.append(StandInStack(process, work_dir / "data", work_dir, port))
        return started[-1]

    yield start
    for stack in started:
        stack.process.kill()
        stack.process.wait()
        pids = [record["pid"] for record in stack.journal("started")]
        for pid in [*pids, *processes_naming(stack.data_dir)]:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
