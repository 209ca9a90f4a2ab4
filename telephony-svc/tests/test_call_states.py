"""The state machine against the tables of spec 10.12.2 and 10.12.3, row by row.

Every status row: a leg in that state reports that status, exactly the row's
capability list, and the processing status that goes with it. Every
(status, capability) pair: the capability gate allows exactly the row's list.
"""

from __future__ import annotations

import pytest

from oii_shared.ici.tables import (
    PHONE_CALL_CAPABILITIES,
    PHONE_CALL_PROCESSING_STATUSES,
    PHONE_CALL_STATUSES,
    PhoneCallCapability,
    PhoneCallStatus,
    ProcessingStatus,
)
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.model import Leg, Origin, Peer, Phase, Role
from oii_telephony.calls.states import (
    departed,
    phone_call,
    require,
    status_of,
)

HANDLE = "A163FDACEE7A476BAB59E15C81B6D4F2"
ACTIVE = ProcessingStatus.ACTIVE.value
NOT_IN_PROCESS = ProcessingStatus.NOT_IN_PROCESS.value
WRAP_UP = ProcessingStatus.WRAP_UP.value


def leg(phase: Phase, processing: int, **fields: object) -> Leg:
    base = Leg(handle=HANDLE, origin=Origin.QUEUE, phase=phase, processing=processing, line="+129")
    return base.model_copy(update=fields)


# A leg in each status the engine produces, with the processing status it has then.
LEGS_BY_STATUS: dict[PhoneCallStatus, Leg] = {
    PhoneCallStatus.CREATED: leg(Phase.CREATED, NOT_IN_PROCESS, origin=Origin.OUTBOUND),
    PhoneCallStatus.NEW: leg(Phase.NEW, NOT_IN_PROCESS, line=""),
    PhoneCallStatus.ALERTING: leg(Phase.ALERTING, NOT_IN_PROCESS),
    PhoneCallStatus.ENDED: leg(Phase.ENDED, WRAP_UP),
    PhoneCallStatus.CONNECTED: leg(Phase.CONNECTED, ACTIVE),
    PhoneCallStatus.IDLE: leg(Phase.IDLE, NOT_IN_PROCESS, origin=Origin.CALLBACK),
    PhoneCallStatus.DIALING: leg(Phase.DIALING, ACTIVE, origin=Origin.OUTBOUND),
    PhoneCallStatus.RINGING: leg(Phase.RINGING, ACTIVE, origin=Origin.OUTBOUND),
    PhoneCallStatus.BUSY: leg(Phase.BUSY, ACTIVE, origin=Origin.OUTBOUND),
    PhoneCallStatus.HOLD: leg(Phase.CONNECTED, ACTIVE, on_hold=True),
    PhoneCallStatus.HELD: leg(Phase.CONNECTED, ACTIVE, held_by_peer=True),
    PhoneCallStatus.CONFERENCE_OWNER: leg(Phase.CONNECTED, ACTIVE, role=Role.OWNER),
    PhoneCallStatus.CONFERENCE_PARTICIPANT: leg(Phase.CONNECTED, ACTIVE, role=Role.PARTICIPANT),
}
# 7.1: "Not implemented: listen, and listenEnd"; no call is ever Listened.
NOT_PRODUCED = {PhoneCallStatus.LISTENED}
ROWS = [pytest.param(status, id=f"{status.value}-{status.name}") for status in PhoneCallStatus]
CAPABILITIES = [pytest.param(cap, id=f"{cap.value}-{cap.name}") for cap in PhoneCallCapability]


def test_the_tables_are_the_spec_rows() -> None:
    assert set(PHONE_CALL_STATUSES) == {status.value for status in PhoneCallStatus}
    assert set(PHONE_CALL_CAPABILITIES) == {cap.value for cap in PhoneCallCapability}
    assert set(LEGS_BY_STATUS) | NOT_PRODUCED == set(PhoneCallStatus)


@pytest.mark.parametrize("status", ROWS)
def test_status_row(status: PhoneCallStatus) -> None:
    if status in NOT_PRODUCED:
        produced = {status_of(example) for example in LEGS_BY_STATUS.values()}
        assert status not in produced
        return
    example = LEGS_BY_STATUS[status]
    assert status_of(example) is status
    element = phone_call(example)
    assert element["callStatus"] == {"id": str(status.value), "description": status.status.name}
    assert element["capabilityList"] == list(PHONE_CALL_STATUSES[status.value].capabilities)
    processing = element["processingStatus"]
    assert processing == {
        "id": str(example.processing),
        "description": PHONE_CALL_PROCESSING_STATUSES[example.processing],
    }


@pytest.mark.parametrize("status", ROWS)
@pytest.mark.parametrize("capability", CAPABILITIES)
def test_capability_gate(status: PhoneCallStatus, capability: PhoneCallCapability) -> None:
    if status in NOT_PRODUCED:
        return
    example = LEGS_BY_STATUS[status]
    allowed = capability.value in PHONE_CALL_STATUSES[status.value].capabilities
    if allowed:
        require(example, capability)
    else:
        with pytest.raises(IciFault) as raised:
            require(example, capability)
        assert raised.value.error is Errors.NOT_ALLOWED_IN_STATUS
        assert str(status.value) in str(raised.value)


def test_hold_wins_over_held_and_conference() -> None:
    both = leg(Phase.CONNECTED, ACTIVE, on_hold=True, held_by_peer=True, role=Role.OWNER)
    assert status_of(both) is PhoneCallStatus.HOLD
    held_owner = leg(Phase.CONNECTED, ACTIVE, held_by_peer=True, role=Role.OWNER)
    assert status_of(held_owner) is PhoneCallStatus.HELD


def test_a_call_taken_from_a_line_is_shown_there_as_ended() -> None:
    gone = departed(LEGS_BY_STATUS[PhoneCallStatus.ALERTING], "+129")
    assert gone["callStatus"]["id"] == "4" and gone["processingStatus"]["id"] == "1"
    assert gone["lineNumber"] == "+129"


def test_phone_call_element_fields() -> None:
    example = leg(Phase.CONNECTED, ACTIVE, trunk_id="SIM", dialed_number="2001").with_peers(
        (Peer(number="+49301234", external="X"),)
    )
    element = phone_call(example)
    assert element["remoteNumbers"] == ["+49301234"]
    assert element["inbound"] is True and element["internal"] is False
    assert element["trunkId"] == "SIM" and element["dialedNumber"] == "2001"
    internal = example.with_peers((Peer(number="+123", leg="B" * 32),))
    assert phone_call(internal)["internal"] is True
