"""IciItem.forward for calls (9.4.6): a blind transfer to a phone line (destType 1) or a queue (12).

The forwarding agent's call ends (wrap-up unless OII.ForwardAndEnd or it was only
alerting); the parties it talked to wait for the destination in a new call
item, which is offered like any call for that line or queue and carries the
CAD (ExtraDataWhenCallOut).
"""

from __future__ import annotations

from oii_shared.ici.tables import DestinationType, PhoneCallCapability
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.attached import CALL_OUT, AttachedData
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.ending import on_line
from oii_telephony.calls.inbound import Arrivals
from oii_telephony.calls.model import Leg, Origin, Peer
from oii_telephony.calls.parties import Parties
from oii_telephony.calls.states import require
from oii_telephony.calls.wrapup import EndReason, ended


class Forwarding:
    def __init__(
        self, ctx: CallContext, attached: AttachedData, arrivals: Arrivals, parties: Parties
    ) -> None:
        self.ctx = ctx
        self.attached = attached
        self.arrivals = arrivals
        self.parties = parties

    def _destination(self, leg: Leg, dest_type: object, destination: object) -> tuple[str, str]:
        """(line, queue id) of the destination; exactly one is set."""
        kind = str(dest_type if dest_type is not None else "").strip()
        target = str(destination if destination is not None else "").strip()
        if not target:
            raise IciFault(Errors.MISSING_ARGUMENT, "destination is required")
        if kind == str(DestinationType.PHONE_LINE.value):
            line = self.ctx.directory.known_line(target)
            if line == leg.line:
                raise IciFault(Errors.INVALID_ARGUMENT, f"call {leg.handle} is already on {line}")
            return line, ""
        if kind == str(DestinationType.QUEUE.value):
            queue = self.ctx.directory.queue(target)
            if queue is None:
                raise IciFault(Errors.UNKNOWN_QUEUE, f"no phone queue {target}")
            return "", queue.id
        raise IciFault(
            Errors.INVALID_ARGUMENT, f"destType {kind!r} is not 1 (phone line) or 12 (queue)"
        )

    async def forward(
        self, handle: object, container: str, dest_type: object, destination: object
    ) -> None:
        leg = await self.ctx.store.load(handle)
        on_line(leg, container)
        require(leg, PhoneCallCapability.FORWARD)
        line, queue_id = self._destination(leg, dest_type, destination)
        # A forward is a (blind) transfer: the CAD reaches the contact center now.
        source = leg.model_copy(update={"center_data": leg.attached_data})
        moved = Leg.waiting(
            Origin.DIRECT if line else Origin.QUEUE,
            line or queue_id,
            self.ctx.now(),
            queue=queue_id,
            target_line=line,
            inbound=True,
            first_number=leg.first_number or leg.dialed_number,
            first_queue=leg.first_queue,
            orig_queue=leg.queue,
            trunk_id=leg.trunk_id,
            caller_number=leg.caller_number,
            sip_call_id=leg.sip_call_id,
        ).with_peers(leg.peers)
        moved = moved.model_copy(update={"customer": leg.customer, "internal": leg.internal})
        document = await self.attached.with_keys(
            moved, CALL_OUT, self.attached.following(source, CALL_OUT)
        )
        moved = moved.model_copy(update={"attached_data": document, "center_data": document})
        rules = self.ctx.wrap_up

        def leave(current: Leg) -> Leg:
            on_line(current, container)
            require(current, PhoneCallCapability.FORWARD)
            return ended(current, EndReason.FORWARDED, rules)

        await self.ctx.core.change(leg.handle, leave)
        await self.ctx.core.add(moved)
        await self.parties.hand_over(leg, Peer(number=line or queue_id, leg=moved.handle))
        await self.arrivals.enqueue(moved)
