"""After NATS stalls or restarts, the stack works again within seconds, and /healthz said so.

SIGSTOP freezes nats-server with its connections open (as a stuck host or a long GC
pause would); SIGCONT lets it go on. While it is frozen every KV operation fails, so
/healthz must answer 503; once it answers again, ICI operations must work within 10 s.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator

import httpx
import pytest
from stacklib import Stack, assert_response, envelope, own_stack, soap, soap_action, wait_for

pytestmark = pytest.mark.stack

RECOVERY_S = 10.0
STALL_S = 8.0


def ici_works(stack: Stack) -> bool:
    """A login, a workmode change and a telephony request, each a KV round trip or more."""
    requests = [
        ("IciUser", "<getAttributes xmlns='urn:IciUserInterface'><userId>HARRI</userId>"
         "</getAttributes>", "getAttributes"),
        ("IciUser", "<setCurrentWorkmode xmlns='urn:IciUserInterface'><userId>HARRI</userId>"
         "<workmode>2</workmode></setCurrentWorkmode>", "setCurrentWorkmode"),
        ("IciPhoneLine", "<getCalls xmlns='urn:IciPhoneLineInterface'>"
         "<lineNumber>+129</lineNumber></getCalls>", "getCalls"),
    ]  # fmt: skip
    for interface, body, operation in requests:
        try:
            answer = soap(stack.base_url, "/OII/OII.asmx", envelope(body), soap_action(interface),
                          timeout=3)  # fmt: skip
        except httpx.HTTPError:
            return False
        if answer.status != 200:
            return False
        assert_response(answer, interface, operation)
    return True


def health(stack: Stack) -> int | None:
    try:
        return httpx.get(f"{stack.base_url}/healthz", timeout=3).status_code
    except httpx.HTTPError:
        return None


@pytest.fixture(scope="module")
def stall_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(tmp_path_factory.mktemp("stall")) as stack:
        yield stack


def test_a_frozen_nats_server_shows_in_healthz_and_the_stack_recovers(stall_stack: Stack) -> None:
    stack = stall_stack
    assert ici_works(stack)
    nats = stack.pid_of("nats")
    os.kill(nats, signal.SIGSTOP)
    frozen_at = time.monotonic()
    try:
        wait_for(lambda: health(stack) == 503, STALL_S, "/healthz 503 while NATS is frozen",
                 explain=stack.console_tail)  # fmt: skip
        # Keep polling, as a load balancer would, for the rest of the stall.
        while time.monotonic() - frozen_at < STALL_S:
            health(stack)
            time.sleep(0.5)
    finally:
        os.kill(nats, signal.SIGCONT)
    wait_for(lambda: ici_works(stack), RECOVERY_S, "ICI operations working again",
             explain=stack.console_tail)  # fmt: skip
    wait_for(lambda: health(stack) == 200, RECOVERY_S, "/healthz 200 again",
             explain=stack.console_tail)  # fmt: skip
    assert "InvalidStateError" not in stack.console()


def test_a_killed_nats_server_is_restarted_and_the_stack_recovers(stall_stack: Stack) -> None:
    stack = stall_stack
    assert ici_works(stack)
    nats = stack.pid_of("nats")
    os.kill(nats, signal.SIGKILL)
    wait_for(lambda: health(stack) == 503, RECOVERY_S, "/healthz 503 while NATS is gone",
             explain=stack.console_tail)  # fmt: skip

    def nats_back() -> bool:
        info = json.loads((stack.data_dir / "stack.json").read_text())
        return bool(info["pids"]["nats"] != nats)

    wait_for(nats_back, RECOVERY_S, "nats-server started again", explain=stack.console_tail)
    wait_for(lambda: ici_works(stack), RECOVERY_S, "ICI operations working again",
             explain=stack.console_tail)  # fmt: skip
    wait_for(lambda: health(stack) == 200, RECOVERY_S, "/healthz 200 again",
             explain=stack.console_tail)  # fmt: skip
