"""The seam between the callback list (IciSystem, spec 9.1.6-9.1.8) and the call engine.

The callback scheduler (``oii_telephony.callbacks``) owns the database rows and
decides when a callback is due; the call engine (queues, routing, calls) owns
offering it to an agent and dialling. Each side depends only on this module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DueCallback:
    """A callback whose callTime has come, to be queued and offered like a queue call."""

    callback_id: str
    queue: str
    number: str
    priority: int = 0
    skills: dict[str, int] = field(default_factory=dict)
    # Call attached data to put on the call, as the XML text the callback carried.
    attached_data: str = ""
    # The same CAD as key -> value (the "any CAD" of extraData, 9.1.6.2), for merging
    # with the CAD the call engine writes itself.
    cad: dict[str, str] = field(default_factory=dict)
    # createCallBack's gwPrefix ("" if none): the gateway prefix used in call routing.
    gw_prefix: str = ""
    # The failures counted so far. An offer of the same callback and attempt made again
    # (another scheduler, after the lease of a replica that died ran out) is the same call:
    # the engine keeps the one it holds.
    attempt: int = 0


class CallbackOutcome(enum.StrEnum):
    CONNECTED = "connected"  # the customer answered: the callback is handled
    FAILED = "failed"  # busy, no answer, dropped before connect: counts a failure


class CallbackDialer(Protocol):
    """Implemented by the call engine."""

    async def offer_callback(self, callback: DueCallback) -> None:
        """Queue ``callback`` in its queue; an agent it is offered to dials ``number``.

        Idempotent across replicas: a repeat offer of a callback attempt the engine still
        holds (queued or being dialled) changes nothing.
        """

    async def withdraw_callback(self, callback_id: str, attempt: int) -> None:
        """The callback was settled (updateCallBack) while offered: if that attempt still
        waits in its queue it leaves undialled; a call already dialled goes on."""


class CallbackResults(Protocol):
    """Implemented by the callback scheduler."""

    async def report(self, callback_id: str, outcome: CallbackOutcome) -> None:
        """Record how the dialled callback went (failure counting, HANDLED)."""
