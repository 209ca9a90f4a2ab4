"""Two calls of one line: hold, unhold, alternate, reconnect, transfer, conference, dropParty.

``conn`` is the connected call and ``held`` the call this line holds (9.7.4 to
9.7.10); each must have the operation in its capability list (10.12.3) and be
in the status its role names.
"""

from __future__ import annotations

from oii_shared.ici.tables import PhoneCallCapability, PhoneCallStatus
from oii_shared.items import cad
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.attached import JOIN, AttachedData
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.ending import Endings, on_line
from oii_telephony.calls.model import Leg, Peer
from oii_telephony.calls.parties import Parties
from oii_telephony.calls.states import require, require_status
from oii_telephony.calls.wrapup import EndReason, ended


class Bridging:
    def __init__(
        self, ctx: CallContext, attached: AttachedData, parties: Parties, endings: Endings
    ) -> None:
        self.ctx = ctx
        self.attached = attached
        self.parties = parties
        self.endings = endings

    async def _pair(
        self, line: str, conn_handle: object, held_handle: object, capability: PhoneCallCapability
    ) -> tuple[Leg, Leg]:
        conn = await self.ctx.store.load(conn_handle)
        held = await self.ctx.store.load(held_handle)
        for leg, role in ((conn, "connCallHandle"), (held, "heldCallHandle")):
            on_line(leg, line)
            require(leg, capability, role)
        require_status(conn, "connCallHandle", PhoneCallStatus.CONNECTED)
        require_status(held, "heldCallHandle", PhoneCallStatus.HOLD)
        if conn.handle == held.handle:
            raise IciFault(
                Errors.INVALID_ARGUMENT, "connCallHandle and heldCallHandle are one call"
            )
        return conn, held

    async def _set_hold(self, handle: str, on: bool, capability: PhoneCallCapability) -> None:
        def mutate(leg: Leg) -> Leg:
            require(leg, capability)
            return leg.model_copy(update={"on_hold": on})

        _, after = await self.ctx.core.change(handle, mutate)
        await self.parties.tell_hold(after)

    async def hold(self, line: str, handle: object) -> None:
        leg = await self.ctx.store.load(handle)
        on_line(leg, line)
        await self._set_hold(leg.handle, True, PhoneCallCapability.HOLD)

    async def unhold(self, line: str, handle: object) -> None:
        leg = await self.ctx.store.load(handle)
        on_line(leg, line)
        await self._set_hold(leg.handle, False, PhoneCallCapability.UNHOLD)

    async def alternate(self, line: str, conn_handle: object, held_handle: object) -> None:
        conn, held = await self._pair(line, conn_handle, held_handle, PhoneCallCapability.ALTERNATE)
        await self._set_hold(conn.handle, True, PhoneCallCapability.HOLD)
        await self._set_hold(held.handle, False, PhoneCallCapability.UNHOLD)

    async def reconnect(self, line: str, conn_handle: object, held_handle: object) -> None:
        conn, held = await self._pair(line, conn_handle, held_handle, PhoneCallCapability.RECONNECT)
        await self.endings.finish(conn.handle, EndReason.DROPPED)
        await self._set_hold(held.handle, False, PhoneCallCapability.UNHOLD)

    async def transfer(self, line: str, conn_handle: object, held_handle: object) -> None:
        """The held call's parties and the connected call's parties talk on; this line leaves.

        A held conference is transferred too (Hold lists 104 whatever the call was): the
        consulted party joins the conference's other parties, as when an owner leaves.
        """
        conn, held = await self._pair(line, conn_handle, held_handle, PhoneCallCapability.TRANSFER)
        # The CAD reaches the contact center at a transfer whatever OII.SetExtraData says.
        held = held.model_copy(update={"center_data": held.attached_data})
        document = self.attached.following(held, JOIN)
        rules = self.ctx.wrap_up
        await self.ctx.core.change(
            held.handle, lambda leg: ended(leg, EndReason.TRANSFERRED, rules)
        )
        await self.ctx.core.change(conn.handle, lambda leg: ended(leg, EndReason.MERGED, rules))
        await self.parties.join((*held.peers, *conn.peers), leaving=(held.handle, conn.handle))
        for peer in conn.peers:
            if peer.leg:
                await self._hand_on(peer.leg, document, held)

    async def _hand_on(self, handle: str, document: str, source: Leg) -> None:
        """The agent who takes over a transferred call gets its CAD and ExtraDataWhenJoin keys."""
        receiver = await self.ctx.store.get(handle)
        if receiver is None:
            return
        taken_over = {
            "first_number": source.first_number,
            "first_queue": source.first_queue,
            "queue": source.queue,
            "caller_number": source.caller_number,
            "sip_call_id": source.sip_call_id,
        }
        merged = cad.merge(receiver.attached_data, document, self.ctx.max_cad_bytes)
        keyed = await self.attached.with_keys(receiver.model_copy(update=taken_over), JOIN, merged)
        update = {**taken_over, "attached_data": keyed, "center_data": keyed}
        await self.ctx.core.try_change(handle, lambda leg: leg.model_copy(update=update))

    async def conference(self, line: str, conn_handle: object, held_handle: object) -> None:
        """The held call carries on as the conference; the connected call's parties join it."""
        conn, held = await self._pair(
            line, conn_handle, held_handle, PhoneCallCapability.CONFERENCE
        )
        rules = self.ctx.wrap_up
        await self.ctx.core.change(conn.handle, lambda leg: ended(leg, EndReason.MERGED, rules))
        await self.parties.hand_over(conn, Peer(number=line, leg=held.handle))

        def grow(leg: Leg) -> Leg:
            added = tuple(p for p in conn.peers if p not in leg.peers)
            return leg.with_peers((*leg.peers, *added)).model_copy(update={"on_hold": False})

        await self.ctx.core.change(held.handle, grow)
        await self.parties.refresh_conference(held.handle)

    async def drop_party(self, line: str, handle: object, number: object) -> None:
        leg = await self.ctx.store.load(handle)
        on_line(leg, line)
        require(leg, PhoneCallCapability.DROP_PARTY)
        wanted = str(number if number is not None else "").strip()
        peer = next((p for p in leg.peers if p.number == wanted), None)
        if peer is None:
            raise IciFault(Errors.INVALID_ARGUMENT, f"no party {wanted!r} in call {leg.handle}")
        if peer.external:
            await self.parties.disconnect_external(peer.external, (leg.handle,))
            await self.parties.lose(leg.handle, peer)
        elif peer.leg:
            await self.endings.finish(peer.leg, EndReason.REMOTE_HANGUP)
        else:
            await self.parties.lose(leg.handle, peer)
