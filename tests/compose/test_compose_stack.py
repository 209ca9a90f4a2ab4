"""The full stack as users run it (docker-compose.yml) on a real Docker engine.

CRM speaks to the gateway's published port; its event endpoint (the CRM stand-in)
listens on the host, at the address the compose network's containers reach it by.
The contact center is the built-in demo: agent HARRI on line +129, queue 2001.
Telephony runs in two replicas: each call alerts once and is handled to its end.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from composelib import REPO_ROOT, RUNNING, TELEPHONY_REPLICAS, Compose, Container, docker
from crm_stand_in_thread import CrmStandInThread
from stacklib import wait_for
from telephony_lib import Ici, Simulator, call_events, statuses

# The first test also waits for the stack to be built and started (conftest.compose).
pytestmark = pytest.mark.timeout(1200)

AGENT, LINE, QUEUE = "HARRI", "+129", "2001"
CUSTOMER = "+4930123456"
ALERTING, CONNECTED, HELD = 3, 101, 106
# (callStatus, processingStatus) of the events of a queue call accepted, dropped by the
# customer and wrapped up: alerting, connected, wrap-up, wrap-up ended.
ANSWERED_CALL = [(3, 1), (101, 2), (4, 3), (4, 1)]
CALLS_ON_TWO_REPLICAS = 6
RESTART_S = 90.0
OII_SERVICES = [name for name in RUNNING if name not in ("nats", "postgres")]


@pytest.fixture(scope="session")
def crm(compose: Compose) -> Iterator[CrmStandInThread]:
    endpoint = CrmStandInThread(host=compose.network_gateway()).start()
    yield endpoint
    endpoint.stop()


@pytest.fixture(scope="session")
def ici(compose: Compose, crm: CrmStandInThread) -> Ici:
    """The CRM session: HARRI logged in and ready, its line subscribed."""
    client = Ici(compose.base_url)
    client.login(AGENT)
    client.ok("IciUser", "subscribe", appUrl=crm.url, appId="crm-user", userId=AGENT)
    client.subscribe_line(crm.url, "crm-line", LINE)
    return client


@pytest.fixture(scope="session")
def sim(compose: Compose) -> Simulator:
    return Simulator(compose.base_url)


def answered_call(ici: Ici, sim: Simulator, crm: CrmStandInThread) -> str:
    """A customer's call to the queue alerts on HARRI's line, is accepted, dropped by the
    customer and wrapped up; CRM receives exactly its four events. Its handle."""
    handle = sim.call_in(CUSTOMER, QUEUE)
    ici.wait_call(LINE, lambda c: c.handle == handle and c.status == ALERTING, "alerting")
    assert ici.item("accept", handle, containerId=LINE).status == 200
    ici.wait_call(LINE, lambda c: c.handle == handle and c.status == CONNECTED, "connected")
    assert sim.hang_up(handle).status_code == 200
    assert ici.item("wrapUpEnded", handle).status == 200
    wait_for(
        lambda: statuses(call_events(crm, handle)) == ANSWERED_CALL,
        10,
        f"CRM told {ANSWERED_CALL} of {handle}",
        explain=lambda: str(statuses(call_events(crm, handle))),
    )
    return handle


def process_uids(container: Container) -> list[str]:
    """Real, effective, saved and file-system uid of the container's main process."""
    status = docker("exec", container.id, "cat", "/proc/1/status")
    line = next(line for line in status.splitlines() if line.startswith("Uid:"))
    return line.split()[1:]


def test_every_service_runs_healthy_as_a_non_root_user(compose: Compose) -> None:
    containers = compose.containers()
    assert len([c for c in containers if c.service == "telephony"]) == TELEPHONY_REPLICAS
    for container in containers:
        if container.service in OII_SERVICES or container.service == "init":
            assert container.user == "10001:10001", container
        if container.service in OII_SERVICES:
            assert container.health == "healthy", container
            assert set(process_uids(container)) == {"10001"}, container


def pem_bodies(text: str) -> set[str]:
    """The base64 bodies of the PEM certificates in ``text``, without line breaks."""
    return {
        "".join(block.split("-----")[0].split())
        for block in text.split("-----BEGIN CERTIFICATE-----")[1:]
    }


def test_the_images_trust_the_extra_ca_certificates(compose: Compose) -> None:
    extra: set[str] = set()
    for path in sorted((REPO_ROOT / "deploy" / "ca-certificates").glob("*.crt")):
        extra |= pem_bodies(path.read_text())
    if not extra:
        pytest.skip("no extra CA certificates in deploy/ca-certificates (OII_COMPOSE_TEST_CA)")
    for container in compose.containers():
        if container.service in OII_SERVICES:
            bundle = docker("exec", container.id, "cat", "/etc/ssl/certs/ca-certificates.crt")
            assert extra <= pem_bodies(bundle), container


def test_a_crm_session_through_the_published_gateway_port(
    ici: Ici, sim: Simulator, crm: CrmStandInThread
) -> None:
    answered_call(ici, sim, crm)


def test_with_two_telephony_replicas_each_call_alerts_once_and_ends(
    compose: Compose, ici: Ici, sim: Simulator, crm: CrmStandInThread
) -> None:
    assert len(compose.of("telephony")) == TELEPHONY_REPLICAS
    handles = [answered_call(ici, sim, crm) for _ in range(CALLS_ON_TWO_REPLICAS)]
    assert len(set(handles)) == CALLS_ON_TWO_REPLICAS
    # Once the last call has ended, no earlier one has had an event more since its end.
    assert [statuses(call_events(crm, handle)) for handle in handles] == [
        ANSWERED_CALL
    ] * CALLS_ON_TWO_REPLICAS
    assert ici.calls(LINE) == []


def restart(compose: Compose, container: Container) -> None:
    """``docker restart`` one container; back when it runs again and the stack is healthy."""
    subprocess.run(["docker", "restart", container.id], check=True, timeout=RESTART_S,
                   capture_output=True)  # fmt: skip

    def started_again() -> bool:
        now = next(c for c in compose.containers() if c.id == container.id)
        return now.started_at != container.started_at and now.health == "healthy"

    wait_for(started_again, RESTART_S, f"{container.name} healthy again",
             explain=lambda: compose.logs(20))  # fmt: skip
    compose.wait_healthy()


@pytest.mark.parametrize("service", ["telephony", "notifier"])
def test_the_session_lives_on_when_a_service_container_restarts(
    service: str, compose: Compose, ici: Ici, sim: Simulator, crm: CrmStandInThread
) -> None:
    handle = sim.call_in(CUSTOMER, QUEUE)
    ici.wait_call(LINE, lambda c: c.handle == handle and c.status == ALERTING, "alerting")
    assert ici.item("accept", handle, containerId=LINE).status == 200
    ici.wait_call(LINE, lambda c: c.handle == handle and c.status == CONNECTED, "connected")

    restart(compose, compose.of(service)[0])

    def call_state() -> int | None:
        try:
            calls = ici.calls(LINE)
        except AssertionError:
            return None  # a fault with errorRetry while a connection finds the new container
        return next((c.status for c in calls if c.handle == handle), None)

    wait_for(lambda: call_state() == CONNECTED, RESTART_S, f"the call connected after {service}")
    # Changes after the restart reach CRM: hold, retrieve, the customer's drop, wrap-up.
    for operation, status in (("hold", HELD), ("unhold", CONNECTED)):
        count = len([c for c in call_events(crm, handle) if c.status == status])
        ici.ok("IciPhoneCall", operation, lineNumber=LINE, callHandle=handle)
        wait_for(
            lambda: len([c for c in call_events(crm, handle) if c.status == status]) > count,
            10,
            f"CRM told of {operation} after {service} restarted",
        )  # fmt: skip
    assert sim.hang_up(handle).status_code == 200
    assert ici.item("wrapUpEnded", handle).status == 200
    wait_for(
        lambda: statuses(call_events(crm, handle))[-1:] == [(4, 1)],
        10,
        "CRM told the wrap-up ended",
        explain=lambda: str(statuses(call_events(crm, handle))),
    )
    seen = [call.status for call in call_events(crm, handle)]
    assert seen.count(ALERTING) == 1 and ALERTING not in seen[seen.index(CONNECTED) :], seen
    assert not crm.of("subscriptionEnded", "crm-user"), "a restart ended the CRM session"
    # And a new call from start to end.
    answered_call(ici, sim, crm)
