"""The embedded stack of a benchmark run: started as ``make run`` starts it, in its own
data directory and on free ports, and stopped at the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from oii_shared.embedded.ports import free_port
from oii_shared.embedded.stackfile import StackInfo, read_stack_file

START_TIMEOUT_S = 120


def start_stack(
    data_dir: Path, environment: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], StackInfo]:
    env = {
        **os.environ,
        "OII_DATA_DIR": str(data_dir),
        "OII_GATEWAY_PORT": str(free_port()),
        "OII_LOG_LEVEL": "WARNING",
        **(environment or {}),
    }
    console = (data_dir / "console.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "oii_shared.embedded"], env=env, stdout=console, stderr=console
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while (info := read_stack_file(data_dir)) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"the stack did not start; see {data_dir / 'console.log'}")
        time.sleep(0.1)
    return process, info


def stop_stack(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def running_stack(
    data_dir: Path, environment: Mapping[str, str] | None = None
) -> Iterator[StackInfo]:
    process, info = start_stack(data_dir, environment)
    try:
        yield info
    finally:
        stop_stack(process)
