"""Routing follows what happens to calls: a waiting call that ends leaves its queue,
and a call that ends may free an agent for the next one."""

from __future__ import annotations

from oii_shared.routing import waiting
from oii_telephony.calls.context import CallContext, waiting_target
from oii_telephony.calls.model import Leg, Phase


class WaitingFollower:
    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx

    async def __call__(self, before: Leg, after: Leg) -> None:
        if after.phase is Phase.ENDED and before.phase in (Phase.NEW, Phase.ALERTING):
            await self.ctx.waiting.update(waiting_target(before), waiting.remove(before.handle))
        if after.phase is Phase.ENDED or before.user_id != after.user_id:
            self.ctx.kick()
