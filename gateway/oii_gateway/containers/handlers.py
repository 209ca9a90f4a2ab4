"""IciContainer.subscribe and unsubscribe (9.5).

A container subscription asks for containerChanged and for the item events of
that container (phoneCallChanged on a phone line, messageChanged in a folder...).
The session records the container; the notifier does the rest.
"""

from __future__ import annotations

from oii_gateway.users.sessions import SessionBook, session_address
from oii_shared.channels import channel_argument, container_key
from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.subscriptions.model import ContainerRef


def container_ref(channel_type: object, container_id: object) -> ContainerRef:
    """What a subscribe names: channelType 1..4 and a non-empty containerId."""
    channel = channel_argument(channel_type)
    key = container_key(str(container_id or ""))
    if not key:
        raise IciFault(Errors.MISSING_ARGUMENT, "containerId is required")
    return ContainerRef(channel_type=channel.ici_id, container=key)


def container_handlers(sessions: SessionBook) -> dict[HandlerKey, Handler]:
    async def subscribe(call: SoapCall) -> None:
        app_url, app_id = session_address(call.args.get("appUrl"), call.args.get("appId"))
        ref = container_ref(call.args.get("channelType"), call.args.get("containerId"))
        await sessions.check_url(app_url)
        await sessions.watch_container(app_url, app_id, ref)

    async def unsubscribe(call: SoapCall) -> None:
        app_url, app_id = session_address(call.args.get("appUrl"), call.args.get("appId"))
        await sessions.forget_containers(app_url, app_id)

    return {
        (Interface.CONTAINER, "subscribe"): subscribe,
        (Interface.CONTAINER, "unsubscribe"): unsubscribe,
    }
