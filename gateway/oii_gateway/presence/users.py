"""getUserPresence (9.1.4): which users, and what CRM may do with each (10.5, 10.6)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from oii_gateway.presence.counting import presence_status
from oii_gateway.users.directory import Directory
from oii_gateway.users.element import contact_addresses
from oii_shared.agents.state import Address, AgentState
from oii_shared.channels import Channel
from oii_shared.db.repository import UserRecord
from oii_shared.ici.tables import CollaborationType
from oii_shared.soap.faults import Errors, IciFault

DEFAULT_MAX_HITS = 100
PHONE, EMAIL, CHAT = Channel.PHONE.ici_id, Channel.EMAIL.ici_id, Channel.CHAT.ici_id
# What CRM can offer per channel: an e-mail is sent or forwarded, never warm-transferred.
COLLABORATIONS: dict[str, tuple[CollaborationType, ...]] = {
    PHONE: (
        CollaborationType.CALL,
        CollaborationType.BLIND_TRANSFER,
        CollaborationType.WARM_TRANSFER,
    ),
    EMAIL: (CollaborationType.CALL, CollaborationType.BLIND_TRANSFER),
    CHAT: (
        CollaborationType.CALL,
        CollaborationType.BLIND_TRANSFER,
        CollaborationType.WARM_TRANSFER,
    ),
}


def max_hits(value: object) -> int:
    text = str(value or "").strip()
    if not text:
        return DEFAULT_MAX_HITS
    try:
        hits = int(text)
    except ValueError:
        raise IciFault(Errors.INVALID_ARGUMENT, f"maxhits {text!r} is not a number") from None
    if hits < 1:
        raise IciFault(Errors.INVALID_ARGUMENT, f"maxhits {hits} is not positive")
    return hits


def listed_users(directory: Directory, user_ids: Iterable[object]) -> list[UserRecord]:
    """The users named, in the order named, each once; unknown ids are left out."""
    found: list[UserRecord] = []
    for user_id in user_ids:
        user = directory.user(str(user_id or "").strip())
        if user is not None and user not in found:
            found.append(user)
    return found


def search_users(
    directory: Directory,
    term: str,
    hits: int,
    addresses_of: Callable[[UserRecord], Iterable[str]] = lambda user: (),
) -> list[UserRecord]:
    """Users whose id, name or an address contains every word of ``term``, ignoring case.

    The spec's search takes first names, surnames or both, titles and addresses.
    """
    words = term.casefold().split()
    if not words:
        return []
    found: list[UserRecord] = []
    for user in directory.users.values():
        extra = addresses_of(user)
        haystack = " ".join(
            part for part in (user.id, user.name, user.phone, user.email, user.chat, *extra) if part
        ).casefold()
        if all(word in haystack for word in words):
            found.append(user)
            if len(found) >= hits:
                break
    return found


def presence_addresses(user: UserRecord, state: AgentState | None) -> tuple[Address, ...]:
    """Where to reach the user: per channel what CRM set with setAddresses, else the
    configured address (presence reports channels the User element may not offer)."""
    set_by_crm = state.addresses if state is not None else ()
    channels = {address.channel for address in set_by_crm}
    configured = tuple(a for a in contact_addresses(user) if a.channel not in channels)
    return tuple(sorted((*set_by_crm, *configured), key=lambda address: address.channel))


def presence_info(
    user: UserRecord, state: AgentState | None, directory: Directory
) -> dict[str, Any]:
    """UserPresenceInfo (10.5) with the collaborations of each reported channel."""
    status = presence_status(state)
    reported = {PHONE}
    if directory.parameters.flag("OII.GetUserPresenceEmail"):
        reported.add(EMAIL)
    if directory.parameters.flag("OII.GetUserPresenceChat"):
        reported.add(CHAT)
    collaboration = [
        {
            "description": kind.description,
            "channel": address.channel,
            "capability": str(int(kind)),
            "address": address.address,
        }
        for address in presence_addresses(user, state)
        if address.channel in reported
        for kind in COLLABORATIONS[address.channel]
    ]
    return {
        "user": user.id,
        "presenceStatus": str(int(status)),
        "presenceDescription": status.description,
        "collaborationData": collaboration,
    }
