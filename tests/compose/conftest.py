"""The full stack of docker-compose.yml on a real Docker engine, for ``make compose-test``.

tools/compose-test prepares the machine (Docker, the base image) and runs these tests;
``make test`` leaves this directory out (the root conftest.py). The session's stack is
built and started once, with the commands the README gives plus the test's override
file (stand-ins for the nats and postgres images), telephony in two replicas, and
taken down with its volumes at the end.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# This directory's helpers, and the stack tests' (SOAP as CRM speaks it, the CRM event
# endpoint stand-in): --import-mode=importlib puts nothing on sys.path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stack"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from composelib import (
    DOWN_TIMEOUT_S,
    LOG_DIR,
    REPO_ROOT,
    TELEPHONY_REPLICAS,
    UP_TIMEOUT_S,
    Compose,
    phase,
)
from stacklib import free_port, health_status, wait_for


def compose_command() -> list[str]:
    command = os.environ.get("OII_COMPOSE_COMMAND", "")
    if not command:
        pytest.fail("run through tools/compose-test (make compose-test): OII_COMPOSE_COMMAND")
    return command.split()


def environment(gateway_port: int) -> dict[str, str]:
    """The environment compose runs in: the three secrets, made anew, and the gateway's
    published port on the loopback address only."""
    env = dict(os.environ)
    for name in ("OII_DB_PASSWORD", "OII_NATS_PASSWORD", "OII_INTERNAL_TOKEN"):
        env[name] = secrets.token_urlsafe(32)
    env["OII_GATEWAY_PORT"] = f"127.0.0.1:{gateway_port}"
    return env


@pytest.fixture(scope="session")
def compose() -> Iterator[Compose]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = LOG_DIR / "compose.log"
    log.write_text("")
    port = free_port()
    stack = Compose(compose_command(), environment(port), port, log)
    config_dir = REPO_ROOT / "config"  # docker-compose.yml mounts ./config
    config_existed = config_dir.exists()
    try:
        started = time.monotonic()
        stack.run("up", "--build", "-d", "--scale", f"telephony={TELEPHONY_REPLICAS}",
                  timeout=UP_TIMEOUT_S)  # fmt: skip
        phase("images built and containers created (up --build -d)", started)
        healthy_since = time.monotonic()
        stack.wait_healthy()
        phase("every container healthy", healthy_since)
        stack.run("ps", timeout=60)  # into the log, as the README shows it
        wait_for(lambda: health_status(stack.base_url) == 200, 30, "the gateway's /healthz 200")
        yield stack
    finally:
        (LOG_DIR / "containers.log").write_text(stack.logs(lines=400))
        stopped = time.monotonic()
        stack.run("down", "-v", timeout=DOWN_TIMEOUT_S)
        phase("taken down (down -v)", stopped)
        if not config_existed and config_dir.is_dir() and not any(config_dir.iterdir()):
            config_dir.rmdir()  # the bind mount made it
        print("compose-test: the commands it ran:", *stack.commands_run, sep="\n  ")
