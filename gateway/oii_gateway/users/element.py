"""The ICI User element (10.10) of an agent: configuration plus live state, as a dict.

The dict is what IciUser.getAttributes answers and what the UserChanged event
carries, so both always agree. Everything here is pure.
"""

from __future__ import annotations

from typing import Any

from oii_gateway.users.directory import Directory
from oii_shared.agents.state import Address, AgentState
from oii_shared.channels import Channel
from oii_shared.db.repository import QueueRecord, UserRecord
from oii_shared.ici.tables import Workmode, WrapUpMode
from oii_shared.ici.types.common import text_element
from oii_shared.routing.eligibility import channel_enabled

BUILT_IN_WORKMODES = (Workmode.LOGGED_OFF, Workmode.READY, Workmode.NOT_READY, Workmode.NO_PHONE)


def _description(ici_id: str) -> str:
    channel = Channel.of_ici(ici_id)
    return channel.description if channel is not None else ici_id


def offered_workmodes(directory: Directory) -> dict[int, str]:
    """Workmode id -> description: the spec's four, then the configured not-ready reasons."""
    offered = {int(mode): mode.description for mode in BUILT_IN_WORKMODES}
    for reason in directory.not_ready_reasons:
        offered.setdefault(reason.id, reason.description)
    return offered


def workmode_description(directory: Directory, workmode: int) -> str:
    # A reason removed from the configuration while an agent still has it reads as not ready.
    return offered_workmodes(directory).get(workmode, Workmode.NOT_READY.description)


def allowed_channels(user: UserRecord, directory: Directory) -> tuple[Channel, ...]:
    """Phone always; the others per module parameter, or per pseudo queue membership."""
    return tuple(
        channel
        for channel in Channel
        if channel_enabled(user, channel, directory.parameters, directory.live_pseudo_queues)
    )


def servable_queues(user: UserRecord, directory: Directory) -> list[QueueRecord]:
    """The queues ``user`` may be active in: member, enabled, no pseudo queue, channel allowed.

    The action channel allows e-mail queues too: action items wait in them (4.7.3).
    """
    channels = set(allowed_channels(user, directory))
    if Channel.ACTION in channels:
        channels.add(Channel.EMAIL)
    return [queue for queue in directory.user_routing_queues(user) if queue.channel in channels]


def contact_addresses(user: UserRecord) -> tuple[Address, ...]:
    """Phone line, e-mail and chat address as configured, whatever channels are enabled."""
    configured = (
        (Channel.PHONE, user.phone),
        (Channel.EMAIL, user.email),
        (Channel.CHAT, user.chat),
    )
    return tuple(
        Address(channel=channel.ici_id, address=address)
        for channel, address in configured
        if address
    )


def configured_addresses(user: UserRecord, directory: Directory) -> tuple[Address, ...]:
    """The configured addresses of the channels the user may use, and the action item inbox
    (the user id, docs/design.md) with the action channel."""
    allowed = {channel.ici_id for channel in allowed_channels(user, directory)}
    inbox = Address(channel=Channel.ACTION.ici_id, address=user.id)
    return tuple(
        address for address in (*contact_addresses(user), inbox) if address.channel in allowed
    )


def effective_addresses(
    user: UserRecord, state: AgentState | None, directory: Directory
) -> tuple[Address, ...]:
    """What setAddresses set since the last login, else the configuration."""
    if state is not None and state.addresses:
        return state.addresses
    return configured_addresses(user, directory)


def build_user(
    user: UserRecord, state: AgentState | None, directory: Directory, cms_host_id: str
) -> dict[str, Any]:
    """The User element; ``state`` None means the agent never logged in (logged off)."""
    workmode = state.workmode if state is not None else int(Workmode.LOGGED_OFF)
    current_channels = state.current_channels if state is not None else ()
    active_queues = state.active_queues if state is not None else ()
    requested = directory.parameters.flag("OII.RequestedWrapUp")
    return {
        "userId": user.id,
        "currentWorkmode": text_element(workmode, workmode_description(directory, workmode)),
        "workmodes": [
            text_element(mode, text) for mode, text in offered_workmodes(directory).items()
        ],
        "wrapUpMode": int(WrapUpMode.REQUESTED if requested else WrapUpMode.AUTOMATIC),
        "currentChannels": [
            text_element(channel, _description(channel)) for channel in current_channels
        ],
        "channels": [
            text_element(channel.ici_id, channel.description)
            for channel in allowed_channels(user, directory)
        ],
        "currentQueues": [_queue_element(directory, queue_id) for queue_id in active_queues],
        "queues": [
            text_element(queue.id, queue.name) for queue in servable_queues(user, directory)
        ],
        "addresses": [
            {"address": address.address, "channel": address.channel}
            for address in effective_addresses(user, state, directory)
        ],
        # 10.10 has it in the User too; getAttributes also sends it beside <response>.
        "cmsHostId": cms_host_id,
    }


def _queue_element(directory: Directory, queue_id: str) -> dict[str, str]:
    queue = directory.queue(queue_id)
    return text_element(queue_id, queue.name if queue is not None else queue_id)


def empty_user(cms_host_id: str) -> dict[str, Any]:
    """The answer to a cmsPing: nothing but the CMS id (9.2.1.1)."""
    return {"cmsHostId": cms_host_id}
