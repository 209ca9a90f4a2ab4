"""The SOAP side of IciUser (9.2): request parts in, response parts out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oii_gateway.users.service import UserService
from oii_gateway.users.sessions import session_address
from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall


def is_cms_ping(value: object) -> bool:
    """cmsPing is "TRUE" when CRM only checks that the contact center is alive (9.2.1.1)."""
    return str(value or "").strip().upper() == "TRUE"


def user_handlers(users: UserService) -> dict[HandlerKey, Handler]:
    async def get_attributes(call: SoapCall) -> Mapping[str, Any]:
        return await users.get_attributes(
            call.args.get("userId"), is_cms_ping(call.args.get("cmsPing"))
        )

    async def set_current_workmode(call: SoapCall) -> None:
        await users.set_workmode(call.args.get("userId"), call.args.get("workmode"))

    async def set_current_channels(call: SoapCall) -> None:
        await users.set_channels(call.args.get("userId"), call.args.get("channels"))

    async def set_current_queues(call: SoapCall) -> None:
        await users.set_queues(call.args.get("userId"), call.args.get("queues"))

    async def set_addresses(call: SoapCall) -> None:
        await users.set_addresses(call.args.get("userId"), call.args.get("addresses"))

    async def subscribe(call: SoapCall) -> None:
        app_url, app_id = session_address(call.args.get("appUrl"), call.args.get("appId"))
        await users.subscribe(app_url, app_id, call.args.get("userId"))

    async def unsubscribe(call: SoapCall) -> None:
        app_url, app_id = session_address(call.args.get("appUrl"), call.args.get("appId"))
        await users.unsubscribe(app_url, app_id)

    return {
        (Interface.USER, "getAttributes"): get_attributes,
        (Interface.USER, "setCurrentWorkmode"): set_current_workmode,
        (Interface.USER, "setCurrentChannels"): set_current_channels,
        (Interface.USER, "setCurrentQueues"): set_current_queues,
        (Interface.USER, "setAddresses"): set_addresses,
        (Interface.USER, "subscribe"): subscribe,
        (Interface.USER, "unsubscribe"): unsubscribe,
    }
