"""Calls that end: drop, dropCalls, the remote party hanging up, wrapUpRequired, wrapUpEnded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from oii_shared.ici.tables import PhoneCallCapability
from oii_shared.items.wrapup import requesting_wrap_up, wrap_up_over
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.model import Leg, Peer, Phase
from oii_telephony.calls.parties import Parties
from oii_telephony.calls.states import require
from oii_telephony.calls.wrapup import EndReason, ended

Check = Callable[[Leg], None]


def on_line(leg: Leg, line: str) -> None:
    if leg.line != line:
        raise IciFault(Errors.CALL_NOT_ON_LINE, f"call {leg.handle} is not on line {line}")


class Endings:
    def __init__(self, ctx: CallContext, parties: Parties) -> None:
        self.ctx = ctx
        self.parties = parties

    async def finish(self, handle: str, reason: EndReason, check: Check | None = None) -> Leg:
        """End the call of this leg (wrapped up or not) and tell the parties it talked to."""
        rules = self.ctx.wrap_up

        def mutate(leg: Leg) -> Leg:
            if check is not None:
                check(leg)
            return ended(leg, reason, rules)

        before, after = await self.ctx.core.change(handle, mutate)
        if after is not before:
            await self.parties.hang_up_on(before)
        return after

    async def drop(self, line: str, handle: object) -> None:
        item_id = self.ctx.store.item_id(handle)

        def check(current: Leg) -> None:
            on_line(current, line)
            require(current, PhoneCallCapability.DROP)

        await self.finish(item_id, EndReason.DROPPED, check)

    async def remote_hung_up(self, party_id: str) -> bool:
        """The network's party hung up; ``False`` if it is not connected to any call."""
        legs = self.ctx.store.party_legs(party_id)
        for leg in legs:
            await self.parties.lose(leg.handle, Peer(number="", external=party_id))
        return bool(legs)

    async def wrap_up_required(self, handle: object) -> None:
        item_id = self.ctx.store.item_id(handle)

        def mutate(current: Leg) -> Leg:
            require(current, PhoneCallCapability.WRAP_UP_REQUIRED)
            return requesting_wrap_up(current)

        await self.ctx.core.change(item_id, mutate)

    async def wrap_up_ended(self, handle: object) -> None:
        item_id = self.ctx.store.item_id(handle)

        def mutate(current: Leg) -> Leg:
            require(current, PhoneCallCapability.WRAP_UP_ENDED)
            return wrap_up_over(current)

        await self.ctx.core.change(item_id, mutate)

    async def drop_calls(
        self, line: str, give_back: Callable[[str], Awaitable[None]], *, end_wrap_up: bool
    ) -> int:
        """Disconnect every call of ``line``; an alerting call goes back where it came from.

        ``end_wrap_up`` also ends the wrap-up of calls already over (a new login).
        Returns how many calls were affected.
        """
        count = 0
        for leg in await self.ctx.store.in_container(line):
            if leg.phase is Phase.ALERTING:
                await give_back(leg.handle)
                count += 1
            elif leg.phase is not Phase.ENDED:
                try:
                    await self.finish(leg.handle, EndReason.DROPPED)
                except IciFault:
                    continue  # gone meanwhile (the other party hung up)
                count += 1
            elif end_wrap_up and leg.in_wrap_up:
                changed = await self.ctx.core.try_change(leg.handle, wrap_up_over)
                count += changed is not None
        return count
