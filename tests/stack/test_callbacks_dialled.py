"""A callback due now is offered to a ready agent, dialled, and its outcome counted.

Its own stack and contact center, so that no other test's agent takes the callback:
the agent gets ready through the gateway (IciUser), the callback comes in over
IciSystem.createCallBack, the call engine dials it on the agent's line through the
simulated network, and getCallBacks shows what came of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from lxml import etree
from stacklib import (
    Stack,
    assert_response,
    envelope,
    own_stack,
    soap,
    soap_action,
    wait_for,
)

pytestmark = pytest.mark.stack

# One agent and queue per test: an answered callback keeps its agent busy.
CONFIG = """
queues:
  - {id: "5001", name: "Web callbacks", channel: phone}
  - {id: "5002", name: "Web callbacks 2", channel: phone}
users:
  - {id: CBAGENT1, name: "Callback Agent 1", phone: "+5101", queues: ["5001"]}
  - {id: CBAGENT2, name: "Callback Agent 2", phone: "+5102", queues: ["5002"]}
simulator:
  busy: ["+4930999"]
"""
AGENTS = ("CBAGENT1", "CBAGENT2")
CUSTOMER, BUSY_CUSTOMER = "+4930111", "+4930999"
WAIT_S = 20.0


def ici(stack: Stack, interface: str, operation: str, inner: str = "") -> etree._Element:
    body = envelope(f'<{operation} xmlns="urn:{interface}Interface">{inner}</{operation}>')
    answer = soap(stack.base_url, "/OII/OII.asmx", body, soap_action(interface))
    return assert_response(answer, interface, operation)


def callbacks(stack: Stack) -> dict[str, dict[str, str | None]]:
    response = ici(stack, "IciSystem", "getCallBacks")
    return {
        item.findtext("id") or "": {child.tag: child.text for child in item}
        for item in response.iter("item")
    }


def create(stack: Stack, number: str, queue: str) -> str:
    response = ici(
        stack,
        "IciSystem",
        "createCallBack",
        f"<number>{number}</number><queue>{queue}</queue>"
        "<extraData>&lt;XML&gt;&lt;Order&gt;17&lt;/Order&gt;&lt;/XML&gt;</extraData>",
    )
    callback_id = response.findtext("{urn:IciSystemInterface}response")
    assert callback_id, etree.tostring(response)
    return callback_id


def call_to(stack: Stack, line: str, number: str) -> dict[str, str] | None:
    """The call on ``line`` whose remote party is ``number``: inbound flag and attached data."""
    response = ici(stack, "IciPhoneLine", "getCalls", f"<lineNumber>{line}</lineNumber>")
    for call in response.findall("{*}response/item"):
        if number in [item.text for item in call.findall("remoteNumbers/item")]:
            return {
                "inbound": call.findtext("inbound") or "",
                "attachedData": call.findtext("attachedData") or "",
            }
    return None


def outcome(
    stack: Stack, callback_id: str, done: Callable[[dict[str, str | None]], bool], what: str
) -> dict[str, str | None]:
    return wait_for(
        lambda: row if done(row := callbacks(stack)[callback_id]) else None,
        WAIT_S,
        what,
        explain=lambda: f"{callbacks(stack)}\n{stack.console_tail()}",
    )


@pytest.fixture(scope="module")
def callback_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own whose agent is logged in and ready."""
    work = tmp_path_factory.mktemp("callbacks")
    with own_stack(work, CONFIG, {"OII_SIM_ANSWER_MS": "300"}) as running:
        for agent in AGENTS:
            ici(running, "IciUser", "getAttributes", f"<userId>{agent}</userId>")
            ici(
                running,
                "IciUser",
                "setCurrentWorkmode",
                f"<userId>{agent}</userId><workmode>2</workmode>",
            )
        yield running


def test_a_due_callback_is_dialled_for_a_ready_agent_and_handled_when_answered(
    callback_stack: Stack,
) -> None:
    stack = callback_stack
    callback_id = create(stack, CUSTOMER, "5001")

    call = wait_for(
        lambda: call_to(stack, "+5101", CUSTOMER),
        WAIT_S,
        f"no call to {CUSTOMER} on the agent's line +5101",
        explain=stack.console_tail,
    )
    assert call["inbound"] == "false", call
    # The "any CAD" of extraData is kept for the call (9.1.6.2).
    assert "<Order>17</Order>" in call["attachedData"], call

    row = outcome(stack, callback_id, lambda r: r["handledTime"] is not None, "not handled")
    assert (row["lastResult"], row["failures"]) == ("SUCCESSFUL", "0")
    assert row["lastCallTime"] is not None


def test_a_busy_customer_counts_a_failure_and_is_called_again_later(
    callback_stack: Stack,
) -> None:
    stack = callback_stack
    callback_id = create(stack, BUSY_CUSTOMER, "5002")

    row = outcome(stack, callback_id, lambda r: r["failures"] == "1", "no failure counted")
    assert row["lastResult"] == "OTHER"
    assert row["handledTime"] is None
    assert row["nextCallTime"] is not None and row["lastCallTime"] is not None
    assert row["nextCallTime"] > row["lastCallTime"]
