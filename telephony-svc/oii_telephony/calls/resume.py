"""A starting engine takes over the timers of calls another process left in KV.

The network's answer and ring timers and the Busy display of OII.ShowBusyStatus
are timers of the process that dialled; after a restart (or when that replica
died) they are re-armed from the times stored on the leg. Every replica that
starts does so; the compare-and-set on the call keeps one outcome. Alert
timeouts need nothing here: the dispatcher of every replica finds expired
offers in the queues' KV state.
"""

from __future__ import annotations

import logging

from oii_telephony.calls.context import CallContext
from oii_telephony.calls.model import Phase
from oii_telephony.calls.outbound import Dialing

log = logging.getLogger(__name__)


async def resume_calls(ctx: CallContext, dialing: Dialing) -> int:
    """Re-arm the timers of the calls in KV; how many calls were resumed."""
    resumed = 0
    for leg in await ctx.store.all():
        if leg.phase is Phase.BUSY:
            dialing.end_busy_later(leg)
            resumed += 1
        elif leg.phase in (Phase.DIALING, Phase.RINGING):
            for peer in leg.peers:
                if not peer.external:
                    continue
                dialed_at = leg.dialed_at or leg.created_at
                await ctx.network.resume_call(peer.external, leg.dialed_number, dialed_at)
                resumed += 1
    if resumed:
        log.info("resumed %d calls left dialling, ringing or busy", resumed)
    return resumed
