"""Stop (spec 3.4.1) stops the contact center's side too: calls wait, /healthz says stopped.

While stopped, routing offers nothing (agents could not accept through CRM), so a
customer's call waits in its queue; /healthz answers 503 naming the stopped
integration while /livez (what supervisors probe) stays 200. After Start the call
alerts the agent. A stack restarted while stopped comes up stopped and Start-able.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from crm_stand_in_thread import CrmStandInThread
from stacklib import Stack, admin, start_stack, stop_stack, wait_for
from telephony_lib import Ici, Simulator, call_events

pytestmark = pytest.mark.stack

LINE = "+129"
ALERTING = 3


def routing(stack: Stack) -> dict[str, Any]:
    _, body = stack.health()
    telephony = body["components"]["telephony"]["health"]["components"]
    data: dict[str, Any] = telephony["call_routing"]
    return data


def asmx(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text
    return answer.text


def test_stop_holds_calls_in_their_queue_until_start(tmp_path: Path) -> None:
    stack = start_stack(tmp_path / "stack")
    try:
        ici, sim = Ici(stack.base_url), Simulator(stack.base_url)
        with CrmStandInThread() as crm:
            ici.login("HARRI")
            ici.subscribe_line(crm.url, "crm-line", LINE)
            assert "Stopped" in asmx(admin(stack, "Stop", "POST"))
            status, body = stack.health()
            assert status == 503 and body["down"] == ["integration"], body
            assert body["components"]["integration"]["state"] == "stopped"
            assert httpx.get(f"{stack.base_url}/livez", timeout=10).status_code == 200
            wait_for(lambda: routing(stack)["holding"], 10, "telephony holding its routing")

            handle = sim.call_in("+4930123456", "2001")
            looks = routing(stack)["held_looks"]
            wait_for(lambda: routing(stack)["held_looks"] >= looks + 2, 10,
                     "two looks of the dispatcher that held the call")  # fmt: skip
            assert all(call.status != ALERTING for call in call_events(crm, handle))
            assert routing(stack)["waiting"] == 1

            assert "Connected" in asmx(admin(stack, "Start", "POST"))
            wait_for(
                lambda: any(call.status == ALERTING for call in call_events(crm, handle)),
                10,
                "the call alerting HARRI after Start",
            )
            assert stack.health()[0] == 200
            assert "Stopped" in asmx(admin(stack, "Stop", "POST"))
    finally:
        stop_stack(stack)

    # The run state outlives the stack: it comes up stopped, and Start works.
    again = start_stack(tmp_path / "stack")
    try:
        assert asmx(admin(again, "GetState")).endswith(">Stopped</string>")
        assert again.health()[0] == 503
        assert "Connected" in asmx(admin(again, "Start", "POST"))
        assert again.health()[0] == 200
    finally:
        stop_stack(again)
