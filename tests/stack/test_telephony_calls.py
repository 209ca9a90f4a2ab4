"""Phone calls through the gateway as CRM drives them, with a real CRM event endpoint.

A stack of its own, with a contact center where each test has its own agents
(and queues), so tests do not see each other's calls. Agents log in and become
ready through the gateway (IciUser.getAttributes, setCurrentWorkmode); the CRM
endpoint subscribes to their lines with IciContainer.subscribe; customers call
and hang up through the simulated network's API on the gateway.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from crm_stand_in_thread import CrmStandInThread
from stacklib import Stack, assert_fault, assert_response, start_stack, stop_stack, wait_for
from telephony_lib import Call, Ici, Simulator, call_events, call_of, statuses

from oii_shared.bus.ici_events import EVENT_TIME_HEADER
from oii_shared.soap.faults import Errors

pytestmark = pytest.mark.stack

AGENTS = {
    # name: (line, queues)
    "IN1": ("+3101", ["4101"]),
    "OUT1": ("+3111", []),
    "TR1": ("+3121", []),
    "TR2": ("+3122", []),
    "CF1": ("+3131", []),
    "CF2": ("+3132", []),
    "HD1": ("+3141", []),
    "HD2": ("+3142", []),
    "FW1": ("+3151", []),
    "FW2": ("+3152", []),
    "FQ1": ("+3153", ["4301"]),
    "RR1": ("+3161", ["4201"]),
    "RR2": ("+3162", ["4201"]),
    "BN1": ("+3171", []),
    "LD1": ("+3181", []),
    "NA1": ("+3191", []),
}
BUSY = "+4930555000"
NO_ANSWER = "+4930555111"
CUSTOMER = "0301234567"
CUSTOMER_E164 = "+49301234567"  # OII.Country 49 (4.3.1)


def line(agent: str) -> str:
    return AGENTS[agent][0]


def write_config(path: Path) -> Path:
    config = {
        "parameters": {"OII.Country": 49},
        "queues": [
            {"id": "4101", "name": "Inbound", "channel": "phone"},
            {"id": "4201", "name": "Reroute", "channel": "phone"},
            {"id": "4301", "name": "Forwarded", "channel": "phone"},
        ],
        "users": [
            {"id": name, "phone": phone, "queues": queues}
            for name, (phone, queues) in AGENTS.items()
        ],
        "simulator": {"busy": [BUSY], "no_answer": [NO_ANSWER]},
    }
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture(scope="module")
def calls_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("telephony")
    config = write_config(work / "contact-center.yaml")
    running = start_stack(work, {"OII_CONFIG": str(config), "OII_SIM_ANSWER_MS": "200"})
    yield running
    stop_stack(running)


@pytest.fixture(scope="module")
def ici(calls_stack: Stack, crm: CrmStandInThread) -> Ici:
    client = Ici(calls_stack.base_url)
    for name in AGENTS:
        client.subscribe_line(crm.url, "ic-webclient", line(name))
    return client


@pytest.fixture(scope="module")
def sim(calls_stack: Stack) -> Simulator:
    return Simulator(calls_stack.base_url)


def events_of(crm: CrmStandInThread, handle: str, agent: str) -> list[Call]:
    return [call for call in call_events(crm, handle) if call.line == line(agent)]


def wait_events(
    crm: CrmStandInThread, handle: str, agent: str, expected: list[tuple[int, int]]
) -> list[Call]:
    """The (callStatus, processingStatus) of the call's events on the agent's line, in order."""
    return wait_for(
        lambda: (calls := events_of(crm, handle, agent)) and statuses(calls) == expected and calls,
        10,
        f"events {expected} of {handle} on {line(agent)}",
        explain=lambda: str(statuses(events_of(crm, handle, agent))),
    )


def alerting(ici: Ici, agent: str) -> Call:
    return ici.wait_call(line(agent), lambda call: call.status == 3, "an alerting call")


def ok(answer: object) -> None:
    assert getattr(answer, "status", None) == 200, answer


# --------------------------------------------------------------------------- inbound


def test_inbound_queue_call(ici: Ici, sim: Simulator, crm: CrmStandInThread) -> None:
    ici.login("IN1")
    placed_at = time.time()
    handle = sim.call_in(CUSTOMER, "4101")
    assert re.fullmatch(r"[0-9A-F]{32}", handle)
    call = alerting(ici, "IN1")
    assert call.handle == handle and call.remote == (CUSTOMER_E164,) and call.inbound
    assert call.capabilities == (1, 2, 3) and call.dialed == "4101" and not call.internal
    assert "<FirstBName>Inbound</FirstBName>" in call.attached_data
    ok(ici.item("accept", handle, containerId=line("IN1")))
    connected = ici.call(line("IN1"), handle)
    assert (connected.status, connected.processing) == (101, 2)
    assert sim.hang_up(handle).status_code == 200
    ok(ici.item("wrapUpEnded", handle))
    wait_events(crm, handle, "IN1", [(3, 1), (101, 2), (4, 3), (4, 1)])
    # Each delivery tells CRM when its change happened (the benchmark's event latency).
    events = [e for e in crm.snapshot() if (c := call_of(e)) is not None and c.handle == handle]
    for event in events:
        assert placed_at <= float(event.headers[EVENT_TIME_HEADER]) <= event.received_at
    assert ici.calls(line("IN1")) == []
    # The item is gone: a second wrapUpEnded is the fault of an unknown item.
    assert_fault(ici.item("wrapUpEnded", handle), Errors.UNKNOWN_ITEM)


def test_an_operation_not_allowed_is_a_fault(ici: Ici, sim: Simulator) -> None:
    ici.login("NA1")
    handle = sim.call_in(CUSTOMER, line("NA1"))
    alerting(ici, "NA1")
    fault = assert_fault(
        ici.phone("hold", line("NA1"), callHandle=handle), Errors.NOT_ALLOWED_IN_STATUS
    )
    assert (fault.area, fault.code) == (4, 2)
    assert_fault(ici.item("accept", handle, containerId=line("IN1")), Errors.CALL_NOT_ON_LINE)
    assert_fault(ici.item("accept", handle, containerId="+999"), Errors.UNKNOWN_PHONE_LINE)
    ok(ici.item("accept", handle, containerId=line("NA1")))
    assert_fault(ici.item("accept", handle, containerId=line("NA1")), Errors.NOT_ALLOWED_IN_STATUS)
    ok(ici.phone("drop", line("NA1"), callHandle=handle))
    ok(ici.item("wrapUpEnded", handle))


# --------------------------------------------------------------------------- outbound


def test_outbound_call(ici: Ici, crm: CrmStandInThread) -> None:
    ici.login("OUT1")
    handle = ici.create(line("OUT1"))
    assert re.fullmatch(r"[0-9A-F]{32}", handle)
    answer = ici.phone("dial", line("OUT1"), callHandle=handle, dialNumber="+4930123456")
    assert (
        assert_response(answer, "IciPhoneCall", "dial").findtext(
            "{urn:IciPhoneCallInterface}response"
        )
        == "+4930123456"
    )
    wait_events(crm, handle, "OUT1", [(1, 1), (103, 2), (104, 2), (101, 2)])
    call = ici.call(line("OUT1"), handle)
    assert call.remote == ("+4930123456",) and not call.inbound and call.trunk == "SIM"
    ok(ici.phone("drop", line("OUT1"), callHandle=handle))
    ok(ici.item("wrapUpEnded", handle))
    wait_events(crm, handle, "OUT1", [(1, 1), (103, 2), (104, 2), (101, 2), (4, 3), (4, 1)])


def test_busy_and_no_answer_numbers(ici: Ici, crm: CrmStandInThread) -> None:
    ici.login("BN1")
    busy = ici.create(line("BN1"))
    ok(ici.phone("dial", line("BN1"), callHandle=busy, dialNumber=BUSY))
    # OII.ShowBusyStatus=0, OII.WrapUpOutbound=0: straight to Ended, no wrap-up.
    wait_events(crm, busy, "BN1", [(1, 1), (103, 2), (4, 1)])
    silent = ici.create(line("BN1"))
    ok(ici.phone("dial", line("BN1"), callHandle=silent, dialNumber=NO_ANSWER))
    wait_events(crm, silent, "BN1", [(1, 1), (103, 2), (104, 2)])
    ok(ici.phone("drop", line("BN1"), callHandle=silent))
    wait_events(crm, silent, "BN1", [(1, 1), (103, 2), (104, 2), (4, 1)])


def test_numbers_with_other_characters_are_refused(ici: Ici) -> None:
    handle = ici.create(line("BN1"))
    answer = ici.phone("dial", line("BN1"), callHandle=handle, dialNumber="+49 30 1234")
    fault = assert_fault(answer, Errors.INVALID_PHONE_NUMBER)
    assert (fault.area, fault.code) == (5, 2)
    assert fault.text == "SAP BCB:Other characters than +1234567890 in phone number"
    ok(ici.phone("drop", line("BN1"), callHandle=handle))


# --------------------------------------------------------------------------- two calls


def connected_customer(ici: Ici, sim: Simulator, agent: str) -> str:
    ici.login(agent)
    handle = sim.call_in(CUSTOMER, line(agent))
    alerting(ici, agent)
    ok(ici.item("accept", handle, containerId=line(agent)))
    return handle


def consult(ici: Ici, agent: str, held: str, target: str, next_step: int) -> tuple[str, str]:
    """``agent`` consults ``target``; the consultation call and the target's call, connected."""
    ici.login(target)
    consulting = ici.create(line(agent))
    ok(
        ici.phone(
            "consult", line(agent), callHandle=consulting, connCallHandle=held,
            dialNumber=line(target), nextStep=next_step,
        )
    )  # fmt: skip
    callee = alerting(ici, target)
    assert callee.remote == (line(agent),) and callee.internal and callee.inbound
    ok(ici.item("accept", callee.handle, containerId=line(target)))
    ici.wait_call(line(agent), lambda c: c.handle == consulting and c.status == 101, "connected")
    return consulting, callee.handle


def test_consult_then_transfer(ici: Ici, sim: Simulator, crm: CrmStandInThread) -> None:
    customer = connected_customer(ici, sim, "TR1")
    crm_cad = (
        '&lt;ItemAttachedData&gt;&lt;Application id="CRM_IC/BUPA"&gt;&lt;CURRENTCUSTOMER&gt;'
        "B42&lt;/CURRENTCUSTOMER&gt;&lt;/Application&gt;&lt;/ItemAttachedData&gt;"
    )
    ok(ici.item("setAttachedData", customer, attachedData=crm_cad))
    consulting, callee = consult(ici, "TR1", customer, "TR2", 2)
    assert ici.call(line("TR1"), customer).status == 106  # held by the consultation
    ok(ici.phone("transfer", line("TR1"), connCallHandle=consulting, heldCallHandle=customer))
    # TR2 now talks to the customer and has the CAD (ExtraDataWhenJoin, OII.SetExtraData).
    took_over = ici.wait_call(
        line("TR2"), lambda c: c.remote == (CUSTOMER_E164,), "the customer on TR2"
    )
    assert took_over.status == 101 and not took_over.internal
    assert "<CURRENTCUSTOMER>B42</CURRENTCUSTOMER>" in took_over.attached_data
    # TR1: the customer call (its CAD set: one more Connected event) wraps up; the
    # consultation call ends.
    wait_events(crm, customer, "TR1", [(3, 1), (101, 2), (101, 2), (106, 2), (4, 3)])
    assert statuses(events_of(crm, consulting, "TR1"))[-1] == (4, 1)
    # Both parties of the internal consultation saw it: TR2 alerting then connected.
    assert statuses(events_of(crm, callee, "TR2"))[:2] == [(3, 1), (101, 2)]
    ok(ici.item("wrapUpEnded", customer))
    assert sim.hang_up(customer).status_code == 200  # the customer's own id follows them
    ici.wait_call(line("TR2"), lambda c: c.handle == callee and c.status == 4, "ended")
    ok(ici.item("wrapUpEnded", callee))


def test_consult_then_conference_then_drop_party(
    ici: Ici, sim: Simulator, crm: CrmStandInThread
) -> None:
    customer = connected_customer(ici, sim, "CF1")
    consulting, callee = consult(ici, "CF1", customer, "CF2", 3)
    ok(ici.phone("conference", line("CF1"), connCallHandle=consulting, heldCallHandle=customer))
    owner = ici.wait_call(line("CF1"), lambda c: c.status == 108, "conference owner")
    assert owner.handle == customer and set(owner.remote) == {CUSTOMER_E164, line("CF2")}
    assert owner.capabilities == (4, 6, 7, 8, 102, 106, 107)
    member = ici.wait_call(line("CF2"), lambda c: c.status == 109, "conference participant")
    assert member.remote == (line("CF1"), CUSTOMER_E164)
    assert member.capabilities == (4, 6, 7, 8, 102, 107)
    assert [c.handle for c in ici.calls(line("CF1"))] == [customer]
    ok(ici.phone("dropParty", line("CF1"), remoteNumber=line("CF2"), callHandle=customer))
    back = ici.wait_call(line("CF1"), lambda c: c.status == 101, "a plain call again")
    assert back.remote == (CUSTOMER_E164,)
    wait_for(lambda: ici.calls(line("CF2")) == [], 10, "CF2's call gone")
    assert statuses(events_of(crm, callee, "CF2"))[-2:] == [(109, 2), (4, 1)]
    ok(ici.phone("drop", line("CF1"), callHandle=customer))
    ok(ici.item("wrapUpEnded", customer))


def test_hold_unhold_alternate_reconnect(ici: Ici, sim: Simulator) -> None:
    customer = connected_customer(ici, sim, "HD1")
    ok(ici.phone("hold", line("HD1"), callHandle=customer))
    assert ici.call(line("HD1"), customer).status == 106
    ok(ici.phone("unhold", line("HD1"), callHandle=customer))
    assert ici.call(line("HD1"), customer).status == 101
    consulting, callee = consult(ici, "HD1", customer, "HD2", 4)
    ok(ici.phone("alternate", line("HD1"), connCallHandle=consulting, heldCallHandle=customer))
    assert ici.call(line("HD1"), consulting).status == 106
    assert ici.call(line("HD1"), customer).status == 101
    assert ici.call(line("HD2"), callee).status == 107  # HD2 is held by HD1
    ok(ici.phone("alternate", line("HD1"), connCallHandle=customer, heldCallHandle=consulting))
    assert ici.call(line("HD2"), callee).status == 101
    ok(ici.phone("reconnect", line("HD1"), connCallHandle=consulting, heldCallHandle=customer))
    assert [(c.handle, c.status) for c in ici.calls(line("HD1"))] == [(customer, 101)]
    wait_for(lambda: ici.calls(line("HD2")) == [], 10, "HD2's call gone")
    ok(ici.phone("drop", line("HD1"), callHandle=customer))
    ok(ici.item("wrapUpEnded", customer))


def test_forward_to_a_line_and_to_a_queue(ici: Ici, sim: Simulator, crm: CrmStandInThread) -> None:
    customer = connected_customer(ici, sim, "FW1")
    ici.login("FW2")
    ok(ici.item("forward", customer, containerId=line("FW1"), destType=1, destination=line("FW2")))
    forwarded = alerting(ici, "FW2")
    assert forwarded.remote == (CUSTOMER_E164,) and not forwarded.internal
    wait_events(crm, customer, "FW1", [(3, 1), (101, 2), (4, 3)])  # OII.ForwardAndEnd=0
    ok(ici.item("wrapUpEnded", customer))
    ici.login("FQ1")
    ok(
        ici.item(
            "forward", forwarded.handle, containerId=line("FW2"), destType=12, destination="4301"
        )
    )
    queued = alerting(ici, "FQ1")
    assert queued.remote == (CUSTOMER_E164,)
    # The CAD follows the call; the number the customer first called stays in it (7.2.1).
    assert f"<FirstBNumber>{line('FW1')}</FirstBNumber>" in queued.attached_data
    assert ici.calls(line("FW2")) == []  # it was only alerting there: no wrap-up
    ok(ici.item("accept", queued.handle, containerId=line("FQ1")))
    assert sim.hang_up(customer).status_code == 200
    ok(ici.item("wrapUpEnded", queued.handle))


def test_reroute_to_the_next_agent(ici: Ici, sim: Simulator, crm: CrmStandInThread) -> None:
    ici.login("RR1")
    ici.login("RR2")
    handle = sim.call_in(CUSTOMER, "4201")
    first = next(a for a in ("RR1", "RR2") if any(c.handle == handle for c in ici.calls(line(a))))
    second = "RR2" if first == "RR1" else "RR1"
    ok(ici.item("reroute", handle, containerId=line(first)))
    assert alerting(ici, second).handle == handle
    wait_events(crm, handle, first, [(3, 1), (4, 1)])
    ok(ici.item("reroute", handle, containerId=line(second)))
    # Never back to an agent who refused it: it waits in the queue.
    wait_for(lambda: ici.calls(line(second)) == [], 10, "the call left the second agent")
    assert ici.calls(line(first)) == []
    assert sim.hang_up(handle).status_code == 200


# --------------------------------------------------------------------------- login, simulator


def test_login_drops_the_lines_calls(ici: Ici) -> None:
    ici.login("LD1")
    handle = ici.create(line("LD1"))
    assert [c.handle for c in ici.calls(line("LD1"))] == [handle]
    ici.login("LD1")  # OII.LoginDropCalls=1
    assert ici.calls(line("LD1")) == []


def test_simulator_api_errors(calls_stack: Stack, sim: Simulator) -> None:
    url = f"{calls_stack.base_url}/api/v1/sim/calls"
    for body, status in (
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (b'{"from": "0301"}', 422),
        (b'{"from": "abc", "to": "4101"}', 422),
        (b'{"from": "0301", "to": "9999"}', 404),
    ):
        answer = httpx.post(url, content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == status, (body, answer.text)
        assert "error" in answer.json()
    assert sim.hang_up("0" * 32).status_code == 404
    too_big = httpx.post(url, content=b" " * 70_000)
    assert too_big.status_code == 413 and "error" in too_big.json()
