"""Wrap-up, the same for every channel (4.3.1; IciItem.wrapUpRequired and wrapUpEnded, 9.4).

- OII.RequestedWrapUp=0 (automatic mode): an item its agent handled goes to processing
  status Wrap up when it ends; =1 (requested mode): only if IciItem.wrapUpRequired was
  called while it lasted.
- OII.Afterwork=1: a phone call or chat in wrap-up leaves its agent serving again
  (Afterwork: routing may offer the next contact as the room matrix allows); =0, and
  always for e-mails and action items, Paperwork: wrap-up keeps the agent busy until
  wrapUpEnded (the contact counts as active).

A channel decides which of its items were "handled" (a call that connected, an e-mail
that was accepted...) and adds its own exceptions (OII.WrapUpOutbound, OII.ForwardAndEnd
for calls); the rest is here. An item model with wrap-up derives from
:class:`WrapUpItem`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from oii_shared.agents.state import ContactState
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.ici.tables import ProcessingStatus
from oii_shared.items.store import ItemModel

# The channels whose wrap-up OII.Afterwork may turn into Afterwork (4.3.1).
AFTERWORK_CHANNELS = frozenset({Channel.PHONE, Channel.CHAT})


class WrapUpItem(ItemModel):
    """The fields wrap-up needs: the processing status (10.12.2 and its peers) and whether
    the agent asked for wrap-up (IciItem.wrapUpRequired)."""

    processing: int = ProcessingStatus.NOT_IN_PROCESS.value
    wrap_up_requested: bool = False

    @property
    def in_wrap_up(self) -> bool:
        return self.processing == ProcessingStatus.WRAP_UP.value


W = TypeVar("W", bound=WrapUpItem)


@dataclass(frozen=True, slots=True)
class WrapUpPolicy:
    requested: bool = False
    afterwork: bool = True

    @classmethod
    def from_parameters(cls, parameters: ModuleParameters) -> WrapUpPolicy:
        return cls(
            requested=parameters.flag("OII.RequestedWrapUp"),
            afterwork=parameters.flag("OII.Afterwork"),
        )

    def wraps_up(self, item: WrapUpItem, *, handled: bool) -> bool:
        """Whether ``item``, ending now, goes to Wrap up."""
        return handled and (not self.requested or item.wrap_up_requested)

    def processing_after_end(self, item: WrapUpItem, *, handled: bool) -> ProcessingStatus:
        if self.wraps_up(item, handled=handled):
            return ProcessingStatus.WRAP_UP
        return ProcessingStatus.NOT_IN_PROCESS

    def contact_in_wrap_up(self, channel: Channel) -> ContactState:
        """What an item in wrap-up is for its agent: Afterwork or Paperwork."""
        if self.afterwork and channel in AFTERWORK_CHANNELS:
            return ContactState.WRAP_UP
        return ContactState.ACTIVE


def requesting_wrap_up(item: W) -> W:
    """IciItem.wrapUpRequired: the item goes to Wrap up when it ends (requested mode)."""
    if item.wrap_up_requested:
        return item
    return item.model_copy(update={"wrap_up_requested": True})


def wrap_up_over(item: W) -> W:
    """IciItem.wrapUpEnded: the agent's work on the item is done."""
    return item.model_copy(update={"processing": ProcessingStatus.NOT_IN_PROCESS.value})
