"""Every status of 10.12.3 reached through real operations on the real engine; in each,
the call reports exactly the row's capability list, and every operation whose capability
is not in that list is a fault (NOT_ALLOWED_IN_STATUS) that changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from telephony_harness import LINES, Harness

from oii_shared.ici.schema import Interface
from oii_shared.ici.tables import PHONE_CALL_STATUSES, PhoneCallCapability, PhoneCallStatus
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.model import Leg, Origin, Phase, new_handle
from oii_telephony.calls.service import Telephony
from oii_telephony.calls.states import phone_call, status_of
from oii_telephony.handlers.items import call_item_handlers
from oii_telephony.handlers.phone_call import phone_call_handlers

CAD = '<ItemAttachedData><Application id="CRM"><X>1</X></Application></ItemAttachedData>'
Operation = Callable[[Telephony, str, str], Awaitable[object]]

OPERATIONS: dict[PhoneCallCapability, Operation] = {
    PhoneCallCapability.ACCEPT: lambda t, line, h: t.arrivals.accept(line, h),
    PhoneCallCapability.REROUTE: lambda t, line, h: t.arrivals.reroute(line, h),
    PhoneCallCapability.FORWARD: lambda t, line, h: t.forwarding.forward(h, line, "12", "3001"),
    PhoneCallCapability.WRAP_UP_REQUIRED: lambda t, line, h: t.endings.wrap_up_required(h),
    PhoneCallCapability.WRAP_UP_ENDED: lambda t, line, h: t.endings.wrap_up_ended(h),
    PhoneCallCapability.GET_ATTACHED_DATA: lambda t, line, h: t.attached.get(h),
    PhoneCallCapability.SET_ATTACHED_DATA: lambda t, line, h: t.attached.set(h, CAD),
    PhoneCallCapability.DELETE_ATTACHED_DATA: lambda t, line, h: t.attached.delete(h),
    PhoneCallCapability.DIAL: lambda t, line, h: t.dialing.dial(line, h, "+4930777"),
    PhoneCallCapability.DROP: lambda t, line, h: t.endings.drop(line, h),
    PhoneCallCapability.CONSULT: lambda t, line, h: t.dialing.consult(line, h, h, "+4930777", 1),
    PhoneCallCapability.TRANSFER: lambda t, line, h: t.bridging.transfer(line, h, h),
    PhoneCallCapability.CONFERENCE: lambda t, line, h: t.bridging.conference(line, h, h),
    PhoneCallCapability.DROP_PARTY: lambda t, line, h: t.bridging.drop_party(line, h, "+1"),
    PhoneCallCapability.HOLD: lambda t, line, h: t.bridging.hold(line, h),
    PhoneCallCapability.UNHOLD: lambda t, line, h: t.bridging.unhold(line, h),
    PhoneCallCapability.ALTERNATE: lambda t, line, h: t.bridging.alternate(line, h, h),
    PhoneCallCapability.RECONNECT: lambda t, line, h: t.bridging.reconnect(line, h, h),
}
# Item operations name no line: they meet the capability gate even for a call on no line.
ITEM_ONLY = {
    PhoneCallCapability.WRAP_UP_REQUIRED,
    PhoneCallCapability.WRAP_UP_ENDED,
    PhoneCallCapability.GET_ATTACHED_DATA,
    PhoneCallCapability.SET_ATTACHED_DATA,
    PhoneCallCapability.DELETE_ATTACHED_DATA,
}


async def connected_customer(h: Harness, name: str) -> Leg:
    await h.ready(name, queues=())
    leg = await h.telephony.arrivals.incoming("0301234", LINES[name])
    await h.alerting_on(name)
    await h.telephony.arrivals.accept(LINES[name], leg.handle)
    return await h.wait_leg(leg.handle, lambda c: c.phase is Phase.CONNECTED, "connected")


async def placed(h: Harness, phase: Phase) -> Leg:
    """A leg put straight into a phase the network passes through too fast to catch."""
    leg = Leg(
        handle=new_handle(),
        origin=Origin.CALLBACK if phase is Phase.IDLE else Origin.OUTBOUND,
        phase=phase,
        processing=1 if phase is Phase.IDLE else 2,
        inbound=False,
        line=LINES["A"],
        user_id="A",
    )
    return await h.telephony.ctx.core.add(leg)


async def internal_call(h: Harness) -> tuple[Leg, Leg]:
    """A on the phone with B; B's leg first."""
    await h.set_parameters(OII_IgnoreOperDirect="0")
    await h.ready("A", "B", queues=())
    caller = await h.telephony.dialing.create(LINES["A"])
    await h.telephony.dialing.dial(LINES["A"], caller.handle, LINES["B"])
    callee = await h.alerting_on("B")
    await h.telephony.arrivals.accept(LINES["B"], callee.handle)
    await h.wait_leg(caller.handle, lambda c: c.phase is Phase.CONNECTED, "connected")
    return callee, caller


async def conference(h: Harness) -> tuple[Leg, Leg]:
    """A's customer call and B in a conference A made; A's leg first."""
    customer = await connected_customer(h, "A")
    await h.ready("B", queues=())
    consult = await h.telephony.dialing.create(LINES["A"])
    await h.telephony.dialing.consult(LINES["A"], consult.handle, customer.handle, LINES["B"], 3)
    b_leg = await h.alerting_on("B")
    await h.telephony.arrivals.accept(LINES["B"], b_leg.handle)
    await h.wait_leg(consult.handle, lambda c: c.phase is Phase.CONNECTED, "consult connected")
    await h.telephony.bridging.conference(LINES["A"], consult.handle, customer.handle)
    return customer, b_leg


async def reach(h: Harness, status: PhoneCallStatus) -> Leg:
    tel = h.telephony
    if status is PhoneCallStatus.CREATED:
        return await tel.dialing.create(LINES["A"])
    if status is PhoneCallStatus.NEW:
        return await tel.arrivals.incoming("0301", "3001")
    if status is PhoneCallStatus.ALERTING:
        await h.ready("A", queues=())
        await tel.arrivals.incoming("0301", LINES["A"])
        return await h.alerting_on("A")
    if status is PhoneCallStatus.ENDED:
        leg = await connected_customer(h, "A")
        await tel.endings.drop(LINES["A"], leg.handle)
        return leg
    if status is PhoneCallStatus.CONNECTED:
        return await connected_customer(h, "A")
    if status in (PhoneCallStatus.IDLE, PhoneCallStatus.DIALING):
        return await placed(h, Phase.IDLE if status is PhoneCallStatus.IDLE else Phase.DIALING)
    if status is PhoneCallStatus.RINGING:
        leg = await tel.dialing.create(LINES["A"])
        await tel.dialing.dial(LINES["A"], leg.handle, "+4930555111")  # no answer
        return leg
    if status is PhoneCallStatus.BUSY:
        await h.set_parameters(OII_ShowBusyStatus="1", OII_BusyStatusDuration="60000")
        leg = await tel.dialing.create(LINES["A"])
        await tel.dialing.dial(LINES["A"], leg.handle, "+4930555000")  # busy
        return leg
    if status is PhoneCallStatus.HOLD:
        leg = await connected_customer(h, "A")
        await tel.bridging.hold(LINES["A"], leg.handle)
        return leg
    if status is PhoneCallStatus.HELD:
        callee, caller = await internal_call(h)
        await tel.bridging.hold(LINES["B"], callee.handle)
        return caller
    if status is PhoneCallStatus.CONFERENCE_OWNER:
        return (await conference(h))[0]
    if status is PhoneCallStatus.CONFERENCE_PARTICIPANT:
        return (await conference(h))[1]
    raise AssertionError(f"no way to {status}")


REACHABLE = [
    pytest.param(status, id=f"{status.value}-{status.name}")
    for status in PhoneCallStatus
    if status is not PhoneCallStatus.LISTENED
]


@pytest.mark.parametrize("status", REACHABLE)
async def test_status_row_on_the_engine(harness: Harness, status: PhoneCallStatus) -> None:
    tel = harness.telephony
    reached = await reach(harness, status)
    leg = await harness.wait_leg(
        reached.handle, lambda c: status_of(c) is status, f"status {status.value}"
    )
    element = phone_call(leg)
    row = PHONE_CALL_STATUSES[status.value]
    assert element["callStatus"]["id"] == str(status.value)
    assert element["capabilityList"] == list(row.capabilities)
    line = leg.line or LINES["A"]
    for capability, operation in OPERATIONS.items():
        if capability.value in row.capabilities:
            continue
        with pytest.raises(IciFault) as raised:
            await operation(tel, line, leg.handle)
        expected = Errors.NOT_ALLOWED_IN_STATUS
        if not leg.line and capability not in ITEM_ONLY:
            expected = Errors.CALL_NOT_ON_LINE  # a waiting call is on no line (status New)
        assert raised.value.error is expected, (capability, raised.value)
    after = await harness.leg(leg.handle)
    assert after is not None and after.version == leg.version, "a refused operation changed it"


async def test_every_telephony_operation_but_listen_has_a_handler(harness: Harness) -> None:
    """7.1: listen and listenEnd are not implemented, so they answer "not supported yet"."""
    names = {name for (_, name) in phone_call_handlers(harness.telephony)}
    assert "listen" not in names and "listenEnd" not in names
    assert len(names) == 11
    items = {name for (interface, name) in call_item_handlers(harness.telephony)}
    assert all(
        interface is Interface.ITEM for interface, _ in call_item_handlers(harness.telephony)
    )
    assert len(items) == 9
