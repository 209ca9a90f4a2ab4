"""Whether an ending call goes to Wrap up or straight to Not in process (spec 4.3.1, 9.4.2).

The kit's :class:`WrapUpPolicy` decides for every channel (OII.RequestedWrapUp); what is a
"handled" call is telephony's:

- OII.WrapUpOutbound=0: an outbound call that never connected ends without wrap-up;
  =1: every outbound call is wrapped up.
- OII.ForwardAndEnd / OII.TransferAndEnd =1: a forwarded (blind) / transferred (warm)
  call ends without wrap-up.
- Calls that never talked to a customer (consultation and other agent-to-agent
  calls) and calls that ended before they were accepted have no wrap-up.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from oii_shared.config.parameters import ModuleParameters
from oii_shared.ici.tables import ProcessingStatus
from oii_shared.items.wrapup import WrapUpPolicy, wrap_up_over
from oii_telephony.calls.model import Leg, Phase, Role

__all__ = ["EndReason", "WrapUpRules", "ended", "wrap_up_over"]


class EndReason(enum.StrEnum):
    DROPPED = "dropped"  # this line disconnected
    REMOTE_HANGUP = "remote_hangup"  # the other party did
    FAILED = "failed"  # busy, no answer: never connected
    FORWARDED = "forwarded"  # IciItem.forward
    TRANSFERRED = "transferred"  # IciPhoneCall.transfer (the held call)
    MERGED = "merged"  # joined into a conference that another call of the line carries


@dataclass(frozen=True, slots=True)
class WrapUpRules:
    requested: bool = False  # OII.RequestedWrapUp
    outbound: bool = False
    forward_and_end: bool = False
    transfer_and_end: bool = False

    @classmethod
    def from_parameters(cls, parameters: ModuleParameters) -> WrapUpRules:
        return cls(
            requested=parameters.flag("OII.RequestedWrapUp"),
            outbound=parameters.flag("OII.WrapUpOutbound"),
            forward_and_end=parameters.flag("OII.ForwardAndEnd"),
            transfer_and_end=parameters.flag("OII.TransferAndEnd"),
        )

    def processing_after(self, leg: Leg, reason: EndReason) -> ProcessingStatus:
        policy = WrapUpPolicy(requested=self.requested)
        return policy.processing_after_end(leg, handled=self._handled(leg, reason))

    def _handled(self, leg: Leg, reason: EndReason) -> bool:
        if leg.phase in (Phase.CREATED, Phase.NEW, Phase.ALERTING, Phase.IDLE):
            return False
        if reason is EndReason.MERGED or not leg.customer:
            return False
        if reason is EndReason.FORWARDED and self.forward_and_end:
            return False
        if reason is EndReason.TRANSFERRED and self.transfer_and_end:
            return False
        return leg.connected_once or (not leg.inbound and self.outbound)


def ended(leg: Leg, reason: EndReason, rules: WrapUpRules) -> Leg:
    """The leg once its call is over: Ended, wrapped up or not, talking to no one."""
    if leg.phase is Phase.ENDED:
        return leg
    processing = rules.processing_after(leg, reason)
    return leg.model_copy(
        update={
            "phase": Phase.ENDED,
            "processing": processing.value,
            "on_hold": False,
            "held_by_peer": False,
            "role": Role.NONE,
            "peers": (),
        }
    )
