"""The call recording log and getCallRecordings' filters (spec 9.1.5, 10.7) on a real database.

Runs on SQLite files; with OII_TEST_POSTGRES_URL on PostgreSQL too.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from oii_shared.db.engine import session_factory
from oii_shared.db.models import CallRecording
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.recordings.handlers import call_recording_element, recording_filter
from oii_telephony.recordings.log import Direction, RecordedCall, record_calls
from oii_telephony.recordings.search import RecordingFilter, find_recordings
from oii_telephony.recordings.writer import RecordingWriter

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
FILTERS = ("callHandle", "userId", "dateTimeFrom", "dateTimeTo", "filePath", "fileName", "maxhits")


def recorded(
    handle: str,
    minute: int,
    *,
    user: str = "HARRI",
    path: str = r"D:\rec\2026_11",
    name: str | None = None,
    direction: Direction = Direction.INBOUND,
) -> RecordedCall:
    saved = T0 + timedelta(minutes=minute)
    return RecordedCall(
        call_handle=handle,
        user_id=user,
        line="+129",
        remote_number="+4930123456",
        direction=direction,
        file_path=path,
        file_name=name or f"{handle}.wav",
        start_time=saved - timedelta(seconds=95),
        end_time=saved - timedelta(seconds=5),
        queue="2001" if direction is Direction.INBOUND else "",
        creation_time=saved,
    )


@pytest.fixture
async def log(engine: AsyncEngine) -> AsyncEngine:
    for call in (
        recorded("AAAA0000000000000000000000000001", 0),
        recorded("AAAA0000000000000000000000000002", 10, user="ANNA"),
        recorded("AAAA0000000000000000000000000003", 20, path=r"D:\rec\2026_11\vip"),
        recorded("AAAA0000000000000000000000000004", 30, path="D:/records", name="x.wav"),
        recorded(
            "AAAA0000000000000000000000000005",
            40,
            path="https://files.example.com/rec/",
            direction=Direction.OUTBOUND,
        ),
        recorded("AAAA0000000000000000000000000006", 50, path="", name="loose.wav"),
    ):
        await record_calls(engine, [call])
    return engine


def args(**given: str) -> dict[str, Any]:
    return {name: given.get(name) for name in FILTERS}


async def handles(engine: AsyncEngine, **given: str) -> list[str]:
    found = await find_recordings(engine, recording_filter(args(**given)))
    return [row.call_handle[-1] for row in found]


async def test_without_filters_every_recording_newest_first(log: AsyncEngine) -> None:
    assert await handles(log) == ["6", "5", "4", "3", "2", "1"]
    # Empty elements, as the sample request may send them, filter nothing.
    assert await handles(log, callHandle="", userId=" ", maxhits="") == [
        "6",
        "5",
        "4",
        "3",
        "2",
        "1",
    ]


async def test_call_handle_ignores_case_and_dashes(log: AsyncEngine) -> None:
    assert await handles(log, callHandle="aaaa0000000000000000000000000002") == ["2"]
    assert await handles(log, callHandle="AAAA0000-0000-0000-0000-000000000003") == ["3"]
    assert await handles(log, callHandle="AAAA00000000000000000000000000") == []


async def test_user_id_ignores_case(log: AsyncEngine) -> None:
    assert await handles(log, userId="anna") == ["2"]
    assert await handles(log, userId="harri") == ["6", "5", "4", "3", "1"]
    assert await handles(log, userId="nobody") == []


async def test_time_limits_are_inclusive_on_creation_time(log: AsyncEngine) -> None:
    assert await handles(log, dateTimeFrom="2026-11-26 09:20:00") == ["6", "5", "4", "3"]
    assert await handles(log, dateTimeTo="2026-11-26T09:20:00Z") == ["3", "2", "1"]
    assert await handles(
        log, dateTimeFrom="2026-11-26T11:10:00+02:00", dateTimeTo="2026-11-26 09:30"
    ) == ["4", "3", "2"]
    assert await handles(log, dateTimeFrom="2026-11-26 10:00:00") == []


async def test_file_path_finds_the_directory_and_below(log: AsyncEngine) -> None:
    assert await handles(log, filePath=r"D:\rec\2026_11") == ["3", "2", "1"]
    assert await handles(log, filePath="d:\\REC\\2026_11\\") == ["3", "2", "1"]
    assert await handles(log, filePath=r"D:\rec\2026_11\vip") == ["3"]
    assert await handles(log, filePath="D:/records") == ["4"]
    # A name that only starts the same is another directory.
    assert await handles(log, filePath=r"D:\rec\2026_1") == []
    assert await handles(log, filePath="https://files.example.com/rec") == ["5"]
    assert await handles(log, filePath="D:/rec%") == []


async def test_file_name_matches_the_name_and_a_given_path(log: AsyncEngine) -> None:
    assert await handles(log, fileName="x.WAV") == ["4"]
    assert await handles(log, fileName="AAAA0000000000000000000000000003.wav") == ["3"]
    assert await handles(log, fileName=r"D:\rec\2026_11\AAAA0000000000000000000000000003.wav") == []
    assert await handles(
        log, fileName=r"d:\rec\2026_11\vip\aaaa0000000000000000000000000003.wav"
    ) == ["3"]
    assert await handles(log, fileName="D:/records/x.wav") == ["4"]
    assert await handles(log, fileName="loose.wav") == ["6"]
    assert await handles(log, fileName=".wav") == []


async def test_maxhits_keeps_the_newest(log: AsyncEngine) -> None:
    assert await handles(log, maxhits="2") == ["6", "5"]
    assert await handles(log, maxhits="0") == ["6", "5", "4", "3", "2", "1"]
    assert await handles(log, userId="HARRI", maxhits="3") == ["6", "5", "4"]


@pytest.mark.parametrize("maxhits", [str(2**63), "9" * 40])
async def test_maxhits_beyond_a_database_limit_is_all(log: AsyncEngine, maxhits: str) -> None:
    # Found by `make fuzz` (envelopes): SQLite cannot bind 2**63, and the OverflowError
    # was the INTERNAL fault.
    assert await handles(log, maxhits=maxhits) == ["6", "5", "4", "3", "2", "1"]


async def test_every_filter_applies_at_once(log: AsyncEngine) -> None:
    assert await handles(
        log,
        userId="harri",
        filePath=r"D:\rec",
        dateTimeFrom="2026-11-26 09:00",
        dateTimeTo="2026-11-26 09:25",
        fileName="AAAA0000000000000000000000000003.wav",
        callHandle="AAAA0000000000000000000000000003",
        maxhits="5",
    ) == ["3"]
    assert await handles(log, userId="anna", filePath=r"D:\rec\2026_11\vip") == []


@pytest.mark.parametrize(
    "given",
    [{"maxhits": "-1"}, {"maxhits": "ten"}, {"dateTimeFrom": "yesterday"}, {"dateTimeTo": "x"}],
)
def test_bad_filters_are_invalid_arguments(given: dict[str, str]) -> None:
    with pytest.raises(IciFault) as caught:
        recording_filter(args(**given))
    assert caught.value.error == Errors.INVALID_ARGUMENT


async def test_the_element_is_the_10_7_call_recording(log: AsyncEngine) -> None:
    rows = {row.call_handle[-1]: row for row in await find_recordings(log, RecordingFilter())}

    inbound = call_recording_element(rows["3"])
    assert inbound == {
        "callHandle": "AAAA0000000000000000000000000003",
        "userId": "HARRI",
        "creationTime": T0 + timedelta(minutes=20),
        "startTime": T0 + timedelta(minutes=20, seconds=-95),
        "endTime": T0 + timedelta(minutes=20, seconds=-5),
        "source": "+4930123456",
        "destination": "+129",
        "fileName": r"D:\rec\2026_11\vip\AAAA0000000000000000000000000003.wav",
    }
    assert inbound["creationTime"].tzinfo == UTC
    outbound = call_recording_element(rows["5"])
    assert (outbound["source"], outbound["destination"]) == ("+129", "+4930123456")
    assert outbound["fileName"] == (
        "https://files.example.com/rec/AAAA0000000000000000000000000005.wav"
    )
    assert call_recording_element(rows["4"])["fileName"] == "D:/records/x.wav"
    assert call_recording_element(rows["6"])["fileName"] == "loose.wav"
    assert (rows["3"].duration_s, rows["3"].queue_id, rows["5"].queue_id) == (90, "2001", "")


async def test_record_call_stamps_the_creation_time_and_converts_to_utc(
    engine: AsyncEngine,
) -> None:
    before = datetime.now(UTC)
    helsinki = datetime(2026, 11, 26, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    await record_calls(
        engine,
        [
            RecordedCall(
                call_handle="B" * 32,
                user_id="Anna",
                line="+123",
                remote_number="+358401234",
                direction=Direction.INBOUND,
                file_path="",
                file_name="b.wav",
                start_time=helsinki,
                end_time=None,
            )
        ],
    )
    (row,) = await find_recordings(engine, RecordingFilter(user_id="ANNA"))
    assert row.creation_time >= before.replace(microsecond=0)
    assert row.start_time == datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert row.start_time is not None and row.start_time.tzinfo == UTC
    assert (row.end_time, row.duration_s) == (None, None)


async def test_a_time_without_zone_is_refused(engine: AsyncEngine) -> None:
    naive = replace(recorded("C" * 32, 0), start_time=datetime(2026, 11, 26, 9, 0))
    with pytest.raises(ValueError, match="start_time"):
        await record_calls(engine, [naive])
    assert await find_recordings(engine, RecordingFilter()) == []


async def logged_count(engine: AsyncEngine) -> int:
    async with session_factory(engine)() as session:
        return len((await session.exec(select(CallRecording))).all())


async def test_the_writer_stores_batches_and_what_is_left_at_its_stop(engine: AsyncEngine) -> None:
    writer = RecordingWriter(engine)
    async with AsyncExitStack() as stack:
        await writer.start(stack)
        for n in range(250):  # more than one batch
            writer.submit(recorded(f"BBBB{n:028d}", n % 60))
        for _ in range(1000):  # written off the submitter's path: a moment later
            if await logged_count(engine) == 250:
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("250 recordings not written within 10 s")
        for n in range(3):
            writer.submit(recorded(f"CCCC{n:028d}", n))
    # The stack closed at once: the stop wrote the last three.
    assert await logged_count(engine) == 253
