"""The call engine's side of callbacks: a due callback waits in its queue like a call; the agent
it is allocated to gets an outbound call to the customer (Idle, then dialled by the contact
center), and how that call went is reported to the callback list.

The call of a callback attempt has a handle derived from the callback id and attempt, so an
offer made again (by another replica's scheduler) finds the call the engine holds, and the
compare-and-set create in KV refuses a second one when two offers race."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from oii_shared.channels import Channel
from oii_shared.db.repository import UserRecord
from oii_shared.items import cad
from oii_shared.items.ids import derived_item_id
from oii_shared.items.store import ItemExists
from oii_shared.routing import waiting
from oii_telephony.callback_port import CallbackOutcome, CallbackResults, DueCallback
from oii_telephony.calls.context import CallContext, waiting_target
from oii_telephony.calls.inbound import Arrivals, take_waiting
from oii_telephony.calls.model import Leg, Origin, Phase
from oii_telephony.calls.outbound import Dialing
from oii_telephony.calls.wrapup import EndReason, ended
from oii_telephony.numbers import checked_dial_number

log = logging.getLogger(__name__)

# Names the call of each callback attempt (uuid5), so every replica derives the same handle.
_CALLBACK_CALLS = uuid.UUID("6c1f8a52-3b0e-4f4e-9a51-0c3a1b7d2e90")


def callback_handle(callback_id: str, attempt: int) -> str:
    """The call handle of ``callback_id``'s attempt ``attempt``: creating it twice is refused."""
    return derived_item_id(Channel.PHONE, _CALLBACK_CALLS, f"{callback_id}/{attempt}")


class CallbackCalls:
    """Implements :class:`oii_telephony.callback_port.CallbackDialer`."""

    def __init__(self, ctx: CallContext, arrivals: Arrivals, dialing: Dialing) -> None:
        self.ctx = ctx
        self.arrivals = arrivals
        self.dialing = dialing

    async def offer_callback(self, callback: DueCallback) -> None:
        queue = self.ctx.directory.queue(callback.queue)
        if queue is None:
            raise ValueError(f"call back {callback.callback_id}: no phone queue {callback.queue}")
        number = checked_dial_number(callback.gw_prefix + callback.number)
        handle = callback_handle(callback.callback_id, callback.attempt)
        held = await self.ctx.store.get(handle)
        if held is not None:
            await self._still_held(held, callback)
            return
        try:
            document = cad.merge("", callback.attached_data, self.ctx.max_cad_bytes)
        except Exception:
            log.warning("call back %s: its attached data is no CAD, dropped", callback.callback_id)
            document = ""
        leg = Leg.waiting(
            Origin.CALLBACK,
            number,
            self.ctx.now(),
            queue=queue.id,
            handle=handle,
            document=document,
            inbound=False,
            first_number=queue.id,
            callback_id=callback.callback_id,
            customer=True,
        )
        try:
            await self.ctx.core.add(leg)
        except ItemExists:
            log.info("call back %s: another replica offered it just now", callback.callback_id)
            return
        await self._enqueue(leg, callback)

    async def _still_held(self, leg: Leg, callback: DueCallback) -> None:
        """A repeat offer: the call stays as it is; one still waiting is (again) in its queue,
        in case the replica that offered it stopped before queueing it."""
        log.info("call back %s is held already as call %s", callback.callback_id, leg.handle)
        if leg.phase is Phase.NEW:
            await self._enqueue(leg, callback)

    async def _enqueue(self, leg: Leg, callback: DueCallback) -> None:
        await self.arrivals.enqueue(
            leg, priority=callback.priority, skills=callback.skills, starts_active=True
        )

    async def withdraw_callback(self, callback_id: str, attempt: int) -> None:
        rules = self.ctx.wrap_up

        def mutate(leg: Leg) -> Leg:
            if leg.phase is not Phase.NEW:
                return leg  # allocated or dialled already: that call goes on
            return ended(leg, EndReason.DROPPED, rules)

        changed = await self.ctx.core.try_change(callback_handle(callback_id, attempt), mutate)
        if changed is not None and changed[1] is not changed[0]:
            # The routing follower took it out of its queue.
            log.info("call back %s withdrawn from queue %s", callback_id, changed[0].queue)

    async def start(self, handle: str, user: UserRecord) -> bool:
        """The dispatcher allocated the callback to ``user``: the call is made for them.

        False if it no longer waits (withdrawn meanwhile): the dispatcher frees the agent.
        """
        leg = await take_waiting(self.ctx, handle, user, Phase.IDLE)
        if leg is None:
            return False
        await self.ctx.waiting.update(
            waiting_target(leg), waiting.remove(handle, answered_at=leg.alerted_at)
        )
        await self.dialing.dial_for_callback(handle, leg.dialed_number)
        return True


def callback_outcome(before: Leg, after: Leg) -> CallbackOutcome | None:
    """What a change of a callback's call says of it, once: connected, or ended without
    ever connecting; None for any other change (or a call that is no callback's)."""
    if not after.callback_id:
        return None
    if after.connected_once and not before.connected_once:
        return CallbackOutcome.CONNECTED
    if (
        after.phase is Phase.ENDED
        and before.phase not in (Phase.ENDED, Phase.NEW)
        and not after.connected_once
    ):
        # (A callback withdrawn from its queue was never dialled: nothing to report.)
        return CallbackOutcome.FAILED
    return None


def report_outcomes(results: CallbackResults) -> Callable[[Leg, Leg], Awaitable[None]]:
    """A call listener that reports each callback call's outcome to ``results``."""

    async def follow(before: Leg, after: Leg) -> None:
        outcome = callback_outcome(before, after)
        if outcome is not None:
            await results.report(after.callback_id, outcome)

    return follow
