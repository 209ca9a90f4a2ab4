"""IciSystem.getCallRecordings (spec 9.1.5) answering CallRecording elements (10.7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.db.models import CallRecording
from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.recordings.log import Direction
from oii_telephony.recordings.search import RecordingFilter, find_recordings, full_file_name
from oii_telephony.values import text_argument, utc_datetime

MAX_LIMIT = 2**63 - 1


def recording_handlers(engine: AsyncEngine) -> dict[HandlerKey, Handler]:
    async def get_call_recordings(call: SoapCall) -> Mapping[str, Any]:
        found = await find_recordings(engine, recording_filter(call.args))
        return {"response": [call_recording_element(row) for row in found]}

    return {(Interface.SYSTEM, "getCallRecordings"): get_call_recordings}


def recording_filter(args: Mapping[str, Any]) -> RecordingFilter:
    return RecordingFilter(
        call_handle=text_argument(args["callHandle"]),
        user_id=text_argument(args["userId"]),
        date_from=utc_datetime("dateTimeFrom", args["dateTimeFrom"]),
        date_to=utc_datetime("dateTimeTo", args["dateTimeTo"]),
        file_path=text_argument(args["filePath"]),
        file_name=text_argument(args["fileName"]),
        max_hits=_max_hits(text_argument(args["maxhits"])),
    )


def _max_hits(text: str) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise IciFault(Errors.INVALID_ARGUMENT, f"maxhits: {text!r} is not a count")
    # More than a database's LIMIT takes (a 64-bit integer) is more than there can be: all.
    if value > MAX_LIMIT:
        return None
    return value or None


def call_recording_element(recording: CallRecording) -> dict[str, Any]:
    """The CallRecording element of 10.7; source and destination follow the call's direction."""
    if recording.direction == Direction.OUTBOUND:
        source, destination = recording.line, recording.remote_number
    else:
        source, destination = recording.remote_number, recording.line
    return {
        "callHandle": recording.call_handle,
        "userId": recording.user_id,
        "creationTime": recording.creation_time,
        "startTime": recording.start_time,
        "endTime": recording.end_time,
        "source": source,
        "destination": destination,
        "fileName": full_file_name(recording),
    }
