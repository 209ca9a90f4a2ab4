"""``<data_dir>/stack.json``: where a running embedded stack can be reached.

The supervisor writes it once every service is healthy and removes it when it
stops, so its presence means "up". Tools and tests read it with
:func:`read_stack_file`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

STACK_FILE_NAME = "stack.json"


@dataclass(frozen=True)
class StackInfo:
    pid: int  # of the supervisor
    gateway_url: str
    crm_url: str
    status_url: str
    nats_url: str
    nats_monitoring_url: str | None
    services: dict[str, str]  # name -> base URL
    pids: dict[str, int]  # name -> pid, nats included


def stack_file(data_dir: Path) -> Path:
    return data_dir / STACK_FILE_NAME


def write_stack_file(data_dir: Path, info: StackInfo) -> None:
    path = stack_file(data_dir)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(asdict(info), indent=2) + "\n")
    # Readers never see a half-written file.
    partial.replace(path)


def read_stack_file(data_dir: Path) -> StackInfo | None:
    try:
        return StackInfo(**json.loads(stack_file(data_dir).read_text()))
    except FileNotFoundError:
        return None


def remove_stack_file(data_dir: Path, owner_pid: int) -> None:
    """Remove the file if ``owner_pid`` wrote it."""
    info = read_stack_file(data_dir)
    if info is not None and info.pid == owner_pid:
        stack_file(data_dir).unlink(missing_ok=True)


def running_stack_pid(data_dir: Path) -> int | None:
    """The pid of another live supervisor that uses ``data_dir``, if any."""
    try:
        info = read_stack_file(data_dir)
    except (ValueError, TypeError):
        return None  # unreadable leftovers of a crashed stack
    if info is None or info.pid == os.getpid() or not pid_is_alive(info.pid):
        return None
    return info.pid


def pid_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
