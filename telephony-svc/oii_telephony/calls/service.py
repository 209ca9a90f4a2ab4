"""Every call use case, built together: what handlers, the simulator API and commands use."""

from __future__ import annotations

from dataclasses import dataclass

from oii_telephony.calls.attached import AttachedData
from oii_telephony.calls.bridging import Bridging
from oii_telephony.calls.callback_calls import CallbackCalls
from oii_telephony.calls.connecting import Connecting
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.ending import Endings
from oii_telephony.calls.forwarding import Forwarding
from oii_telephony.calls.inbound import Arrivals
from oii_telephony.calls.outbound import Dialing
from oii_telephony.calls.parties import Parties


@dataclass(slots=True)
class Telephony:
    ctx: CallContext
    attached: AttachedData
    parties: Parties
    endings: Endings
    connecting: Connecting
    arrivals: Arrivals
    dialing: Dialing
    bridging: Bridging
    forwarding: Forwarding
    callbacks: CallbackCalls

    @classmethod
    def build(cls, ctx: CallContext) -> Telephony:
        attached = AttachedData(ctx)
        parties = Parties(ctx)
        endings = Endings(ctx, parties)
        connecting = Connecting(ctx, attached)
        arrivals = Arrivals(ctx, attached, connecting, endings)
        dialing = Dialing(ctx, attached, connecting, arrivals, endings, parties)
        return cls(
            ctx=ctx,
            attached=attached,
            parties=parties,
            endings=endings,
            connecting=connecting,
            arrivals=arrivals,
            dialing=dialing,
            bridging=Bridging(ctx, attached, parties, endings),
            forwarding=Forwarding(ctx, attached, arrivals, parties),
            callbacks=CallbackCalls(ctx, arrivals, dialing),
        )

    # ----------------------------------------------------------------- the simulator's side

    async def call_in(self, caller: str, called: str) -> str:
        return (await self.arrivals.incoming(caller, called)).handle

    async def hang_up(self, party_id: str) -> bool:
        return await self.endings.remote_hung_up(party_id)

    # ----------------------------------------------------------------- the network's reports

    async def remote_ringing(self, party_id: str) -> None:
        await self.dialing.remote_ringing(party_id)

    async def remote_answered(self, party_id: str) -> None:
        await self.dialing.remote_answered(party_id)

    async def remote_busy(self, party_id: str) -> None:
        await self.dialing.remote_busy(party_id)

    async def remote_unreachable(self, party_id: str) -> None:
        await self.dialing.remote_unreachable(party_id)

    async def remote_hung_up(self, party_id: str) -> None:
        await self.endings.remote_hung_up(party_id)

    # ----------------------------------------------------------------- login

    async def drop_user_calls(self, user_id: str) -> int:
        """A new login of ``user_id`` (OII.LoginDropCalls): the user's line starts clean."""
        line = self.ctx.directory.line_of(user_id)
        if not line:
            return 0
        return await self.endings.drop_calls(line, self.arrivals.give_back, end_wrap_up=True)
