"""Two calls of a line on the real engine: consult, transfer, conference, dropParty, hold,
alternate, reconnect; and IciItem.forward. Both parties of internal calls are checked."""

from __future__ import annotations

import pytest
from telephony_harness import LINES, Harness

from oii_shared.ici.tables import PhoneCallCapability, PhoneCallStatus
from oii_shared.items import cad
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.model import Leg, Phase
from oii_telephony.calls.states import phone_call, status_of

LIMIT = 1 << 20
OII = "SAP_BCM/OII"
CRM_CAD = (
    '<ItemAttachedData><Application id="CRM_IC/BUPA"><CURRENTCUSTOMER>42</CURRENTCUSTOMER>'
    "</Application></ItemAttachedData>"
)


async def customer_on(h: Harness, name: str) -> Leg:
    await h.ready(name, queues=())
    leg = await h.telephony.arrivals.incoming("0301234", LINES[name])
    await h.alerting_on(name)
    await h.telephony.arrivals.accept(LINES[name], leg.handle)
    return await h.wait_leg(leg.handle, lambda c: c.phase is Phase.CONNECTED, "connected")


async def consulted(h: Harness, held: Leg, target: str, next_step: int = 1) -> tuple[Leg, Leg]:
    """A consults ``target`` about ``held``: (A's consultation leg, target's leg), connected."""
    await h.ready(target, queues=())
    consult = await h.telephony.dialing.create(LINES["A"])
    await h.telephony.dialing.consult(
        LINES["A"], consult.handle, held.handle, LINES[target], next_step
    )
    callee = await h.alerting_on(target)
    await h.telephony.arrivals.accept(LINES[target], callee.handle)
    consult = await h.wait_leg(consult.handle, lambda c: c.phase is Phase.CONNECTED, "connected")
    return consult, callee


async def status(h: Harness, handle: str) -> PhoneCallStatus | None:
    leg = await h.leg(handle)
    return status_of(leg) if leg is not None else None


@pytest.mark.parametrize(("set_extra_data", "cad_follows"), [("1", True), ("0", False)])
async def test_consult_then_transfer(
    harness: Harness, set_extra_data: str, cad_follows: bool
) -> None:
    await harness.set_parameters(OII_SetExtraData=set_extra_data)
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    await tel.attached.set(customer.handle, CRM_CAD)
    consult, callee = await consulted(harness, customer, "B", next_step=2)
    assert await status(harness, customer.handle) is PhoneCallStatus.HOLD
    consulting = await harness.leg(consult.handle)
    assert consulting is not None and consulting.consult_for == customer.handle
    assert consulting.next_step == 2 and consulting.remote_numbers == (LINES["B"],)
    assert callee.remote_numbers == (LINES["A"],) and callee.internal
    # The consulted agent sees the CRM data at once only with OII.SetExtraData=1.
    has_crm = cad.value_of(callee.attached_data, "CRM_IC/BUPA", "CURRENTCUSTOMER", LIMIT)
    assert (has_crm == "42") is cad_follows

    await tel.bridging.transfer(LINES["A"], consult.handle, customer.handle)
    took_over = await harness.wait_leg(
        callee.handle, lambda c: c.remote_numbers == ("+49301234",), "B talks to the customer"
    )
    assert status_of(took_over) is PhoneCallStatus.CONNECTED and not took_over.internal
    # At the transfer the CAD reaches B whatever OII.SetExtraData says (ExtraDataWhenJoin).
    assert cad.value_of(took_over.attached_data, "CRM_IC/BUPA", "CURRENTCUSTOMER", LIMIT) == "42"
    assert cad.value_of(took_over.attached_data, OII, "FirstBName", LIMIT)
    # A: the customer call wraps up, the consultation ends without.
    held = await harness.leg(customer.handle)
    assert held is not None and (held.phase, held.processing) == (Phase.ENDED, 3)
    assert await harness.leg(consult.handle) is None
    # The customer hanging up now ends B's call.
    assert await tel.endings.remote_hung_up(customer.handle)
    over = await harness.leg(callee.handle)
    assert over is not None and (over.phase, over.processing) == (Phase.ENDED, 3)


async def test_transfer_and_end(harness: Harness) -> None:
    await harness.set_parameters(OII_TransferAndEnd="1")
    customer = await customer_on(harness, "A")
    consult, _ = await consulted(harness, customer, "B")
    await harness.telephony.bridging.transfer(LINES["A"], consult.handle, customer.handle)
    assert await harness.leg(customer.handle) is None  # Not in process / Ended at once


async def test_consult_then_conference_then_drop_party(harness: Harness) -> None:
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    consult, callee = await consulted(harness, customer, "B", next_step=3)
    await tel.bridging.conference(LINES["A"], consult.handle, customer.handle)
    owner = await harness.wait_leg(
        customer.handle, lambda c: status_of(c) is PhoneCallStatus.CONFERENCE_OWNER, "owner"
    )
    assert set(owner.remote_numbers) == {"+49301234", LINES["B"]}
    participant = await harness.wait_leg(
        callee.handle,
        lambda c: status_of(c) is PhoneCallStatus.CONFERENCE_PARTICIPANT,
        "participant",
    )
    assert participant.remote_numbers == (LINES["A"], "+49301234")
    assert await harness.leg(consult.handle) is None  # merged into the conference
    # The owner puts the conference on hold: the participant is held.
    await tel.bridging.hold(LINES["A"], customer.handle)
    assert await status(harness, callee.handle) is PhoneCallStatus.HELD
    await tel.bridging.unhold(LINES["A"], customer.handle)
    assert await status(harness, customer.handle) is PhoneCallStatus.CONFERENCE_OWNER
    assert await status(harness, callee.handle) is PhoneCallStatus.CONFERENCE_PARTICIPANT
    with pytest.raises(IciFault) as raised:
        await tel.bridging.drop_party(LINES["A"], customer.handle, "+999")
    assert raised.value.error is Errors.INVALID_ARGUMENT

    await tel.bridging.drop_party(LINES["A"], customer.handle, LINES["B"])
    assert await harness.leg(callee.handle) is None  # B's internal call: no wrap-up
    back = await harness.leg(customer.handle)
    assert back is not None and status_of(back) is PhoneCallStatus.CONNECTED
    assert back.remote_numbers == ("+49301234",)


async def test_dropping_the_customer_from_a_conference(harness: Harness) -> None:
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    consult, callee = await consulted(harness, customer, "B")
    await tel.bridging.conference(LINES["A"], consult.handle, customer.handle)
    await harness.wait_leg(callee.handle, lambda c: c.role == "participant", "participant")
    await tel.bridging.drop_party(LINES["A"], customer.handle, "+49301234")
    owner = await harness.wait_leg(customer.handle, lambda c: c.role == "none", "no conference")
    assert status_of(owner) is PhoneCallStatus.CONNECTED and owner.remote_numbers == (LINES["B"],)
    b = await harness.wait_leg(callee.handle, lambda c: c.role == "none", "B back to a call")
    assert status_of(b) is PhoneCallStatus.CONNECTED and b.remote_numbers == (LINES["A"],)


async def test_conference_owner_leaves_and_the_others_talk_on(harness: Harness) -> None:
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    consult, callee = await consulted(harness, customer, "B")
    await tel.bridging.conference(LINES["A"], consult.handle, customer.handle)
    await harness.wait_leg(callee.handle, lambda c: c.role == "participant", "participant")
    await tel.endings.drop(LINES["A"], customer.handle)
    b = await harness.wait_leg(
        callee.handle, lambda c: c.remote_numbers == ("+49301234",), "B with the customer"
    )
    assert status_of(b) is PhoneCallStatus.CONNECTED


async def test_a_held_conference_is_transferred_to_the_consulted_party(harness: Harness) -> None:
    """Hold (106) lists transfer (104) for a held conference too: the owner leaves, the
    consulted agent joins the conference's other parties."""
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    consult, b_leg = await consulted(harness, customer, "B")
    await tel.bridging.conference(LINES["A"], consult.handle, customer.handle)
    await harness.wait_leg(b_leg.handle, lambda c: c.role == "participant", "participant")
    await tel.bridging.hold(LINES["A"], customer.handle)
    held = await harness.leg(customer.handle)
    assert held is not None and status_of(held) is PhoneCallStatus.HOLD
    assert PhoneCallCapability.TRANSFER.value in phone_call(held)["capabilityList"]
    second, c_leg = await consulted(harness, held, "C")

    await tel.bridging.transfer(LINES["A"], second.handle, customer.handle)
    b = await harness.wait_leg(
        b_leg.handle, lambda c: status_of(c) is PhoneCallStatus.CONFERENCE_OWNER, "B hosts"
    )
    assert set(b.remote_numbers) == {"+49301234", LINES["C"]}
    c = await harness.wait_leg(
        c_leg.handle, lambda c: status_of(c) is PhoneCallStatus.CONFERENCE_PARTICIPANT, "C joins"
    )
    assert set(c.remote_numbers) == {LINES["B"], "+49301234"}
    # A left both calls: the conference wraps up, the consultation is gone.
    assert [(leg.handle, leg.phase) for leg in await harness.on_line("A")] == [
        (customer.handle, Phase.ENDED)
    ]
    assert await harness.leg(second.handle) is None
    # The customer now talks to B's leg: hanging up leaves B and C in a two-party call.
    assert await tel.endings.remote_hung_up(customer.handle)
    b = await harness.wait_leg(b_leg.handle, lambda c: c.role == "none", "B talks to C")
    assert status_of(b) is PhoneCallStatus.CONNECTED and b.remote_numbers == (LINES["C"],)


async def test_a_participant_on_hold_transfers_its_place(harness: Harness) -> None:
    """A participant's Hold (106) also lists transfer: the consulted agent takes its place."""
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    consult, b_leg = await consulted(harness, customer, "B")
    await tel.bridging.conference(LINES["A"], consult.handle, customer.handle)
    await harness.wait_leg(b_leg.handle, lambda c: c.role == "participant", "participant")
    await tel.bridging.hold(LINES["B"], b_leg.handle)
    await harness.ready("D", queues=())
    b_consult = await tel.dialing.create(LINES["B"])
    await tel.dialing.consult(LINES["B"], b_consult.handle, b_leg.handle, LINES["D"], 1)
    d_leg = await harness.alerting_on("D")
    await tel.arrivals.accept(LINES["D"], d_leg.handle)
    await harness.wait_leg(b_consult.handle, lambda c: c.phase is Phase.CONNECTED, "connected")

    await tel.bridging.transfer(LINES["B"], b_consult.handle, b_leg.handle)
    owner = await harness.wait_leg(
        customer.handle, lambda c: set(c.remote_numbers) == {"+49301234", LINES["D"]}, "D in"
    )
    assert status_of(owner) is PhoneCallStatus.CONFERENCE_OWNER
    d = await harness.wait_leg(
        d_leg.handle, lambda c: status_of(c) is PhoneCallStatus.CONFERENCE_PARTICIPANT, "D joins"
    )
    assert d.remote_numbers == (LINES["A"], "+49301234")
    assert await harness.leg(b_consult.handle) is None


async def test_hold_unhold_alternate_reconnect(harness: Harness) -> None:
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    await tel.bridging.hold(LINES["A"], customer.handle)
    assert await status(harness, customer.handle) is PhoneCallStatus.HOLD
    with pytest.raises(IciFault):
        await tel.bridging.hold(LINES["A"], customer.handle)
    await tel.bridging.unhold(LINES["A"], customer.handle)
    assert await status(harness, customer.handle) is PhoneCallStatus.CONNECTED

    consult, callee = await consulted(harness, customer, "B")
    await tel.bridging.alternate(LINES["A"], consult.handle, customer.handle)
    assert await status(harness, consult.handle) is PhoneCallStatus.HOLD
    assert await status(harness, callee.handle) is PhoneCallStatus.HELD  # B sees A's hold
    assert await status(harness, customer.handle) is PhoneCallStatus.CONNECTED
    # Wrong roles are refused: the held call must be the held one.
    with pytest.raises(IciFault) as raised:
        await tel.bridging.alternate(LINES["A"], consult.handle, customer.handle)
    assert raised.value.error is Errors.NOT_ALLOWED_IN_STATUS
    await tel.bridging.alternate(LINES["A"], customer.handle, consult.handle)
    assert await status(harness, callee.handle) is PhoneCallStatus.CONNECTED

    await tel.bridging.reconnect(LINES["A"], consult.handle, customer.handle)
    assert await harness.leg(consult.handle) is None
    assert await harness.leg(callee.handle) is None
    assert await status(harness, customer.handle) is PhoneCallStatus.CONNECTED


async def test_consult_to_the_network(harness: Harness) -> None:
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    consult = await tel.dialing.create(LINES["A"])
    await tel.dialing.consult(LINES["A"], consult.handle, customer.handle, "+4930999", 4)
    await harness.wait_leg(consult.handle, lambda c: c.phase is Phase.CONNECTED, "answered")
    await tel.bridging.transfer(LINES["A"], consult.handle, customer.handle)
    # Both parties are outside: the call leaves the contact center, A wraps up.
    held = await harness.leg(customer.handle)
    assert held is not None and held.processing == 3
    assert not await tel.endings.remote_hung_up(customer.handle)


@pytest.mark.parametrize(("forward_and_end", "processing"), [("0", 3), ("1", None)])
async def test_forward_to_a_line(
    harness: Harness, forward_and_end: str, processing: int | None
) -> None:
    await harness.set_parameters(OII_ForwardAndEnd=forward_and_end)
    tel = harness.telephony
    customer = await customer_on(harness, "A")
    await harness.ready("C", queues=())
    await tel.forwarding.forward(customer.handle, LINES["A"], "1", LINES["C"])
    forwarded = await harness.alerting_on("C")
    assert forwarded.handle != customer.handle and forwarded.remote_numbers == ("+49301234",)
    assert not forwarded.internal
    left = await harness.leg(customer.handle)
    assert (left.processing if left is not None else None) == processing
    await tel.arrivals.accept(LINES["C"], forwarded.handle)
    assert await tel.endings.remote_hung_up(customer.handle)  # the customer's original id
    over = await harness.leg(forwarded.handle)
    assert over is not None and over.processing == 3


async def test_forward_to_a_queue_and_while_alerting(harness: Harness) -> None:
    tel = harness.telephony
    await harness.ready("A", queues=("3001",))
    leg = await tel.arrivals.incoming("0301", "3001")
    await harness.alerting_on("A")
    await harness.ready("B", queues=("3002",), idle_since=1.0)  # 3002 needs German: A, B
    await tel.forwarding.forward(leg.handle, LINES["A"], "12", "3002")
    assert await harness.leg(leg.handle) is None  # only alerting: no wrap-up
    moved = await harness.alerting_on("B")
    assert cad.value_of(moved.attached_data, OII, "FirstBName", LIMIT) == "Sales"
    assert moved.queue == "3002" and moved.orig_queue == "3001"
    for dest_type, destination, error in (
        ("12", "9999", Errors.UNKNOWN_QUEUE),
        ("1", "+999", Errors.UNKNOWN_PHONE_LINE),
        ("2", "inbox", Errors.INVALID_ARGUMENT),
    ):
        with pytest.raises(IciFault) as raised:
            await tel.forwarding.forward(moved.handle, LINES["B"], dest_type, destination)
        assert raised.value.error is error


async def test_knocking_call_waits_for_a_busy_agent(harness: Harness) -> None:
    tel = harness.telephony
    first = await customer_on(harness, "A")
    second = await tel.arrivals.incoming("0302", LINES["A"])
    waiting = await harness.leg(second.handle)
    assert waiting is not None and waiting.phase is Phase.NEW  # not shown in ICI (7.4)
    assert [leg.handle for leg in await harness.on_line("A")] == [first.handle]
    assert await tel.endings.remote_hung_up(first.handle)
    await tel.endings.wrap_up_ended(first.handle)
    alerted = await harness.alerting_on("A")
    assert alerted.handle == second.handle
