"""The call engine's side of callbacks: a due callback waits in its queue like a call; the agent
it is allocated to gets an outbound call to the customer (Idle, then dialled by the contact
center), and how that call went is reported to the callback list."""

from __future__ import annotations

import logging

from oii_shared.db.repository import UserRecord
from oii_shared.ici.tables import ProcessingStatus
from oii_telephony import cad
from oii_telephony.callback_port import CallbackOutcome, CallbackResults, DueCallback
from oii_telephony.calls.context import CallContext, waiting_target
from oii_telephony.calls.inbound import Arrivals
from oii_telephony.calls.model import Leg, Origin, Phase, new_handle
from oii_telephony.calls.outbound import Dialing
from oii_telephony.numbers import checked_dial_number
from oii_telephony.routing import waiting

log = logging.getLogger(__name__)


class CallbackCalls:
    """Implements :class:`oii_telephony.callback_port.CallbackDialer`."""

    def __init__(self, ctx: CallContext, arrivals: Arrivals, dialing: Dialing) -> None:
        self.ctx = ctx
        self.arrivals = arrivals
        self.dialing = dialing
        self.results: CallbackResults | None = None

    async def offer_callback(self, callback: DueCallback) -> None:
        queue = self.ctx.directory.queue(callback.queue)
        if queue is None:
            raise ValueError(f"call back {callback.callback_id}: no phone queue {callback.queue}")
        number = checked_dial_number(callback.gw_prefix + callback.number)
        try:
            document = cad.merge("", callback.attached_data, self.ctx.max_cad_bytes)
        except Exception:
            log.warning("call back %s: its attached data is no CAD, dropped", callback.callback_id)
            document = ""
        now = self.ctx.now()
        leg = Leg(
            handle=new_handle(),
            origin=Origin.CALLBACK,
            phase=Phase.NEW,
            inbound=False,
            queue=queue.id,
            first_number=queue.id,
            first_queue=queue.id,
            dialed_number=number,
            callback_id=callback.callback_id,
            attached_data=document,
            center_data=document,
            customer=True,
            created_at=now,
            entered_queue_at=now,
        )
        await self.ctx.core.add(leg)
        await self.arrivals.enqueue(
            leg, priority=callback.priority, skills=callback.skills, callback=True
        )

    async def start(self, handle: str, user: UserRecord) -> None:
        """The dispatcher allocated the callback to ``user``: the call is made for them."""
        line, now = user.phone or "", self.ctx.now()

        def mutate(leg: Leg) -> Leg:
            if leg.phase is not Phase.NEW:
                return leg
            return leg.model_copy(
                update={
                    "phase": Phase.IDLE,
                    "line": line,
                    "user_id": user.id,
                    "alerted_at": now,
                    "processing": ProcessingStatus.NOT_IN_PROCESS.value,
                }
            )

        changed = await self.ctx.core.try_change(handle, mutate)
        if changed is None or changed[1].phase is not Phase.IDLE:
            return
        leg = changed[1]
        await self.ctx.waiting.update(waiting_target(leg), waiting.remove(handle, answered_at=now))
        await self.dialing.dial_for_callback(handle, leg.dialed_number)

    async def follow(self, before: Leg, after: Leg) -> None:
        """Report the outcome once: connected, or ended without ever connecting."""
        if not after.callback_id or self.results is None:
            return
        if after.connected_once and not before.connected_once:
            await self.results.report(after.callback_id, CallbackOutcome.CONNECTED)
        elif (
            after.phase is Phase.ENDED
            and before.phase is not Phase.ENDED
            and not after.connected_once
        ):
            await self.results.report(after.callback_id, CallbackOutcome.FAILED)
