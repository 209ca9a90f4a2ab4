"""How a callback's row changes with each result (spec 9.1.7, 10.8), as pure functions.

A callback is open until handled. Each failure (BADADDRESS, BUSY, NO_ANSWER,
VOICEMAIL, OTHER) counts; the next call is due ``retry_delay`` later, and the
failure that reaches maxCalls makes it handled with lastResult HANDLED.
SUCCESSFUL handles it; HANDLED removes it from the calling list. Handled
callbacks stay listed by getCallBacks with their handledTime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from oii_shared.db.models import Callback
from oii_shared.ici.tables.enums import CALLBACK_FAILURES, CallbackResult
from oii_shared.soap.faults import Errors, IciFault

Changes = dict[str, Any]
# A result ends the attempt the call engine was making.
NOT_OFFERED: Changes = {"offered_until": None, "offered_by": None}


@dataclass(frozen=True, slots=True)
class CallbackPolicy:
    """The numbers the spec leaves to the contact center's configuration."""

    # maxCalls of every new callback: calls made before it is given up.
    max_calls: int = 3
    # Between a failed call and the next one.
    retry_delay: timedelta = timedelta(minutes=5)
    # An offer held by a scheduler: renewed every ``offer_lease / 4`` while the scheduler
    # runs (the call engine may queue a callback for long), made again by another
    # scheduler once it ran out (its holder died).
    offer_lease: timedelta = timedelta(minutes=2)
    # When the call engine refused an offer (an error), the next try.
    refused_retry: timedelta = timedelta(seconds=30)
    # How often a scheduler looks for due callbacks another replica created.
    poll_interval_s: float = 1.0


def open_key(queue_id: str, number: str) -> str:
    """The key of the one open callback allowed per number and queue (9.1.6)."""
    return f"{queue_id} {number}"


def is_open(callback: Callback) -> bool:
    return callback.handled_time is None


def parse_result(text: str) -> CallbackResult:
    """updateCallBack's result, ignoring case."""
    try:
        return CallbackResult(text.strip().upper())
    except ValueError:
        allowed = ", ".join(result.value for result in CallbackResult)
        raise IciFault(
            Errors.INVALID_ARGUMENT, f"result: {text!r} is not one of {allowed}"
        ) from None


def result_changes(
    callback: Callback, result: CallbackResult, now: datetime, policy: CallbackPolicy
) -> Changes:
    """The columns ``result`` changes; it also ends the attempt the engine was making."""
    if result in CALLBACK_FAILURES:
        return _failure(callback, result, now, policy)
    if result is CallbackResult.SUCCESSFUL:
        return {**_handled(callback, now), "last_result": result.value, "last_call_time": now}
    # HANDLED: taken off the calling list; a second HANDLED changes nothing.
    if not is_open(callback):
        return {}
    return {**_handled(callback, now), "last_result": result.value}


def _failure(
    callback: Callback, result: CallbackResult, now: datetime, policy: CallbackPolicy
) -> Changes:
    if not is_open(callback):
        raise IciFault(
            Errors.CALLBACK_HANDLED,
            f"call back {callback.id} is handled ({callback.last_result}); "
            f"{result.value} is not counted",
        )
    failures = callback.failures + 1
    changes: Changes = {"failures": failures, "last_result": result.value, "last_call_time": now}
    if failures >= callback.max_calls:
        return {**changes, **_handled(callback, now), "last_result": CallbackResult.HANDLED.value}
    return {**changes, **NOT_OFFERED, "next_call_time": now + policy.retry_delay}


def _handled(callback: Callback, now: datetime) -> Changes:
    return {
        "handled_time": callback.handled_time or now,
        "next_call_time": None,
        "open_key": None,
        **NOT_OFFERED,
    }
