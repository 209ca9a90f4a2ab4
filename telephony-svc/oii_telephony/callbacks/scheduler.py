"""Hands each callback to the call engine when its call time comes, once across replicas.

The claim is a conditional UPDATE of the row (compare-and-set on its version)
that sets ``offered_until`` and ``offered_by``: of two schedulers that see the
same due callback, exactly one changes the row and offers it. The claim is a
lease its scheduler renews while it runs, however long the call engine keeps
the callback queued; a result (the engine's report or updateCallBack) ends it.
If the replica holding it dies, the lease runs out and another scheduler
offers the callback again.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

from oii_shared.db.models import Callback
from oii_shared.soap.text import escape
from oii_telephony.callback_port import CallbackDialer, DueCallback
from oii_telephony.callbacks.lifecycle import CallbackPolicy
from oii_telephony.callbacks.service import Clock, utc_now
from oii_telephony.callbacks.store import CallbackStore

log = logging.getLogger(__name__)

# Due callbacks read per query; more are read at once without waiting.
BATCH = 50
RENEWALS_PER_LEASE = 4


class CallbackScheduler:
    def __init__(
        self,
        store: CallbackStore,
        dialer: CallbackDialer,
        policy: CallbackPolicy,
        *,
        cad_application_id: Callable[[], Awaitable[str]],
        clock: Clock = utc_now,
    ) -> None:
        self._store = store
        self._dialer = dialer
        self._policy = policy
        self._cad_application_id = cad_application_id
        self._clock = clock
        self._wake = asyncio.Event()
        # Names this scheduler's offers in the database.
        self.holder = uuid.uuid4().hex
        self._renewed_at = clock()
        self._has_offered = False

    def wake(self) -> None:
        """Look for due callbacks now (a callback was created here)."""
        self._wake.set()

    async def run(self) -> None:
        """Offer due callbacks and keep this scheduler's offers until cancelled."""
        while True:
            try:
                await self.renew_offers_when_due()
                while await self.offer_due() == BATCH:
                    pass
            except Exception:
                log.exception("offering due call backs failed")
            try:
                async with asyncio.timeout(self._policy.poll_interval_s):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()

    async def renew_offers_when_due(self) -> None:
        now = self._clock()
        if (
            not self._has_offered
            or now - self._renewed_at < self._policy.offer_lease / RENEWALS_PER_LEASE
        ):
            return
        await self._store.renew_offers(self.holder, now + self._policy.offer_lease)
        self._renewed_at = now

    async def offer_due(self) -> int:
        """Claim and offer the callbacks due now; the number of due callbacks seen."""
        now = self._clock()
        due = await self._store.due(now, BATCH)
        if not due:
            return 0
        application_id = await self._cad_application_id()
        for callback in due:
            claim = {"offered_until": now + self._policy.offer_lease, "offered_by": self.holder}
            if not await self._store.compare_and_set(callback.id, callback.version, claim):
                continue  # another scheduler offered it, or a result just came in
            self._has_offered = True
            try:
                await self._dialer.offer_callback(due_callback(callback, application_id))
            except Exception:
                log.exception("the call engine refused call back %s", callback.id)
                retry = {
                    "offered_until": self._clock() + self._policy.refused_retry,
                    "offered_by": None,
                }
                await self._store.compare_and_set(callback.id, callback.version + 1, retry)
            else:
                log.info("call back %s offered in queue %s", callback.id, callback.queue_id)
        return len(due)


def due_callback(callback: Callback, cad_application_id: str) -> DueCallback:
    return DueCallback(
        callback_id=callback.id,
        queue=callback.queue_id,
        number=callback.number,
        priority=callback.priority,
        skills=dict(callback.skills),
        attached_data=attached_data_xml(callback.attached_data, cad_application_id),
        cad=dict(callback.attached_data),
        gw_prefix=callback.gw_prefix,
        # A row is offered only between results, so its failures name the attempt.
        attempt=callback.failures,
    )


def attached_data_xml(cad: dict[str, str], application_id: str) -> str:
    """The CAD of extraData as item attached data (spec 7.2.1); "" when there is none."""
    if not cad:
        return ""
    values = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in cad.items())
    return (
        f'<ItemAttachedData><Application id="{escape(application_id)}">{values}'
        "</Application></ItemAttachedData>"
    )
