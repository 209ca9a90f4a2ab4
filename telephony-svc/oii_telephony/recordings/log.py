"""The log of recorded calls the call engine writes and getCallRecordings reads (9.1.5, 10.7)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.db.engine import session_factory
from oii_shared.db.models import CallRecording, user_key
from oii_telephony.recordings.search import normalized_path


class Direction(enum.StrEnum):
    INBOUND = "inbound"  # the customer called (a queue or the agent's line)
    OUTBOUND = "outbound"  # the agent called the customer (a dial, a callback)


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """A recorded call that has ended, as the call engine knows it.

    Every time is timezone-aware (UTC or with an offset; stored as UTC).
    """

    # The call's handle: the call GUID without dashes (spec 7.2.1), as in phoneCallChanged.
    call_handle: str
    # The agent's login name as configured, and the agent's phone line (ICI containerId).
    user_id: str
    line: str
    # The customer's number (the caller of an inbound call, the called party of an outbound).
    remote_number: str
    direction: Direction
    # The recording file: ``file_path`` is its directory or URL prefix ("" if none),
    # ``file_name`` its name there; 10.7 fileName is the two joined.
    file_path: str
    file_name: str
    # When the call was connected and disconnected (None if it never connected).
    start_time: datetime | None
    end_time: datetime | None
    # The queue an inbound call came through; "" for direct and outbound calls.
    queue: str = ""
    # When the recording was saved; None: now.
    creation_time: datetime | None = None


async def record_calls(engine: AsyncEngine, recordings: list[RecordedCall]) -> None:
    """Store every one of ``recordings`` in one transaction (all or none); getCallRecordings
    finds them from then on. A time without a zone is a ValueError: it would be stored as
    a wrong instant."""
    rows = [_row(recording) for recording in recordings]
    async with session_factory(engine)() as session, session.begin():
        session.add_all(rows)


def _row(recording: RecordedCall) -> CallRecording:
    for name in ("start_time", "end_time", "creation_time"):
        value = getattr(recording, name)
        if value is not None and value.tzinfo is None:
            raise ValueError(f"RecordedCall.{name} {value.isoformat()} has no time zone")
    return CallRecording(
        call_handle=recording.call_handle,
        user_id=recording.user_id,
        user_key=user_key(recording.user_id),
        line=recording.line,
        remote_number=recording.remote_number,
        direction=recording.direction.value,
        queue_id=recording.queue,
        file_path=normalized_path(recording.file_path),
        file_name=recording.file_name,
        duration_s=_duration_s(recording.start_time, recording.end_time),
        creation_time=recording.creation_time or datetime.now(UTC),
        start_time=recording.start_time,
        end_time=recording.end_time,
    )


def _duration_s(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, round((end - start).total_seconds()))
