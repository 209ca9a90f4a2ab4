"""Calls coming in: from the network into a queue or to a line, offered, accepted, rerouted.

A call waiting for an agent is a leg in phase New on no line (10.12.3: "not
assigned to any phone line"). The dispatcher offers it to an agent (Alerting on
the agent's line); IciItem.accept connects it; reroute and an unanswered alert
put a queue call back in its queue (reroute never to the same agent again).
"""

from __future__ import annotations

import logging
import uuid

from oii_shared.db.repository import UserRecord
from oii_shared.ici.tables import PhoneCallCapability, ProcessingStatus
from oii_shared.redaction import personal
from oii_shared.routing import waiting
from oii_shared.routing.dispatcher import Expiry
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.attached import ALLOCATED, AttachedData
from oii_telephony.calls.connecting import Connecting
from oii_telephony.calls.context import CallContext, waiting_target
from oii_telephony.calls.ending import Check, Endings, on_line
from oii_telephony.calls.model import Leg, Origin, Peer, Phase, new_handle
from oii_telephony.calls.states import require
from oii_telephony.calls.wrapup import EndReason
from oii_telephony.network.port import UnknownDestination

log = logging.getLogger(__name__)


async def take_waiting(ctx: CallContext, handle: str, user: UserRecord, phase: Phase) -> Leg | None:
    """Move a call still waiting in its queue (phase NEW) onto ``user``'s line, in ``phase``.

    None when it no longer waits (taken, withdrawn or ended meanwhile).
    """
    line, now = user.phone or "", ctx.now()

    def mutate(leg: Leg) -> Leg:
        if leg.phase is not Phase.NEW:
            return leg
        return leg.model_copy(
            update={
                "phase": phase,
                "line": line,
                "user_id": user.id,
                "alerted_at": now,
                "processing": ProcessingStatus.NOT_IN_PROCESS.value,
            }
        )

    changed = await ctx.core.try_change(handle, mutate)
    if changed is None or changed[1] is changed[0]:
        return None
    return changed[1]


class Arrivals:
    def __init__(
        self, ctx: CallContext, attached: AttachedData, connecting: Connecting, endings: Endings
    ) -> None:
        self.ctx = ctx
        self.attached = attached
        self.connecting = connecting
        self.endings = endings

    async def incoming(self, caller: str, called: str) -> Leg:
        """A call from the telephone network to a queue number or an agent's line."""
        directory = self.ctx.directory
        queue = directory.queue(called)
        user = directory.user_of_line(called)
        if queue is None and user is None:
            raise UnknownDestination(called)
        number = directory.numbers.incoming(caller)
        handle = new_handle()
        now = self.ctx.now()
        leg = Leg.waiting(
            Origin.QUEUE if queue is not None else Origin.DIRECT,
            queue.id if queue is not None else called,
            now,
            queue=queue.id if queue is not None else "",
            target_line="" if queue is not None else called,
            handle=handle,
            inbound=True,
            trunk_id=self.ctx.network.trunk_id,
            caller_number=number,
            sip_call_id=f"{uuid.uuid4()}@{self.ctx.network.trunk_id}",
        ).with_peers((Peer(number=number, external=handle),))
        document = await self.attached.with_keys(leg, ALLOCATED)
        leg = leg.model_copy(update={"attached_data": document, "center_data": document})
        await self.ctx.core.add(leg)
        await self.enqueue(leg)
        log.info("call %s from %s to %s waits", handle, personal(number), called)
        return leg

    async def enqueue(
        self,
        leg: Leg,
        *,
        priority: int = 0,
        skills: dict[str, int] | None = None,
        starts_active: bool = False,
    ) -> None:
        required = dict(skills or {})
        queue = self.ctx.directory.queue(leg.queue) if leg.queue and not leg.target_line else None
        if queue is not None:
            required = {**queue.skills, **required}
        entry = waiting.QueueEntry(
            handle=leg.handle,
            entered_at=leg.entered_queue_at or self.ctx.now(),
            priority=priority,
            skills=required,
            starts_active=starts_active,
        )
        await self.ctx.waiting.update(waiting_target(leg), waiting.add(entry))
        self.ctx.kick()

    async def offer(self, handle: str, user: UserRecord) -> Leg | None:
        """Alert the waiting call on the user's line (the dispatcher already claimed the agent)."""
        return await take_waiting(self.ctx, handle, user, Phase.ALERTING)

    async def accept(self, line: str, handle: object) -> None:
        item_id = self.ctx.store.item_id(handle)

        def allowed(current: Leg) -> bool:
            on_line(current, line)
            require(current, PhoneCallCapability.ACCEPT)
            return True

        accepted = await self.connecting.connect(item_id, allowed)
        if accepted is None:
            return
        await self.ctx.waiting.update(
            waiting_target(accepted), waiting.remove(accepted.handle, answered_at=self.ctx.now())
        )
        for peer in accepted.peers:
            if peer.leg:
                # The agent who called this line hears the call answered.
                await self.connecting.connect(
                    peer.leg, lambda other: other.phase in (Phase.DIALING, Phase.RINGING)
                )

    async def reroute(self, line: str, handle: object) -> None:
        leg = await self.ctx.store.load(handle)
        on_line(leg, line)
        require(leg, PhoneCallCapability.REROUTE)
        if leg.target_line:
            # A call for this very line has nowhere else to go: the caller is told so.
            await self.endings.finish(leg.handle, EndReason.DROPPED, self._alerting_on(line))
            return
        await self._back_to_queue(leg.handle, leg.user_id, exclude=True)

    async def give_back(self, handle: str) -> None:
        """An alerting call leaves its agent without having been refused (dropCalls, login)."""
        leg = await self.ctx.store.get(handle)
        if leg is None or leg.phase is not Phase.ALERTING:
            return
        if leg.target_line:
            await self.endings.finish(handle, EndReason.DROPPED, self._alerting_on(leg.line))
        else:
            await self._back_to_queue(handle, leg.user_id, exclude=False)

    async def offer_expired(self, target: waiting.Target, entry: waiting.QueueEntry) -> Expiry:
        """An offer outlived the alert timeout: a queue call goes back to its queue, a call
        for a line keeps knocking.

        An offer a replica left half made when it stopped (the call never alerted, or
        moved on) is the dispatcher's to tidy: the call waits again, or is gone.
        """
        user_id = entry.offered_to
        leg = await self.ctx.store.get(entry.handle)
        if leg is not None and leg.phase is Phase.ALERTING and leg.user_id == user_id:
            if not target.personal:
                log.info("call %s not answered by %s: back to its queue", leg.handle, user_id)
                await self._back_to_queue(leg.handle, user_id, exclude=False)
            return Expiry.HANDLED
        return Expiry.WAITING if leg is not None and leg.phase is Phase.NEW else Expiry.GONE

    async def _back_to_queue(self, handle: str, user_id: str, *, exclude: bool) -> None:
        def mutate(leg: Leg) -> Leg:
            if leg.phase is not Phase.ALERTING or leg.user_id != user_id:
                return leg
            return leg.model_copy(update={"phase": Phase.NEW, "line": "", "user_id": ""})

        changed = await self.ctx.core.try_change(handle, mutate)
        if changed is None:
            return
        before, after = changed
        if after is not before:
            target = waiting_target(after)
            await self.ctx.waiting.update(target, waiting.release(handle, user_id, exclude))
            self.ctx.kick()

    @staticmethod
    def _alerting_on(line: str) -> Check:
        def check(leg: Leg) -> None:
            on_line(leg, line)
            if leg.phase is not Phase.ALERTING:
                raise IciFault(Errors.NOT_ALLOWED_IN_STATUS, f"call {leg.handle} is not alerting")

        return check
