"""Parameters and features on the real engine: requested wrap-up, multi-session, Afterwork,
attached data, call recordings, login drop, dropCalls, callbacks, and two engines racing."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlmodel import col, select
from telephony_harness import LINES, Harness, another_engine

from oii_shared.agents.state import ContactState
from oii_shared.bus.ici_events import ContainerChanged
from oii_shared.configuration import CONFIG_CHANGED_SUBJECT
from oii_shared.db.engine import session_factory
from oii_shared.db.models import CallRecording, User
from oii_shared.items import cad
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.callback_port import CallbackOutcome, DueCallback
from oii_telephony.calls.callback_calls import report_outcomes
from oii_telephony.calls.model import Leg, Phase
from oii_telephony.commands import DROP_CALLS_SUBJECT

LIMIT = 1 << 20
OII = "SAP_BCM/OII"


async def customer_on(h: Harness, name: str) -> Leg:
    await h.ready(name, queues=())
    leg = await h.telephony.arrivals.incoming("0301234", LINES[name])
    await h.alerting_on(name)
    await h.telephony.arrivals.accept(LINES[name], leg.handle)
    return await h.wait_leg(leg.handle, lambda c: c.phase is Phase.CONNECTED, "connected")


@pytest.mark.parametrize("required", [False, True])
async def test_requested_wrap_up(harness: Harness, required: bool) -> None:
    await harness.set_parameters(OII_RequestedWrapUp="1")
    tel = harness.telephony
    leg = await customer_on(harness, "A")
    if required:
        await tel.endings.wrap_up_required(leg.handle)
    await tel.endings.drop(LINES["A"], leg.handle)
    after = await harness.leg(leg.handle)
    if required:
        assert after is not None and after.processing == 3
        with pytest.raises(IciFault) as raised:
            await tel.endings.wrap_up_required(leg.handle)  # Ended offers only 5
        assert raised.value.error is Errors.NOT_ALLOWED_IN_STATUS
    else:
        assert after is None


@pytest.mark.parametrize(("multi", "second_alerts"), [("0", False), ("1", True)])
async def test_phone_multi_session(harness: Harness, multi: str, second_alerts: bool) -> None:
    await harness.set_parameters(OII_PhoneMultiSession=multi)
    tel = harness.telephony
    await harness.ready("A", queues=("3001",))
    first = await tel.arrivals.incoming("0301", "3001")
    await harness.alerting_on("A")
    await tel.arrivals.accept(LINES["A"], first.handle)
    await tel.endings.drop(LINES["A"], first.handle)  # in wrap-up now
    second = await tel.arrivals.incoming("0302", "3001")
    if second_alerts:
        alerted = await harness.alerting_on("A")
        assert alerted.handle == second.handle
    else:
        await asyncio.sleep(0.3)
        waiting = await harness.leg(second.handle)
        assert waiting is not None and waiting.phase is Phase.NEW
        await tel.endings.wrap_up_ended(first.handle)
        assert (await harness.alerting_on("A")).handle == second.handle


@pytest.mark.parametrize(
    ("afterwork", "state"), [("1", ContactState.WRAP_UP), ("0", ContactState.ACTIVE)]
)
async def test_afterwork_or_paperwork(
    harness: Harness, afterwork: str, state: ContactState
) -> None:
    await harness.set_parameters(OII_Afterwork=afterwork)
    leg = await customer_on(harness, "A")
    await harness.telephony.endings.drop(LINES["A"], leg.handle)
    agent = await harness.agent("A")
    assert agent is not None and [c.state for c in agent.contacts] == [state]


async def test_attached_data_operations(harness: Harness) -> None:
    tel = harness.telephony
    leg = await tel.dialing.create(LINES["A"])
    assert await tel.attached.get(leg.handle) == ""
    await tel.attached.set(
        leg.handle,
        '<ItemAttachedData><Application id="IVR"><M>1</M></Application></ItemAttachedData>',
    )
    await tel.attached.set(
        leg.handle,
        '<ItemAttachedData><Application id="SAP-IC"><C>2</C></Application></ItemAttachedData>',
    )
    document = await tel.attached.get(leg.handle)
    assert cad.value_of(document, "IVR", "M", LIMIT) == "1"
    assert cad.value_of(document, "SAP-IC", "C", LIMIT) == "2"
    with pytest.raises(IciFault) as raised:
        await tel.attached.set(leg.handle, "<ItemAttachedData>")
    assert raised.value.error is Errors.INVALID_ARGUMENT
    assert await tel.attached.get(leg.handle) == document
    await tel.attached.delete(leg.handle)
    assert await tel.attached.get(leg.handle) == ""
    with pytest.raises(IciFault) as raised:
        await tel.attached.get("0" * 32)
    assert raised.value.error is Errors.UNKNOWN_ITEM


async def test_inbound_cad_keys(harness: Harness) -> None:
    await harness.set_parameters(
        ExtraDataWhenAllocated="XML,FirstBName,FirstBNumber,BNumberName,OrigQueue,GUID,CALL_ID,"
        "FirstANumber,SIP_CALL_ID,IVRInfo"
    )
    leg = await harness.telephony.arrivals.incoming("0301234", "3001")
    values = {
        key: cad.value_of(leg.attached_data, OII, key, LIMIT)
        for key in ("FirstBName", "FirstBNumber", "BNumberName", "OrigQueue", "GUID", "CALL_ID",
                    "FirstANumber", "SIP_CALL_ID", "IVRInfo")
    }  # fmt: skip
    assert values["FirstBName"] == "Sales" and values["FirstBNumber"] == "3001"
    assert values["BNumberName"] == "3001" and values["OrigQueue"] == "3001"
    assert values["GUID"] is not None and values["GUID"].replace("-", "") == leg.handle
    assert values["CALL_ID"] == "CI_1L" and values["FirstANumber"] == "+49301234"
    assert values["SIP_CALL_ID"] and values["IVRInfo"] is None
    other = await harness.telephony.arrivals.incoming("0301234", "3001")
    assert cad.value_of(other.attached_data, OII, "CALL_ID", LIMIT) == "CI_2L"


async def test_recording_in_a_separate_event_and_in_the_log(harness: Harness) -> None:
    await harness.set_parameters(OII_CallRecordingCad="1", OII_CADApplicationID="CRM_IC/BUPA")
    leg = await customer_on(harness, "A")
    await harness.wait(
        lambda: any("CallRecording" in e.phone_call["attachedData"]
                    for e in harness.call_events(leg.handle)), "the recording event",
    )  # fmt: skip
    events = harness.call_events(leg.handle)
    connected = [e for e in events if e.phone_call["callStatus"]["id"] == "101"]
    assert "CallRecording" not in connected[0].phone_call["attachedData"]
    assert "CallRecording" in connected[1].phone_call["attachedData"]
    current = await harness.leg(leg.handle)
    assert current is not None
    name = cad.value_of(current.attached_data, "CRM_IC/BUPA", "CallRecording", LIMIT)
    assert name == current.recording and name.endswith(f"_SSR_Cr_{leg.handle}.wav")
    await harness.telephony.endings.drop(LINES["A"], leg.handle)

    async def logged() -> list[CallRecording]:
        # The log is written off the drop's path, a moment later.
        async with session_factory(harness.infra.engine)() as session:
            query = select(CallRecording).where(col(CallRecording.call_handle) == leg.handle)
            return list((await session.exec(query)).all())

    rows = await harness.wait(logged, "the recording in the log")
    assert [(r.user_id, r.line, r.remote_number, r.direction, r.file_name) for r in rows] == [
        ("A", LINES["A"], "+49301234", "inbound", name)
    ]
    assert rows[0].start_time is not None and rows[0].end_time is not None


async def test_login_drop_and_drop_calls(harness: Harness) -> None:
    tel = harness.telephony
    talking = await customer_on(harness, "A")
    created = await tel.dialing.create(LINES["A"])
    # dropCalls disconnects; the customer call wraps up.
    await tel.endings.drop_calls(LINES["A"], tel.arrivals.give_back, end_wrap_up=False)
    assert (await harness.leg(talking.handle)).processing == 3  # type: ignore[union-attr]
    assert await harness.leg(created.handle) is None
    # A new login also ends the wrap-up, and an alerting queue call goes back to its queue.
    await harness.ready("A", queues=("3001",))
    queued = await tel.arrivals.incoming("0309", "3001")
    await harness.alerting_on("A")
    await harness.ready("B", queues=())
    assert await tel.drop_user_calls("a") == 2
    assert await harness.on_line("A") == []
    back = await harness.leg(queued.handle)
    assert back is not None and back.phase in (Phase.NEW, Phase.ALERTING)
    assert await tel.drop_user_calls("nobody") == 0


async def test_a_created_call_is_the_agents_contact_and_takes_no_room(harness: Harness) -> None:
    """Every call on a line is a contact of its agent (a new login drops them only when
    there is one); a call created and not dialled yet leaves room for a queue call."""
    tel = harness.telephony
    await harness.ready("A", queues=("3001",))
    created = await tel.dialing.create(LINES["A"])
    agent = await harness.agent("A")
    assert agent is not None
    assert [(c.item_id, c.state) for c in agent.contacts] == [
        (created.handle, ContactState.CREATED)
    ]
    queued = await tel.arrivals.incoming("0309", "3001")
    assert (await harness.alerting_on("A")).handle == queued.handle
    await tel.dialing.dial(LINES["A"], created.handle, "+4930123")
    dialled = await harness.agent("A")
    assert dialled is not None and {(c.item_id, c.state) for c in dialled.contacts} == {
        (created.handle, ContactState.ACTIVE),
        (queued.handle, ContactState.ALERTING),
    }


class Results:
    def __init__(self) -> None:
        self.reports: list[tuple[str, CallbackOutcome]] = []

    async def report(self, callback_id: str, outcome: CallbackOutcome) -> None:
        self.reports.append((callback_id, outcome))


@pytest.mark.parametrize(
    ("number", "outcome"),
    [("+4930123", CallbackOutcome.CONNECTED), ("+4930555000", CallbackOutcome.FAILED)],
)
async def test_callback_is_dialled_for_the_agent(
    harness: Harness, number: str, outcome: CallbackOutcome
) -> None:
    tel = harness.telephony
    results = Results()
    tel.ctx.core.listen(report_outcomes(results))
    cad_text = '<ItemAttachedData><Application id="SAP_BCM/OII"><Topic>x</Topic></Application></ItemAttachedData>'  # noqa: E501
    await tel.callbacks.offer_callback(
        DueCallback("cb-1", "3001", number, priority=5, attached_data=cad_text)
    )
    await harness.ready("C", queues=("3001",))
    call = await harness.wait(lambda: _first(harness.on_line("C")), "the callback call on C's line")
    assert call.callback_id == "cb-1" and not call.inbound and call.dialed_number == number
    assert cad.value_of(call.attached_data, OII, "Topic", LIMIT) == "x"
    await harness.wait(lambda: results.reports == [("cb-1", outcome)], f"reported {outcome}")
    statuses = [e.phone_call["callStatus"]["id"] for e in harness.call_events(call.handle)]
    assert statuses[:2] == ["102", "103"]  # Idle, then dialled by the contact center


async def _first(coroutine: object) -> Leg | None:
    legs = await coroutine  # type: ignore[misc]
    return legs[0] if legs else None


async def test_two_engines_never_double_alert(harness: Harness) -> None:
    """A second telephony composition on the same NATS and database races the first."""
    async with another_engine(harness, "telephony-2") as other:
        engines = (harness.telephony, other)
        await harness.ready("A", "B", "C", queues=("3001",))
        legs = await asyncio.gather(
            *(engines[i % 2].arrivals.incoming(f"030{i}", "3001") for i in range(8))
        )
        for name in "ABC":
            await harness.wait(
                lambda name=name: _alerting(harness, name), f"one call alerting on {name}"
            )
        await asyncio.sleep(0.5)
        for name in "ABC":
            agent = await harness.agent(name)
            assert agent is not None and len(agent.contacts) == 1, agent
            assert len([leg for leg in await harness.on_line(name) if leg.phase == "alerting"]) == 1
        waiting = [await harness.leg(leg.handle) for leg in legs]
        assert sum(1 for leg in waiting if leg is not None and leg.phase is Phase.NEW) == 5


async def _alerting(h: Harness, name: str) -> bool:
    return any(leg.phase is Phase.ALERTING for leg in await h.on_line(name))


async def test_drop_calls_command_over_nats(harness: Harness) -> None:
    """The gateway's login asks telephony to drop the user's calls (OII.LoginDropCalls)."""
    created = await harness.telephony.dialing.create(LINES["B"])
    nats = harness.infra.nats
    reply = await nats.request(DROP_CALLS_SUBJECT, json.dumps({"user_id": "b"}).encode(), 5)
    assert json.loads(reply.data) == {"dropped": 1}
    assert await harness.leg(created.handle) is None
    reply = await nats.request(DROP_CALLS_SUBJECT, b"{not json", 5)
    assert "error" in json.loads(reply.data)
    reply = await nats.request(DROP_CALLS_SUBJECT, json.dumps({"user": "b"}).encode(), 5)
    assert "error" in json.loads(reply.data)


async def test_lines_that_come_and_go_are_announced(harness: Harness) -> None:
    async with session_factory(harness.infra.engine)() as session, session.begin():
        session.add(User(id="G", key="g", phone="+207"))
    await harness.infra.nats.publish(CONFIG_CHANGED_SUBJECT, b"")

    def changes() -> list[tuple[str, str]]:
        return [
            (event.container_id, event.status["id"])
            for event in harness.events
            if isinstance(event, ContainerChanged)
        ]

    await harness.wait(lambda: changes() == [("+207", "1")], "line +207 OK")
    async with session_factory(harness.infra.engine)() as session, session.begin():
        user = await session.get(User, "G")
        assert user is not None
        await session.delete(user)
    await harness.infra.nats.publish(CONFIG_CHANGED_SUBJECT, b"")
    await harness.wait(lambda: changes() == [("+207", "1"), ("+207", "3")], "line +207 removed")
    with pytest.raises(IciFault):
        harness.telephony.ctx.directory.known_line("+207")
