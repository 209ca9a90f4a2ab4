"""Two telephony-svc processes allocate one queue at once: no agent is ever double-alerted.

The stack runs one telephony-svc; the test starts a second one against the same
NATS and database (as a second replica would run in compose). Customers call
the queue through both replicas' simulator APIs at the same moment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml
from crm_stand_in_thread import CrmStandInThread
from stacklib import REPO_ROOT, Stack, free_port, start_stack, stop_stack, wait_for
from telephony_lib import Ici, calls_received

pytestmark = pytest.mark.stack

AGENTS = {f"RC{i}": f"+39{i:02d}" for i in range(1, 5)}
QUEUE = "4901"
CALLS = 12


@pytest.fixture(scope="module")
def race_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("telephony-race")
    config = work / "contact-center.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "queues": [{"id": QUEUE, "name": "Race", "channel": "phone"}],
                "users": [
                    {"id": name, "phone": phone, "queues": [QUEUE]}
                    for name, phone in AGENTS.items()
                ],
            }
        )
    )
    running = start_stack(work, {"OII_CONFIG": str(config)})
    yield running
    stop_stack(running)


@pytest.fixture(scope="module")
def second_telephony(race_stack: Stack) -> Iterator[str]:
    """Another telephony-svc process on the stack's NATS and database; its base URL."""
    port = free_port()
    env = dict(race_stack.env)
    env.update(
        OII_SERVICE="telephony-2",
        OII_HOST="127.0.0.1",
        OII_PORT=str(port),
        OII_NATS_URL=race_stack.info["nats_url"],
        OII_DATABASE_URL=f"sqlite+aiosqlite:///{race_stack.data_dir / 'oii.sqlite3'}",
    )
    log = Path(race_stack.console_path).with_name("telephony-2.log")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "oii_telephony"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert process.poll() is None, log.read_text()
        try:
            return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, 30, "the second telephony-svc was not healthy", explain=log.read_text)
        yield url
    finally:
        # Stopped before the stack: no process of its data directory may outlive it.
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_replicas_never_double_alert(race_stack: Stack, second_telephony: str) -> None:
    ici = Ici(race_stack.base_url)
    crm = CrmStandInThread().start()
    try:
        for name, phone in AGENTS.items():
            ici.subscribe_line(crm.url, "race", phone)
            ici.login(name)
        replicas = [race_stack.base_url, second_telephony]  # the gateway's, and the second's

        def call(index: int) -> str:
            answer = httpx.post(
                f"{replicas[index % 2]}/api/v1/sim/calls",
                json={"from": f"03012{index:04d}", "to": QUEUE},
                # The second replica is an internal service: it answers the gateway's token only.
                headers=race_stack.internal_headers,
                timeout=10,
            )
            assert answer.status_code == 201, answer.text
            handle: str = answer.json()["callHandle"]
            return handle

        with ThreadPoolExecutor(max_workers=CALLS) as pool:
            handles = list(pool.map(call, range(CALLS)))
        assert len(set(handles)) == CALLS

        def alerted_everywhere() -> dict[str, list[str]] | None:
            found = {name: [c.handle for c in ici.calls(phone) if c.status == 3]
                     for name, phone in AGENTS.items()}  # fmt: skip
            return found if all(found.values()) else None

        found = wait_for(alerted_everywhere, 15, "every agent alerted")
        # Every replica had time to try more: still exactly one call per agent.
        wait_for(lambda: len(crm.snapshot()) >= len(AGENTS), 10, "the alerting events")
        for name, phone in AGENTS.items():
            calls = ici.calls(phone)
            assert [c.status for c in calls] == [3], (name, calls)
        alerted = [handle for handles_of in found.values() for handle in handles_of]
        assert len(set(alerted)) == len(AGENTS)

        # No line was ever offered a second call while one was alerting there.
        open_alerts: dict[str, set[str]] = defaultdict(set)
        for event in calls_received(crm):
            if event.status == 3:
                open_alerts[event.line].add(event.handle)
                assert len(open_alerts[event.line]) == 1, event
            else:
                open_alerts[event.line].discard(event.handle)

        # A call the second replica alerted is accepted through the gateway (the first).
        first_agent, handles_of_first = next(iter(found.items()))
        answer = ici.item("accept", handles_of_first[0], containerId=AGENTS[first_agent])
        assert answer.status == 200, answer
        # When that agent is done, the next waiting call goes to them.
        assert ici.phone("drop", AGENTS[first_agent], callHandle=handles_of_first[0]).status == 200
        assert ici.item("wrapUpEnded", handles_of_first[0]).status == 200
        ici.wait_call(
            AGENTS[first_agent],
            lambda c: c.status == 3 and c.handle not in alerted,
            "the next call",
        )
    finally:
        crm.stop()
