"""``make run`` itself: start-up time, console, side-by-side stacks, clean stop."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from stacklib import (
    HEALTHY_TIMEOUT_S,
    SERVICES,
    Stack,
    check_product_information,
    envelope,
    processes_of,
    soap,
    soap_action,
    stop_stack,
    wait_for,
)

pytestmark = pytest.mark.stack

PRODUCT_INFORMATION = envelope(
    '<exchangeProductInformation xmlns="urn:IciSystemInterface">'
    "<iciVersion>3.00</iciVersion></exchangeProductInformation>"
)


def answers(running: Stack) -> None:
    answer = soap(running.base_url, "/OII/OII.asmx", PRODUCT_INFORMATION, soap_action("IciSystem"))
    check_product_information(answer, "3.00")


def test_default_stack_is_healthy_in_time(stack: Stack) -> None:
    assert stack.healthy_after_s < HEALTHY_TIMEOUT_S, (
        f"healthy after {stack.healthy_after_s:.1f} s, limit {HEALTHY_TIMEOUT_S:.0f} s"
    )
    status, body = stack.health()
    assert status == 200 and body["status"] == "ok", body
    assert set(SERVICES) - {"gateway"} <= set(body["components"]), body
    print(f"default stack healthy after {stack.healthy_after_s:.1f} s")


def test_crm_url_is_printed(stack: Stack) -> None:
    crm_url = re.escape(f"http://127.0.0.1:{stack.port}/OII/OII.asmx")
    wait_for(
        lambda: re.search(rf"{crm_url}\b", stack.console()),
        10,
        f"the CRM URL {stack.crm_url} was not printed",
        explain=stack.console_tail,
    )
    assert stack.info["crm_url"] == stack.crm_url, stack.info


@pytest.mark.parametrize("service", SERVICES)
def test_service_log_lines_carry_the_service_name(stack: Stack, service: str) -> None:
    """Each service's lines are prefixed with its name: its own start message proves it."""
    console = stack.console()
    own = re.compile(rf"^{service}\s*\| .*\b{service} ready on ", re.MULTILINE)
    assert own.search(console), f"no '{service} | ... {service} ready on' line\n{console[-4000:]}"
    # And no line of it comes out under another name.
    foreign = re.compile(rf"^(?!{service}\s*\|)[^\n]*\b{service} ready on ", re.MULTILINE)
    assert not foreign.search(console), foreign.search(console)
    # Every line of the console is prefixed with a name.
    unprefixed = [line for line in console.splitlines() if not re.match(r"^[\w-]+\s*\| ", line)]
    assert not unprefixed, unprefixed[:10]


def test_two_stacks_side_by_side_then_sigterm_stops_all(
    stack: Stack, start_extra_stack: Callable[..., Stack]
) -> None:
    second = start_extra_stack()
    assert (second.port, second.data_dir) != (stack.port, stack.data_dir)
    assert second.healthy_after_s < HEALTHY_TIMEOUT_S, second.healthy_after_s
    print(f"second stack healthy after {second.healthy_after_s:.1f} s")
    assert second.info["nats_url"] != stack.info["nats_url"], (second.info, stack.info)
    answers(stack)
    answers(second)

    # The orphan check of stop_stack sees the stack's processes: all of them, while it runs.
    running = {process.pid for process in processes_of(second.data_dir)}
    expected = {second.pid_of(name) for name in (*SERVICES, "nats")}
    assert expected <= running, f"stack.json pids {second.info['pids']}, found {running}"

    stop_stack(second)  # SIGTERM; exit code 0; no process of it left
    assert not (second.data_dir / "stack.json").exists(), "stack.json outlived the stack"
    # The first stack did not notice.
    answers(stack)
    assert stack.health()[0] == 200
