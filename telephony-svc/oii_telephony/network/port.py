"""The seam between the call engine and a telephone network.

The simulated network (``network.simulator``) is the default connector; a real
PBX or SIP trunk connector implements the same two protocols. Parties of the
network are named by an id the engine chooses (``party_id``); the network
reports what happens to them through :class:`NetworkEvents`.
"""

from __future__ import annotations

from typing import Protocol


class UnknownDestination(Exception):
    """An inbound call to a number that is no phone queue's and no phone line's."""


class NetworkEvents(Protocol):
    """Implemented by the call engine: what the network reports."""

    async def remote_ringing(self, party_id: str) -> None:
        """The called party's phone rings."""

    async def remote_answered(self, party_id: str) -> None:
        """The called party answered."""

    async def remote_busy(self, party_id: str) -> None:
        """The called party is busy."""

    async def remote_unreachable(self, party_id: str) -> None:
        """No answer in time, or the number cannot be reached."""

    async def remote_hung_up(self, party_id: str) -> None:
        """The party hung up (an inbound caller or an answered called party)."""


class TelephoneNetwork(Protocol):
    """Implemented by a connector: what the engine asks of the network."""

    trunk_id: str

    async def place_call(self, party_id: str, number: str) -> None:
        """Call ``number``; progress comes back through :class:`NetworkEvents`."""

    async def resume_call(self, party_id: str, number: str, dialed_at: float) -> None:
        """A call placed at ``dialed_at`` (epoch seconds) before this process started, still
        dialling or ringing: report its progress from here on. Every replica that starts
        may resume the same call; the engine's compare-and-set keeps one outcome."""

    async def disconnect(self, party_id: str) -> None:
        """The contact center hangs up on the party."""

    async def connect_externally(self, party_ids: tuple[str, ...]) -> None:
        """The parties talk on without the contact center (both sides of a transfer left it)."""
