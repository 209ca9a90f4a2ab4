"""getCallRecordings' search (spec 9.1.5): every given filter applies, newest first.

- callHandle: the call's handle, ignoring case and dashes (a 36-character call
  GUID finds its 32-character handle, spec 7.2.1).
- userId: the agent's login name, ignoring case (spec 4.6).
- dateTimeFrom / dateTimeTo: creationTime (when the recording was saved, the
  recordings' own timestamp) at or after / at or before, both inclusive.
- filePath: recordings in that directory or below it, ignoring case and a
  trailing separator (``/`` or ``\\``).
- fileName: the file's name, ignoring case; a name with a path in front also
  requires the path (as filePath does, without the "below it").
- maxhits: at most that many (the newest); absent, empty or 0: all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from oii_shared.db.engine import session_factory
from oii_shared.db.models import CallRecording, user_key

SEPARATORS = "/\\"
_LIKE_ESCAPE = "!"


@dataclass(frozen=True, slots=True)
class RecordingFilter:
    """The request elements of getCallRecordings; "" and None mean "not given"."""

    call_handle: str = ""
    user_id: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None
    file_path: str = ""
    file_name: str = ""
    max_hits: int | None = None


def normalized_path(path: str) -> str:
    return path.rstrip(SEPARATORS)


def full_file_name(recording: CallRecording) -> str:
    """10.7 fileName: the name with its path, joined with the path's own separator."""
    if not recording.file_path:
        return recording.file_name
    separator = "\\" if "\\" in recording.file_path and "/" not in recording.file_path else "/"
    return f"{recording.file_path}{separator}{recording.file_name}"


async def find_recordings(engine: AsyncEngine, wanted: RecordingFilter) -> list[CallRecording]:
    statement = select(CallRecording).where(*conditions(wanted))
    statement = statement.order_by(
        col(CallRecording.creation_time).desc(), col(CallRecording.id).desc()
    )
    if wanted.max_hits:
        statement = statement.limit(wanted.max_hits)
    async with session_factory(engine)() as session:
        return list((await session.exec(statement)).all())


def conditions(wanted: RecordingFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if wanted.call_handle:
        handle = func.lower(func.replace(col(CallRecording.call_handle), "-", ""))
        found.append(handle == wanted.call_handle.replace("-", "").lower())
    if wanted.user_id:
        found.append(col(CallRecording.user_key) == user_key(wanted.user_id))
    if wanted.date_from is not None:
        found.append(col(CallRecording.creation_time) >= wanted.date_from)
    if wanted.date_to is not None:
        found.append(col(CallRecording.creation_time) <= wanted.date_to)
    if wanted.file_path:
        found.append(_in_directory(wanted.file_path))
    if wanted.file_name:
        found.extend(_named(wanted.file_name))
    return found


def _lower_path() -> ColumnElement[str]:
    return func.lower(col(CallRecording.file_path))


def _in_directory(path: str) -> ColumnElement[bool]:
    directory = normalized_path(path).lower()
    below = [
        _lower_path().like(_like_literal(directory + separator) + "%", escape=_LIKE_ESCAPE)
        for separator in SEPARATORS
    ]
    return or_(_lower_path() == directory, *below)


def _named(name: str) -> list[ColumnElement[bool]]:
    cut = max(name.rfind(separator) for separator in SEPARATORS)
    base = func.lower(col(CallRecording.file_name)) == name[cut + 1 :].lower()
    if cut < 0:
        return [base]
    return [base, _lower_path() == normalized_path(name[:cut]).lower()]


def _like_literal(text: str) -> str:
    """``text`` matched literally by LIKE: its wildcards escaped."""
    for special in (_LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, _LIKE_ESCAPE + special)
    return text
