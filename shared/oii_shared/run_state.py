"""The integration's run state (Start/Stop of spec 3.4.1) as stored in KV ``oii_system``.

The gateway writes it on the admin operations Start and Stop; the gateway
replicas and the notifier follow it with a KV watch.
"""

from __future__ import annotations

import enum

RUN_STATE_KEY = "run_state"


class RunMode(enum.StrEnum):
    RUNNING = "running"
    STOPPED = "stopped"


def run_mode_of(value: bytes | None) -> RunMode:
    """The mode stored in ``value``; anything unreadable counts as running."""
    try:
        return RunMode((value or b"").decode())
    except ValueError:
        return RunMode.RUNNING
