"""The phone channel's offer port: what the kit's dispatcher asks of telephony."""

from __future__ import annotations

from oii_shared.db.repository import UserRecord
from oii_shared.routing.dispatcher import Expiry
from oii_shared.routing.waiting import QueueEntry, Target
from oii_telephony.calls.callback_calls import CallbackCalls
from oii_telephony.calls.inbound import Arrivals


class CallOffers:
    def __init__(self, arrivals: Arrivals, callbacks: CallbackCalls) -> None:
        self._arrivals = arrivals
        self._callbacks = callbacks

    async def offer(self, target: Target, entry: QueueEntry, user: UserRecord) -> bool:
        """A waiting call alerts on the agent's line; a due callback is dialled for them."""
        if entry.starts_active:
            return await self._callbacks.start(entry.handle, user)
        return await self._arrivals.offer(entry.handle, user) is not None

    async def expire(self, target: Target, entry: QueueEntry) -> Expiry:
        return await self._arrivals.offer_expired(target, entry)
