"""Reading the plain string arguments of the IciSystem telephony operations."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from oii_shared.soap.faults import Errors, IciFault

_PHONE_NUMBER = re.compile(r"\+?[0-9]+")
_PHONE_CHARACTERS = re.compile(r"[+0-9]*")
# Day first with dots, as written in the spec's home countries (ISO forms are tried first).
_DOTTED_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")


def text_argument(value: object) -> str:
    """A string argument without surrounding white space; absent and nil read as ""."""
    return value.strip() if isinstance(value, str) else ""


def phone_number(name: str, value: object) -> str:
    """A customer number: only the characters +1234567890, a + only first (spec 1.2)."""
    number = text_argument(value)
    if not number:
        raise IciFault(Errors.MISSING_ARGUMENT, f"{name} is required")
    if not _PHONE_CHARACTERS.fullmatch(number):
        raise IciFault(Errors.INVALID_PHONE_NUMBER, f"{name}: {number!r}")
    if not _PHONE_NUMBER.fullmatch(number):
        raise IciFault(Errors.INVALID_PHONE_NUMBER, f"{name}: {number!r} (+ only as first)")
    return number


def dial_prefix(name: str, value: object) -> str:
    """Digits dialled before a number (a gateway's outside line, ``gwPrefix``), or ""."""
    prefix = text_argument(value)
    if prefix and not (prefix.isascii() and prefix.isdigit()):
        raise IciFault(Errors.INVALID_PHONE_NUMBER, f"{name}: {prefix!r} (digits only)")
    return prefix


def utc_datetime(name: str, value: object) -> datetime | None:
    """A date and time in UTC, or None when absent.

    9.1.6 allows "various formats, including YYYY-MM-DD HH:MM:SS" in UTC: every
    ISO 8601 form (with T or a space, fractions of seconds, Z or an offset, a
    date alone meaning midnight) and DD.MM.YYYY [HH:MM[:SS]]. A time without an
    offset is UTC; one with an offset is converted to UTC.
    """
    text = text_argument(value)
    if not text:
        return None
    parsed = _parse(text)
    if parsed is None:
        raise IciFault(
            Errors.INVALID_ARGUMENT,
            f"{name}: {text!r} is not a date and time (use YYYY-MM-DD HH:MM:SS, UTC)",
        )
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for layout in _DOTTED_FORMATS:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    return None
