"""The state machine's outward face: a leg's ICI status and capabilities (10.12.2, 10.12.3).

The capability list of a call is exactly the "default capabilities" of its
status in table 10.12.3, and an operation is allowed only when its capability
is in that list: anything else is a fault, never a silent success.
"""

from __future__ import annotations

from typing import Any

from oii_shared.ici.tables import (
    PHONE_CALL_PROCESSING_STATUSES,
    PhoneCallCapability,
    PhoneCallStatus,
    ProcessingStatus,
)
from oii_shared.ici.types.common import text_element
from oii_shared.items import guard
from oii_telephony.calls.model import Leg, Phase, Role

_PHASE_STATUS: dict[Phase, PhoneCallStatus] = {
    Phase.CREATED: PhoneCallStatus.CREATED,
    Phase.NEW: PhoneCallStatus.NEW,
    Phase.ALERTING: PhoneCallStatus.ALERTING,
    Phase.IDLE: PhoneCallStatus.IDLE,
    Phase.DIALING: PhoneCallStatus.DIALING,
    Phase.RINGING: PhoneCallStatus.RINGING,
    Phase.BUSY: PhoneCallStatus.BUSY,
    Phase.ENDED: PhoneCallStatus.ENDED,
}


def status_of(leg: Leg) -> PhoneCallStatus:
    if leg.phase is not Phase.CONNECTED:
        return _PHASE_STATUS[leg.phase]
    if leg.on_hold:
        return PhoneCallStatus.HOLD
    if leg.held_by_peer:
        return PhoneCallStatus.HELD
    if leg.role is Role.OWNER:
        return PhoneCallStatus.CONFERENCE_OWNER
    if leg.role is Role.PARTICIPANT:
        return PhoneCallStatus.CONFERENCE_PARTICIPANT
    return PhoneCallStatus.CONNECTED


def require(leg: Leg, capability: PhoneCallCapability, role: str = "call") -> None:
    """Fault unless ``capability`` is in the capability list of the leg's status."""
    guard.require(leg.handle, status_of(leg), capability, role)


def require_status(leg: Leg, role: str, *allowed: PhoneCallStatus) -> None:
    guard.require_status(leg.handle, status_of(leg), role, *allowed)


def phone_call(leg: Leg, line: str | None = None) -> dict[str, Any]:
    """The ICI PhoneCall element (10.12) of ``leg``, as handlers and events send it."""
    status = status_of(leg)
    return {
        "lineNumber": leg.line if line is None else line,
        "callHandle": leg.handle,
        "processingStatus": text_element(
            leg.processing, PHONE_CALL_PROCESSING_STATUSES[leg.processing]
        ),
        "remoteNumbers": list(leg.remote_numbers),
        "dialedNumber": leg.dialed_number or None,
        "callStatus": text_element(status.value, status.status.name),
        "capabilityList": list(status.capabilities),
        "inbound": leg.inbound,
        "internal": leg.internal,
        "attachedData": leg.attached_data,
        "trunkId": leg.trunk_id,
    }


def departed(leg: Leg, line: str) -> dict[str, Any]:
    """What the agent of ``line`` last sees of a call taken away from it (rerouted, timed out)."""
    gone = leg.model_copy(
        update={
            "phase": Phase.ENDED,
            "processing": ProcessingStatus.NOT_IN_PROCESS.value,
            "on_hold": False,
            "held_by_peer": False,
            "role": Role.NONE,
        }
    )
    return phone_call(gone, line)
