"""Calls going out: IciItem.create, IciPhoneCall.dial and consult, and what the network says.

The number dialled decides where the call goes: another agent's phone line
(an internal call, alerted on that line unless OII.IgnoreOperDirect hides a
direct agent-to-agent call), a phone queue (routed like any queue call), or
the telephone network.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass

from oii_shared.ici.tables import PhoneCallCapability, PhoneCallStatus, ProcessingStatus
from oii_shared.items import cad
from oii_shared.redaction import personal
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.attached import CALL_OUT, AttachedData
from oii_telephony.calls.connecting import Connecting
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.ending import Endings, on_line
from oii_telephony.calls.inbound import Arrivals
from oii_telephony.calls.model import Leg, Origin, Peer, Phase, new_handle
from oii_telephony.calls.parties import Parties
from oii_telephony.calls.states import require, require_status
from oii_telephony.calls.wrapup import EndReason
from oii_telephony.numbers import checked_dial_number

log = logging.getLogger(__name__)


# How long a stop waits for busy calls being ended right then.
BUSY_STOP_GRACE_S = 5.0


class Dialing:
    def __init__(
        self,
        ctx: CallContext,
        attached: AttachedData,
        connecting: Connecting,
        arrivals: Arrivals,
        endings: Endings,
        parties: Parties,
    ) -> None:
        self.ctx = ctx
        self.attached = attached
        self.connecting = connecting
        self.arrivals = arrivals
        self.endings = endings
        self.parties = parties
        self._busy_timers: set[asyncio.Task[None]] = set()
        # Timers past their pause, ending their call: a stop lets them finish the change.
        self._ending_busy: set[asyncio.Task[None]] = set()

    async def create(self, line: str) -> Leg:
        user = self.ctx.directory.user_of_line(line)
        leg = Leg(
            handle=new_handle(),
            origin=Origin.OUTBOUND,
            phase=Phase.CREATED,
            inbound=False,
            line=line,
            user_id=user.id if user is not None else "",
            created_at=self.ctx.now(),
        )
        return await self.ctx.core.add(leg)

    async def dial(self, line: str, handle: object, number: object) -> str:
        leg = await self.ctx.store.load(handle)
        on_line(leg, line)
        require(leg, PhoneCallCapability.DIAL)
        return await self._dial(leg, checked_dial_number(number), Origin.OUTBOUND)

    async def consult(
        self, line: str, handle: object, conn_handle: object, number: object, next_step: int
    ) -> None:
        leg = await self.ctx.store.load(handle)
        on_line(leg, line)
        require(leg, PhoneCallCapability.CONSULT)
        held = await self.ctx.store.load(conn_handle)
        on_line(held, line)
        require_status(held, "connCallHandle", PhoneCallStatus.CONNECTED, PhoneCallStatus.HOLD)
        if next_step not in (1, 2, 3, 4):
            raise IciFault(Errors.INVALID_ARGUMENT, f"nextStep {next_step} is not 1, 2, 3 or 4")
        dial_number = checked_dial_number(number)
        self._check_target(leg, dial_number)
        if not held.on_hold:
            _, held = await self.ctx.core.change(held.handle, _put_on_hold)
            await self.parties.tell_hold(held)
        await self._dial(leg, dial_number, Origin.CONSULT, held=held, next_step=next_step)

    async def dial_for_callback(self, handle: str, number: str) -> None:
        leg = await self.ctx.store.get(handle)
        if leg is None or leg.phase is not Phase.IDLE:
            return
        await self.dial_callback_leg(leg, number)

    async def dial_callback_leg(self, leg: Leg, number: str) -> None:
        """Dial the call back ``leg`` (as read while IDLE); a failed dial ends it as FAILED.

        The agent may have dropped it since it was read: a call that ended meanwhile is
        left as the drop left it (gone, or in wrap-up), never ended a second time.
        """
        try:
            await self._dial(leg, number, Origin.CALLBACK)
        except IciFault as fault:
            log.warning(
                "callback call %s to %s not dialled: %s", leg.handle, personal(number), fault
            )
            with contextlib.suppress(IciFault):
                await self.endings.finish(leg.handle, EndReason.FAILED, _not_ended)

    async def _dial(
        self, leg: Leg, number: str, origin: Origin, *, held: Leg | None = None, next_step: int = 1
    ) -> str:
        directory = self.ctx.directory
        agent = directory.user_of_line(number)
        queue = directory.queue(number)
        self._check_target(leg, number)
        internal = agent is not None or queue is not None
        dialed = number if internal else directory.numbers.outgoing(number)
        # A call to the network talks to its party from the start (remoteNumbers, SIP_CALL_ID).
        party = None if internal else self._new_party(leg)
        dialing = leg.model_copy(
            update={"dialed_number": dialed, "sip_call_id": _sip_of(party, leg.sip_call_id)}
        )
        values = await self.attached.values(dialing, CALL_OUT)
        app, limit = self.ctx.cad_application, self.ctx.max_cad_bytes
        capability = PhoneCallCapability.CONSULT if held is not None else PhoneCallCapability.DIAL
        trunk = self.ctx.network.trunk_id
        now = self.ctx.now()

        def mutate(current: Leg) -> Leg:
            require(current, capability)
            changed = current.model_copy(
                update={
                    "phase": Phase.DIALING,
                    "processing": ProcessingStatus.ACTIVE.value,
                    "dialed_number": dialed,
                    "origin": origin if current.origin is not Origin.CALLBACK else Origin.CALLBACK,
                    "consult_for": held.handle if held is not None else "",
                    "next_step": next_step,
                    "attached_data": cad.with_values(current.attached_data, app, values, limit),
                    "dialed_at": now,
                }
            )
            if party is None:
                return changed
            return changed.with_peers((Peer(number=dialed, external=party.id),)).model_copy(
                update={"trunk_id": trunk, "sip_call_id": party.sip_call_id}
            )

        _, leg = await self.ctx.core.change(leg.handle, mutate)
        handed_on = self.attached.following(held if held is not None else leg, CALL_OUT)
        if agent is not None:
            visible = held is not None or not directory.flag("OII.IgnoreOperDirect")
            await self._call_agent(leg, number, handed_on, visible)
        elif queue is not None:
            await self._call_internal(leg, number, handed_on, queue_id=queue.id)
        elif party is not None:
            await self.ctx.network.place_call(party.id, dialed)
        return dialed

    @staticmethod
    def _check_target(leg: Leg, number: str) -> None:
        if number == leg.line:
            raise IciFault(Errors.INVALID_ARGUMENT, f"{number} is the line's own number")

    def _new_party(self, leg: Leg) -> _Party:
        return _Party(
            id=new_handle(),
            sip_call_id=leg.sip_call_id or f"{uuid.uuid4()}@{self.ctx.network.trunk_id}",
        )

    async def _call_agent(self, leg: Leg, line: str, document: str, visible: bool) -> None:
        if not visible:
            # OII.IgnoreOperDirect: a direct agent call is for the desk phone, not IC WebClient.
            await self.ctx.core.change(
                leg.handle,
                lambda current: current.with_peers((Peer(number=line),)).model_copy(
                    update={"phase": Phase.RINGING}
                ),
            )
            return
        await self._call_internal(leg, line, document, target_line=line)

    async def _call_internal(
        self, leg: Leg, number: str, document: str, *, target_line: str = "", queue_id: str = ""
    ) -> None:
        callee = Leg.waiting(
            Origin.DIRECT if target_line else Origin.QUEUE,
            number,
            self.ctx.now(),
            queue=queue_id,
            target_line=target_line,
            document=document,
            inbound=True,
            caller_number=leg.line,
        ).with_peers((Peer(number=leg.line, leg=leg.handle),))
        callee = callee.model_copy(update={"customer": False})
        await self.ctx.core.add(callee)
        await self.ctx.core.change(
            leg.handle,
            lambda current: current.with_peers(
                (Peer(number=number, leg=callee.handle),)
            ).model_copy(update={"phase": Phase.RINGING}),
        )
        await self.arrivals.enqueue(callee)

    # ----------------------------------------------------------------- the network's answers

    async def _party_leg(self, party_id: str) -> str | None:
        legs = self.ctx.store.party_legs(party_id)
        return legs[0].handle if legs else None

    async def remote_ringing(self, party_id: str) -> None:
        handle = await self._party_leg(party_id)
        if handle is None:
            return
        await self.ctx.core.try_change(
            handle,
            lambda leg: (
                leg.model_copy(update={"phase": Phase.RINGING})
                if leg.phase is Phase.DIALING
                else leg
            ),
        )

    async def remote_answered(self, party_id: str) -> None:
        handle = await self._party_leg(party_id)
        if handle is None:
            return
        try:
            await self.connecting.connect(
                handle, lambda leg: leg.phase in (Phase.DIALING, Phase.RINGING)
            )
        except IciFault:
            return  # the call ended meanwhile

    async def remote_busy(self, party_id: str) -> None:
        handle = await self._party_leg(party_id)
        if handle is None:
            return
        if not self.ctx.directory.flag("OII.ShowBusyStatus"):
            await self._failed(handle)
            return
        # OII.ShowBusyStatus: Busy for OII.BusyStatusDuration, then Ended (IC WebClient cannot
        # clear a Busy call itself).
        now = self.ctx.now()
        changed = await self.ctx.core.try_change(
            handle,
            lambda leg: (
                leg.model_copy(update={"phase": Phase.BUSY, "busy_at": now})
                if leg.phase in (Phase.DIALING, Phase.RINGING)
                else leg
            ),
        )
        if changed is None or changed[1] is changed[0]:
            return
        self.end_busy_later(changed[1])

    def end_busy_later(self, leg: Leg) -> None:
        """A Busy call ends OII.BusyStatusDuration after the network said busy."""
        duration = self.ctx.directory.parameters.integer("OII.BusyStatusDuration") / 1000
        delay = max(0.0, leg.busy_at + duration - self.ctx.now())
        timer = asyncio.create_task(self._end_busy(leg.handle, delay), name=f"busy-{leg.handle}")
        self._busy_timers.add(timer)
        timer.add_done_callback(self._busy_timers.discard)

    async def _end_busy(self, handle: str, delay: float) -> None:
        await asyncio.sleep(delay)
        task = asyncio.current_task()
        assert task is not None
        self._ending_busy.add(task)
        try:
            await self._failed(handle)
        finally:
            self._ending_busy.discard(task)

    async def remote_unreachable(self, party_id: str) -> None:
        handle = await self._party_leg(party_id)
        if handle is None:
            return
        await self._failed(handle)

    async def _failed(self, handle: str) -> None:
        with contextlib.suppress(IciFault):  # already gone
            await self.endings.finish(handle, EndReason.FAILED)

    async def close(self) -> None:
        """Cancel the pauses; a timer already ending its call finishes that change first
        (cut in the middle, the call would be gone without CRM hearing it ended)."""
        for timer in list(self._busy_timers):
            if timer not in self._ending_busy:
                timer.cancel()
        if self._busy_timers:
            await asyncio.wait(set(self._busy_timers), timeout=BUSY_STOP_GRACE_S)


@dataclass(frozen=True, slots=True)
class _Party:
    """A party of the telephone network this call is about to dial."""

    id: str
    sip_call_id: str


def _sip_of(party: _Party | None, current: str) -> str:
    return party.sip_call_id if party is not None else current


def _not_ended(leg: Leg) -> None:
    if leg.phase is Phase.ENDED:
        raise IciFault(Errors.NOT_ALLOWED_IN_STATUS, f"call {leg.handle} has ended")


def _put_on_hold(leg: Leg) -> Leg:
    return leg.model_copy(update={"on_hold": True})
