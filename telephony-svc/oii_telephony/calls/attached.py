"""Call attached data: OII's own keys (7.2.1, 7.2.2) and IciItem get/set/deleteAttachedData.

When a call is allocated, dialled out, connected or joined by a warm transfer,
the keys of ExtraDataWhenAllocated / CallOut / Connected / Join are written
into OII's Application subtree (``OII.CADApplicationID``). ``XML`` in CallOut
and Join means the whole document, other applications' subtrees too, follows
the call to the next agent; without it only OII's subtree does.

OII.SetExtraData=1: what CRM sets is known to the contact center at once, so a
consultation or forwarded call carries it; =0: only when the call is transferred.
"""

from __future__ import annotations

from oii_shared.ici.tables import PhoneCallCapability
from oii_shared.items import cad
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.model import Leg, guid_of
from oii_telephony.calls.states import require

ALLOCATED = "ExtraDataWhenAllocated"
CALL_OUT = "ExtraDataWhenCallOut"
CONNECTED = "ExtraDataWhenConnected"
JOIN = "ExtraDataWhenJoin"


class AttachedData:
    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx

    def keys(self, parameter: str) -> tuple[str, ...]:
        return self.ctx.directory.parameters.items(parameter)

    async def values(self, leg: Leg, parameter: str) -> list[tuple[str, str]]:
        """The OII keys of ``parameter`` for ``leg``, in the parameter's order."""
        directory = self.ctx.directory
        first = directory.queue(leg.first_queue) if leg.first_queue else None
        called = leg.first_number or leg.first_queue or leg.dialed_number
        found: dict[str, str] = {
            "FirstBNumber": called,
            "FirstBName": first.name if first is not None else called,
            "BNumberName": leg.queue or called,
            "OrigQueue": leg.orig_queue or leg.first_queue or called,
            "GUID": guid_of(leg.handle),
            "FirstANumber": leg.caller_number,
            "SIP_CALL_ID": leg.sip_call_id,
        }
        values: list[tuple[str, str]] = []
        for key in self.keys(parameter):
            if key == "CALL_ID":
                values.append((key, f"CI_{await self.ctx.store.next_call_number()}L"))
            elif found.get(key):
                values.append((key, found[key]))
        return values

    async def with_keys(self, leg: Leg, parameter: str, document: str | None = None) -> str:
        """``document`` (default: the leg's CAD) with the keys of ``parameter`` written in."""
        values = await self.values(leg, parameter)
        base = leg.attached_data if document is None else document
        return cad.with_values(base, self.ctx.cad_application, values, self.ctx.max_cad_bytes)

    def following(self, source: Leg, parameter: str) -> str:
        """What a call hands on to the next agent's call (consultation, forward, transfer)."""
        if cad.XML_KEY in self.keys(parameter):
            return source.center_data
        return cad.only_application(
            source.center_data, self.ctx.cad_application, self.ctx.max_cad_bytes
        )

    # ----------------------------------------------------------------- IciItem

    async def get(self, handle: object) -> str:
        leg = await self.ctx.store.load(handle)
        require(leg, PhoneCallCapability.GET_ATTACHED_DATA)
        return leg.attached_data

    async def set(self, handle: object, document: object) -> None:
        leg = await self.ctx.store.load(handle)
        incoming = str(document if document is not None else "")
        # Checked once outside the compare-and-set so a bad document faults before any write.
        cad.merge(leg.attached_data, incoming, self.ctx.max_cad_bytes)
        tell_center = self.ctx.directory.flag("OII.SetExtraData")
        limit = self.ctx.max_cad_bytes

        def mutate(current: Leg) -> Leg:
            require(current, PhoneCallCapability.SET_ATTACHED_DATA)
            merged = cad.merge(current.attached_data, incoming, limit)
            if merged == current.attached_data:
                return current
            fields = {"attached_data": merged}
            if tell_center:
                fields["center_data"] = cad.merge(current.center_data, incoming, limit)
            return current.model_copy(update=fields)

        await self.ctx.core.change(leg.handle, mutate)

    async def delete(self, handle: object) -> None:
        leg = await self.ctx.store.load(handle)
        tell_center = self.ctx.directory.flag("OII.SetExtraData")

        def mutate(current: Leg) -> Leg:
            require(current, PhoneCallCapability.DELETE_ATTACHED_DATA)
            if not current.attached_data:
                return current
            fields = {"attached_data": ""}
            if tell_center:
                fields["center_data"] = ""
            return current.model_copy(update=fields)

        await self.ctx.core.change(leg.handle, mutate)
