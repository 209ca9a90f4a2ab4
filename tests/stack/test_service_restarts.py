"""One process dying logs nobody out: the supervisor starts it again, calls and sessions live on.

An agent is logged in and subscribed, a customer's call connected. Then each process
of the stack in turn (every service, and nats-server) is killed with SIGKILL. Each
time the stack stays up, the dead process comes back, the call is still connected,
the CRM sessions still exist, and a change made afterwards reaches CRM. CRM never gets
an older state of the call after a newer one (a notifier crash used to re-send the
connected call as alerting).
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator

import pytest
from crm_stand_in_thread import CrmStandInThread
from stacklib import SERVICES, Stack, admin, health_status, own_stack, wait_for
from telephony_lib import Ici, Simulator, call_events

pytestmark = pytest.mark.stack

LINE = "+129"
CONNECTED, HELD, ALERTING = 101, 106, 3
RESTART_S = 45.0


@pytest.fixture(scope="module")
def restart_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(tmp_path_factory.mktemp("restarts")) as stack:
        yield stack


def current_pid(stack: Stack, name: str) -> int:
    info = json.loads((stack.data_dir / "stack.json").read_text())
    pid: int = info["pids"][name]
    return pid


def restarted(stack: Stack, name: str, old_pid: int) -> bool:
    assert stack.process.poll() is None, f"the stack stopped\n{stack.console_tail()}"
    try:
        pid = current_pid(stack, name)
    except (FileNotFoundError, ValueError, KeyError):
        return False
    return pid != old_pid and health_status(stack.base_url) == 200


def test_each_process_killed_in_turn_is_restarted_and_nothing_is_lost(
    restart_stack: Stack,
) -> None:
    stack = restart_stack
    ici, sim = Ici(stack.base_url), Simulator(stack.base_url)
    with CrmStandInThread() as crm:
        ici.login("HARRI")
        ici.ok("IciUser", "subscribe", appUrl=crm.url, appId="crm-user", userId="HARRI")
        ici.subscribe_line(crm.url, "crm-line", LINE)
        handle = sim.call_in("+4930123456", "2001")
        ici.wait_call(LINE, lambda c: c.handle == handle and c.status == ALERTING, "alerting")
        ici.ok("IciItem", "accept", itemId=handle, containerId=LINE)
        ici.wait_call(LINE, lambda c: c.handle == handle and c.status == CONNECTED, "connected")
        sessions_before = admin(stack, "EnumClients").text

        for name in (*SERVICES, "nats"):
            old_pid = current_pid(stack, name)
            os.kill(old_pid, signal.SIGKILL)
            wait_for(lambda: restarted(stack, name, old_pid), RESTART_S,
                     f"{name} started again and the stack healthy",
                     explain=stack.console_tail)  # fmt: skip

            def call_state() -> int | None:
                try:
                    calls = ici.calls(LINE)
                except AssertionError:
                    return None  # a restarted service may need a moment for its first answer
                return next((c.status for c in calls if c.handle == handle), None)

            wait_for(lambda: call_state() == CONNECTED, RESTART_S,
                     f"the call still connected after {name} came back",
                     explain=stack.console_tail)  # fmt: skip
            assert admin(stack, "EnumClients").text == sessions_before, name
            # A change after the restart reaches CRM: hold, then retrieve.
            for operation, status in (("hold", HELD), ("unhold", CONNECTED)):
                count = len([c for c in call_events(crm, handle) if c.status == status])
                ici.ok("IciPhoneCall", operation, lineNumber=LINE, callHandle=handle)
                wait_for(
                    lambda: len([c for c in call_events(crm, handle) if c.status == status])
                    > count,
                    RESTART_S,
                    f"CRM told of {operation} after {name} came back",
                    explain=stack.console_tail,
                )  # fmt: skip

        statuses = [call.status for call in call_events(crm, handle)]
        first_connected = statuses.index(CONNECTED)
        assert ALERTING not in statuses[first_connected:], statuses
        assert not crm.of("subscriptionEnded", "crm-user"), "a restart ended a CRM session"
