"""createCallBack, updateCallBack, getCallBacks and the call engine's reports (9.1.6-9.1.8)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from oii_shared.channels import Channel
from oii_shared.db.models import Callback
from oii_shared.ici.tables.enums import CallbackResult
from oii_shared.redaction import personal
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.callback_port import CallbackDialer, CallbackOutcome
from oii_telephony.callbacks.extra_data import known_skills, parse_extra_data
from oii_telephony.callbacks.lifecycle import (
    CallbackPolicy,
    Changes,
    is_open,
    open_key,
    result_changes,
)
from oii_telephony.callbacks.store import CallbackStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# Writers of one row rarely meet; more conflicts than this in a row is a fault.
MAX_WRITE_ATTEMPTS = 20


def utc_now() -> datetime:
    return datetime.now(UTC)


def callback_id_key(text: str) -> str:
    """GUIDs are compared without case and braces."""
    return text.strip().strip("{}").upper()


@dataclass(frozen=True, slots=True)
class NewCallback:
    """A createCallBack request whose values are checked (number, callTime)."""

    number: str
    queue: str
    call_time: datetime | None
    extra_data: str
    gw_prefix: str
    notes: str


class CallbackService:
    """The callback list; also the ``CallbackResults`` the call engine reports to."""

    def __init__(
        self,
        store: CallbackStore,
        policy: CallbackPolicy,
        *,
        max_extra_data_bytes: int,
        clock: Clock = utc_now,
        on_new: Callable[[], None] = lambda: None,
        dialer: CallbackDialer | None = None,
    ) -> None:
        self._store = store
        self._policy = policy
        self._max_extra_data_bytes = max_extra_data_bytes
        self._clock = clock
        # Wakes this replica's scheduler: a new callback may be due at once.
        self._on_new = on_new
        # Told when updateCallBack settles an offered callback, which may still be queued.
        self._dialer = dialer

    async def create(self, request: NewCallback) -> str | None:
        """The new callback's GUID; None if one is open for the number in the queue."""
        queue_id = await self._phone_queue_id(request.queue)
        extra = parse_extra_data(request.extra_data, self._max_extra_data_bytes)
        skills = {}
        if extra.skills:
            skills = known_skills(extra.skills, await self._store.configured_skills())
        now = self._clock()
        callback = Callback(
            id=str(uuid.uuid4()).upper(),
            number=request.number,
            queue_id=queue_id,
            max_calls=self._policy.max_calls,
            extra_data=request.extra_data,
            notes=request.notes,
            gw_prefix=request.gw_prefix,
            priority=extra.priority,
            skills=skills,
            attached_data=extra.attached_data,
            created_at=now,
            next_call_time=request.call_time or now,
            open_key=open_key(queue_id, request.number),
        )
        if not await self._store.add(callback):
            log.info(
                "call back for %s in queue %s exists already", personal(request.number), queue_id
            )
            return None
        log.info("call back %s: %s in queue %s", callback.id, personal(request.number), queue_id)
        self._on_new()
        return callback.id

    async def _phone_queue_id(self, number_or_name: str) -> str:
        """9.1.6 names the queue by number, GUID or name; queues here have no GUID."""
        if not number_or_name:
            raise IciFault(Errors.MISSING_ARGUMENT, "queue is required")
        queue = await self._store.find_queue(number_or_name)
        if queue is None:
            raise IciFault(Errors.UNKNOWN_QUEUE, f"queue {number_or_name!r} is not configured")
        if queue.channel is not Channel.PHONE:
            raise IciFault(Errors.UNKNOWN_QUEUE, f"queue {queue.id!r} is not a phone queue")
        return queue.id

    async def update(
        self, callback_id: str, result: CallbackResult | None, notes: str | None
    ) -> None:
        """Count ``result`` (9.1.7); ``notes`` None leaves the notes alone."""

        def changes(callback: Callback) -> Changes:
            found: Changes = {}
            if result is not None:
                found = result_changes(callback, result, self._clock(), self._policy)
            if notes is not None and notes != callback.notes:
                found["notes"] = notes
            return found

        written = await self._write(callback_id_key(callback_id), changes)
        if written is None:
            raise IciFault(Errors.UNKNOWN_CALLBACK, f"no call back {callback_id!r}")
        before, changed = written
        ends_offer = "offered_until" in changed and changed["offered_until"] is None
        if self._dialer is not None and before.offered_until is not None and ends_offer:
            try:
                await self._dialer.withdraw_callback(before.id, before.failures)
            except Exception:
                # The result is stored; a call still queued is dialled and its report ignored.
                log.exception("call back %s: withdrawing it from its queue failed", before.id)

    async def list_all(self) -> list[Callback]:
        return await self._store.list_all()

    async def report(self, callback_id: str, outcome: CallbackOutcome) -> None:
        """The call engine's result of a call it made for an offered callback.

        Counted once per offer: a result already given over updateCallBack, or a
        report for a callback that is not offered, changes nothing.
        """
        result = (
            CallbackResult.SUCCESSFUL
            if outcome is CallbackOutcome.CONNECTED
            else CallbackResult.OTHER
        )

        def changes(callback: Callback) -> Changes:
            if not is_open(callback) or callback.offered_until is None:
                log.info("call back %s: %s ignored, not offered", callback.id, outcome.value)
                return {}
            return result_changes(callback, result, self._clock(), self._policy)

        if await self._write(callback_id_key(callback_id), changes) is None:
            log.warning("call engine reported %s for unknown call back %s", outcome, callback_id)

    async def _write(
        self, callback_id: str, changes: Callable[[Callback], Changes]
    ) -> tuple[Callback, Changes] | None:
        """Read, change and compare-and-set until it lands: the row as it was and the changes
        written (maybe none); None if there is no such row."""
        for _ in range(MAX_WRITE_ATTEMPTS):
            callback = await self._store.get(callback_id)
            if callback is None:
                return None
            found = changes(callback)
            if not found or await self._store.compare_and_set(callback.id, callback.version, found):
                return callback, found
        raise IciFault(Errors.INTERNAL, f"call back {callback_id} kept changing; try again")
