"""The compose project of the compose test, driven through the compose command line
(``docker compose`` or ``docker-compose``, the one tools/compose-test found)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stacklib import wait_for

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILES = ("docker-compose.yml", "tests/compose/stand-ins.yml")
PROJECT = os.environ.get("OII_COMPOSE_PROJECT", "oii-compose-test")
LOG_DIR = REPO_ROOT / os.environ.get("OII_COMPOSE_TEST_LOGS", "var/compose-test")
TELEPHONY_REPLICAS = 2
# Every container of the stack once it is up: service -> replicas (init has exited by then).
RUNNING = {
    "nats": 1,
    "postgres": 1,
    "gateway": 1,
    "telephony": TELEPHONY_REPLICAS,
    "messaging": 1,
    "chat": 1,
    "action": 1,
    "sapphone": 1,
    "notifier": 1,
}
UP_TIMEOUT_S = 900.0  # cold: every image built (about 1 min here), plus the start
HEALTHY_TIMEOUT_S = 120.0
DOWN_TIMEOUT_S = 120.0


def phase(text: str, since: float) -> None:
    """One line of the run's time table on the terminal (pytest runs with -s)."""
    print(f"\ncompose-test: {text} in {time.monotonic() - since:.0f} s", flush=True)


@dataclass(frozen=True)
class Container:
    id: str
    name: str
    service: str
    status: str  # running, exited, restarting...
    health: str | None  # starting, healthy, unhealthy; None without a healthcheck
    exit_code: int
    started_at: str
    user: str


@dataclass
class Compose:
    """The compose project of the test, driven through the compose command line."""

    command: list[str]
    env: dict[str, str]
    gateway_port: int
    log: Path
    commands_run: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def run(self, *args: str, timeout: float) -> None:
        """``<compose> -p PROJECT -f ... args``; its output goes to the log, its tail into
        the failure."""
        files = [part for name in COMPOSE_FILES for part in ("-f", name)]
        argv = [*self.command, "-p", PROJECT, *files, *args]
        self.commands_run.append(shlex.join(argv))
        with self.log.open("a") as log:
            log.write(f"\n$ {shlex.join(argv)}\n")
            log.flush()
            done = subprocess.run(
                argv, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                timeout=timeout, check=False,
            )  # fmt: skip
        if done.returncode != 0:
            raise AssertionError(
                f"{shlex.join(argv)} exited {done.returncode}; its output ends:\n{self.log_tail()}"
            )

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def containers(self) -> list[Container]:
        """Every container of the project, found by the label both compose versions set."""
        ids = docker("ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}")
        if not ids.split():
            return []
        found = []
        for each in json.loads(docker("inspect", *ids.split())):
            state: dict[str, Any] = each["State"]
            health = state.get("Health")
            found.append(
                Container(
                    id=each["Id"],
                    name=each["Name"].lstrip("/"),
                    service=each["Config"]["Labels"]["com.docker.compose.service"],
                    status=state["Status"],
                    health=health["Status"] if health else None,
                    exit_code=int(state["ExitCode"]),
                    started_at=state["StartedAt"],
                    user=each["Config"]["User"],
                )
            )
        return sorted(found, key=lambda container: container.name)

    def of(self, service: str) -> list[Container]:
        return [c for c in self.containers() if c.service == service]

    def wait_healthy(self, timeout: float = HEALTHY_TIMEOUT_S) -> list[Container]:
        """Every service's containers running and healthy (positive signal), init done."""

        def all_healthy() -> list[Container] | None:
            containers = self.containers()
            for container in containers:
                if container.health == "unhealthy" or (
                    container.status == "exited" and container.exit_code != 0
                ):
                    raise AssertionError(f"{container.name}: {container}\n{self.logs()}")
            running = {
                service: [c for c in containers if c.service == service and c.status == "running"]
                for service in RUNNING
            }
            init = [c for c in containers if c.service == "init"]
            if (
                all(len(running[s]) == n for s, n in RUNNING.items())
                and all(c.health == "healthy" for cs in running.values() for c in cs)
                and [(c.status, c.exit_code) for c in init] == [("exited", 0)]
            ):
                return containers
            return None

        return wait_for(
            all_healthy, timeout, "every container healthy",
            explain=lambda: "\n".join(map(str, self.containers())),
        )  # fmt: skip

    def logs(self, lines: int = 40) -> str:
        """The latest lines of every container's output."""
        parts = []
        for container in self.containers():
            done = subprocess.run(
                ["docker", "logs", "--tail", str(lines), container.id],
                capture_output=True, text=True, timeout=30, check=False,
            )  # fmt: skip
            parts.append(f"--- {container.name}\n{done.stdout}{done.stderr}")
        return "\n".join(parts)

    def network_gateway(self) -> str:
        """The host's address on the project's network: where containers reach the host."""
        return docker(
            "network", "inspect", f"{PROJECT}_default", "-f",
            "{{(index .IPAM.Config 0).Gateway}}",
        ).strip()  # fmt: skip


def docker(*args: str) -> str:
    done = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"docker {shlex.join(args)}: {done.stderr}"
    return done.stdout
