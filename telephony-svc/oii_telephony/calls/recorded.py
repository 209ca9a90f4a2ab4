"""A recorded call that ends goes to the recordings log (IciSystem.getCallRecordings)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from oii_telephony.calls.model import Leg, Phase
from oii_telephony.recordings.log import Direction, RecordedCall
from oii_telephony.recordings.writer import RecordingWriter

log = logging.getLogger(__name__)


def _at(timestamp: float) -> datetime | None:
    return datetime.fromtimestamp(timestamp, UTC) if timestamp else None


def recorded_call(before: Leg, after: Leg, ended_at: float) -> RecordedCall:
    customer = before.remote_numbers[0] if before.remote_numbers else after.dialed_number
    return RecordedCall(
        call_handle=after.handle,
        user_id=after.user_id,
        line=after.line,
        remote_number=customer,
        direction=Direction.INBOUND if after.inbound else Direction.OUTBOUND,
        file_path="",
        file_name=after.recording,
        start_time=_at(after.connected_at),
        end_time=_at(ended_at),
        queue=after.first_queue if after.inbound else "",
    )


class RecordingFollower:
    def __init__(self, writer: RecordingWriter) -> None:
        self._writer = writer

    async def __call__(self, before: Leg, after: Leg) -> None:
        if not after.recording or after.phase is not Phase.ENDED or before.phase is Phase.ENDED:
            return
        self._writer.submit(recorded_call(before, after, datetime.now(UTC).timestamp()))
