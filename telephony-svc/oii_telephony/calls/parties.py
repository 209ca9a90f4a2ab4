"""Who talks to whom: losing a party, joining parties, conferences, hold as the others see it.

Legs link to each other both ways (A's leg has B's leg as peer and back); an
external party talks to the live leg that has it as a peer (the store finds it).
A conference is a star: its owner's leg has every other party as peer, each other
agent's leg has the owner as its one peer and shows every party in its remote numbers.
"""

from __future__ import annotations

import logging

from oii_telephony.calls.context import CallContext
from oii_telephony.calls.model import Leg, Peer, Phase, Role
from oii_telephony.calls.wrapup import EndReason, ended

log = logging.getLogger(__name__)


def _matches(peer: Peer, other: Peer) -> bool:
    if other.leg:
        return peer.leg == other.leg
    if other.external:
        return peer.external == other.external
    return not peer.leg and not peer.external and peer.number == other.number


class Parties:
    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx

    async def lose(self, handle: str, lost: Peer) -> None:
        """The leg ``handle`` no longer talks to ``lost``; alone, its call is over."""
        rules = self.ctx.wrap_up

        def mutate(leg: Leg) -> Leg:
            peers = tuple(peer for peer in leg.peers if not _matches(peer, lost))
            if len(peers) == len(leg.peers):
                return leg
            if not peers:
                return ended(leg, EndReason.REMOTE_HANGUP, rules)
            return leg.with_peers(peers).model_copy(update={"held_by_peer": False})

        changed = await self.ctx.core.try_change(handle, mutate)
        if changed is None:
            return
        before, after = changed
        if after.phase is not Phase.ENDED and (before.role is Role.OWNER or len(after.peers) > 1):
            await self.refresh_conference(after.handle)

    async def hang_up_on(self, leg: Leg) -> None:
        """``leg`` (as it was before it ended) left its call: tell every party it talked to.

        A conference owner's parties stay connected among themselves; anyone else's
        parties lose it, and an external party is hung up on.
        """
        if leg.role is Role.OWNER and len(leg.peers) >= 2:
            await self.join(leg.peers, leaving=(leg.handle,))
            return
        for peer in leg.peers:
            if peer.external:
                await self.disconnect_external(peer.external, (leg.handle,))
            elif peer.leg:
                await self.lose(peer.leg, Peer(number=leg.line, leg=leg.handle))

    async def disconnect_external(self, party_id: str, from_legs: tuple[str, ...]) -> None:
        """Hang up on the external party, unless it talks on with a leg not of ``from_legs``."""
        if any(leg.handle not in from_legs for leg in self.ctx.store.party_legs(party_id)):
            return  # it moved on (transferred, forwarded, joined)
        await self.ctx.network.disconnect(party_id)

    async def join(self, parties: tuple[Peer, ...], leaving: tuple[str, ...]) -> None:
        """``parties`` go on talking together, without the legs ``leaving``."""
        legs = [peer for peer in parties if peer.leg]
        if len(parties) < 2:
            for peer in parties:
                if peer.external:
                    await self.disconnect_external(peer.external, leaving)
                for gone in leaving:
                    if peer.leg:
                        await self.lose(peer.leg, Peer(number="", leg=gone))
            return
        if not legs:
            # Two customers connected to each other: the call leaves the contact center.
            await self.ctx.network.connect_externally(tuple(peer.external for peer in parties))
            return
        hub = legs[0]
        others = tuple(peer for peer in parties if peer is not hub)
        for peer in others:
            if peer.leg:
                # The hub's number as the leaving leg knew it is the hub's line.
                await self.relink(peer.leg, leaving, Peer(number=hub.number, leg=hub.leg))
        # The external parties talk to the hub from now on: it has them as peers.
        await self.relink(hub.leg, leaving, *others)
        await self.refresh_conference(hub.leg)

    async def hand_over(self, leg: Leg, to: Peer) -> None:
        """The agents ``leg`` talked to talk to ``to`` instead (a forward, a conference);
        its external parties move with the peers the new leg was given."""
        for peer in leg.peers:
            if peer.leg:
                await self.relink(peer.leg, (leg.handle,), to, release_hold=False)

    async def relink(
        self, handle: str, leaving: tuple[str, ...], *new: Peer, release_hold: bool = True
    ) -> None:
        """The leg ``handle`` talks to ``new`` instead of the legs ``leaving``; it is no
        longer held by its peer (``release_hold``) when that changed its parties."""

        def mutate(leg: Leg) -> Leg:
            kept = tuple(peer for peer in leg.peers if peer.leg not in leaving)
            added = tuple(peer for peer in new if not any(_matches(p, peer) for p in kept))
            peers = (*kept, *added)
            if peers == leg.peers:
                return leg
            relinked = leg.with_peers(peers)
            if release_hold:
                relinked = relinked.model_copy(update={"held_by_peer": False})
            return relinked

        await self.ctx.core.try_change(handle, mutate)

    async def refresh_conference(self, owner_handle: str) -> None:
        """Roles and remote numbers of a (possibly former) conference, from its owner's peers."""
        owner = await self.ctx.store.get(owner_handle)
        if owner is None or owner.phase is Phase.ENDED:
            return
        conference = len(owner.peers) >= 2
        role = Role.OWNER if conference else Role.NONE
        if owner.role is not role:
            await self.ctx.core.try_change(
                owner_handle, lambda leg: leg.model_copy(update={"role": role})
            )
        for peer in owner.peers:
            if not peer.leg:
                continue
            others = tuple(p.number for p in owner.peers if p is not peer)
            numbers = (owner.line, *others) if conference else (owner.line,)
            wanted_role = Role.PARTICIPANT if conference else Role.NONE
            held = owner.on_hold

            def mutate(leg: Leg, numbers: tuple[str, ...] = numbers, wanted: Role = wanted_role,
                       held: bool = held) -> Leg:  # fmt: skip
                if leg.phase is Phase.ENDED:
                    return leg
                update = {"role": wanted, "remote_numbers": numbers, "held_by_peer": held}
                if all(getattr(leg, name) == value for name, value in update.items()):
                    return leg
                return leg.model_copy(update=update)

            await self.ctx.core.try_change(peer.leg, mutate)

    async def tell_hold(self, leg: Leg) -> None:
        """The agents ``leg`` talks to see it held (107) or no longer held."""
        if leg.role is Role.PARTICIPANT:
            return  # the others of the conference still talk to each other
        for peer in leg.peers:
            if not peer.leg:
                continue

            def mutate(other: Leg, held: bool = leg.on_hold) -> Leg:
                if other.held_by_peer == held or other.phase is not Phase.CONNECTED:
                    return other
                return other.model_copy(update={"held_by_peer": held})

            await self.ctx.core.try_change(peer.leg, mutate)
