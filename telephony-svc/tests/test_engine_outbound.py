"""Outbound calls on the real engine: create, dial, the simulated network's answers,
OII.ShowBusyStatus, OII.WrapUpOutbound, OII.RemovePlusPrefix, OII.IgnoreOperDirect, CAD."""

from __future__ import annotations

import pytest
from telephony_harness import LINES, Harness

from oii_shared.items import cad
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.model import Phase

OII = "SAP_BCM/OII"


def statuses(h: Harness, handle: str) -> list[tuple[str, str]]:
    return [
        (e.phone_call["callStatus"]["id"], e.phone_call["processingStatus"]["id"])
        for e in h.call_events(handle)
    ]


async def test_dial_rings_and_is_answered(harness: Harness) -> None:
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    assert (leg.phase, leg.processing, leg.inbound) == (Phase.CREATED, 1, False)
    dialed = await tel.dialing.dial(LINES["A"], leg.handle, "+4930123")
    assert dialed == "+4930123"
    connected = await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.CONNECTED, "answer")
    assert connected.remote_numbers == ("+4930123",) and not connected.internal
    assert connected.trunk_id == "SIM" and connected.recording
    # ExtraDataWhenCallOut: FirstBName, SIP_CALL_ID (the dialled number names the B side).
    assert cad.value_of(connected.attached_data, OII, "FirstBName", 1 << 20) == "+4930123"
    assert cad.value_of(connected.attached_data, OII, "SIP_CALL_ID", 1 << 20)
    await harness.wait(lambda: len(statuses(harness, leg.handle)) >= 4, "events")
    assert statuses(harness, leg.handle) == [("1", "1"), ("103", "2"), ("104", "2"), ("101", "2")]
    await tel.endings.drop(LINES["A"], leg.handle)
    ended = await harness.leg(leg.handle)
    assert ended is not None and (ended.phase, ended.processing) == (Phase.ENDED, 3)


async def test_dial_refuses_other_characters(harness: Harness) -> None:
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    for number in ("+49 30 123", "030-123", "12a"):
        with pytest.raises(IciFault) as raised:
            await tel.dialing.dial(LINES["A"], leg.handle, number)
        assert raised.value.error is Errors.INVALID_PHONE_NUMBER
    still = await harness.leg(leg.handle)
    assert still is not None and still.phase is Phase.CREATED


async def test_remove_plus_prefix(harness: Harness) -> None:
    await harness.set_parameters(OII_RemovePlusPrefix="1")
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    assert await tel.dialing.dial(LINES["A"], leg.handle, "+4930123") == "004930123"
    # Internal numbers are dialled as they are.
    other = await tel.dialing.create(LINES["B"])
    assert await tel.dialing.dial(LINES["B"], other.handle, "+201") == "+201"


@pytest.mark.parametrize(("wrap_up_outbound", "processing"), [("0", "1"), ("1", "3")])
async def test_busy_number(harness: Harness, wrap_up_outbound: str, processing: str) -> None:
    await harness.set_parameters(OII_WrapUpOutbound=wrap_up_outbound)
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    await tel.dialing.dial(LINES["A"], leg.handle, "+4930555000")
    await harness.wait(lambda: ("4", processing) in statuses(harness, leg.handle), "ended")
    assert "105" not in [status for status, _ in statuses(harness, leg.handle)]


async def test_show_busy_status_then_ended(harness: Harness) -> None:
    await harness.set_parameters(OII_ShowBusyStatus="1", OII_BusyStatusDuration="200")
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    await tel.dialing.dial(LINES["A"], leg.handle, "+4930555000")
    await harness.wait(lambda: ("4", "1") in statuses(harness, leg.handle), "ended after busy")
    assert statuses(harness, leg.handle)[-2:] == [("105", "2"), ("4", "1")]
    assert await harness.leg(leg.handle) is None


async def test_no_answer_rings_until_dropped(harness: Harness) -> None:
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    await tel.dialing.dial(LINES["A"], leg.handle, "+4930555111")
    await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.RINGING, "ringing")
    await tel.endings.drop(LINES["A"], leg.handle)
    assert await harness.leg(leg.handle) is None  # never connected: no wrap-up
    assert statuses(harness, leg.handle)[-1] == ("4", "1")


async def test_remote_party_hangs_up_an_outbound_call(harness: Harness) -> None:
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    await tel.dialing.dial(LINES["A"], leg.handle, "+4930123")
    connected = await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.CONNECTED, "up")
    party = connected.peers[0].external
    assert await tel.endings.remote_hung_up(party)
    ended = await harness.leg(leg.handle)
    assert ended is not None and (ended.phase, ended.processing) == (Phase.ENDED, 3)


@pytest.mark.parametrize(("ignore", "alerted"), [("1", False), ("0", True)])
async def test_direct_agent_calls_and_ignore_oper_direct(
    harness: Harness, ignore: str, alerted: bool
) -> None:
    await harness.set_parameters(OII_IgnoreOperDirect=ignore)
    await harness.ready("A", "B", queues=())
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    await tel.dialing.dial(LINES["A"], leg.handle, LINES["B"])
    ringing = await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.RINGING, "ringing")
    assert ringing.remote_numbers == (LINES["B"],) and ringing.internal
    if alerted:
        callee = await harness.alerting_on("B")
        assert callee.inbound and callee.internal and callee.remote_numbers == (LINES["A"],)
        await tel.arrivals.accept(LINES["B"], callee.handle)
        await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.CONNECTED, "answered")
        await tel.endings.drop(LINES["B"], callee.handle)
        # An agent-to-agent call is not wrapped up: both items are gone.
        assert await harness.leg(callee.handle) is None
        assert await harness.leg(leg.handle) is None
    else:
        await harness.wait(lambda: True, "")
        assert await harness.on_line("B") == []
        await tel.endings.drop(LINES["A"], leg.handle)
        assert await harness.leg(leg.handle) is None


async def test_dialling_a_queue_routes_the_call(harness: Harness) -> None:
    await harness.ready("C", queues=("3001",))
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    await tel.dialing.dial(LINES["A"], leg.handle, "3001")
    callee = await harness.alerting_on("C")
    assert callee.remote_numbers == (LINES["A"],) and callee.internal
    await tel.arrivals.accept(LINES["C"], callee.handle)
    await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.CONNECTED, "answered")


async def test_own_line_and_unknown_line(harness: Harness) -> None:
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    with pytest.raises(IciFault) as raised:
        await tel.dialing.dial(LINES["A"], leg.handle, LINES["A"])
    assert raised.value.error is Errors.INVALID_ARGUMENT
    with pytest.raises(IciFault) as raised:
        tel.ctx.directory.known_line("+999")
    assert raised.value.error is Errors.UNKNOWN_PHONE_LINE
