"""The SOAP side of IciUser (9.2): request parts in, response parts out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from oii_gateway.users.service import UserService
from oii_gateway.users.sessions import session_address
from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall

UserSetter = Callable[..., Awaitable[None]]

# The set* operations: the service's change and the one argument it takes after userId.
USER_SETTERS: dict[str, tuple[Callable[[UserService], UserSetter], str]] = {
    "setCurrentWorkmode": (lambda users: users.set_workmode, "workmode"),
    "setCurrentChannels": (lambda users: users.set_channels, "channels"),
    "setCurrentQueues": (lambda users: users.set_queues, "queues"),
    "setAddresses": (lambda users: users.set_addresses, "addresses"),
}


def is_cms_ping(value: object) -> bool:
    """cmsPing is "TRUE" when CRM only checks that the contact center is alive (9.2.1.1)."""
    return str(value or "").strip().upper() == "TRUE"


def user_handlers(users: UserService) -> dict[HandlerKey, Handler]:
    async def get_attributes(call: SoapCall) -> Mapping[str, Any]:
        return await users.get_attributes(
            call.args.get("userId"), is_cms_ping(call.args.get("cmsPing"))
        )

    def setter(change: UserSetter, argument: str) -> Handler:
        async def handle(call: SoapCall) -> None:
            await change(call.args.get("userId"), call.args.get(argument))

        return handle

    setters = {
        (Interface.USER, operation): setter(change_of(users), argument)
        for operation, (change_of, argument) in USER_SETTERS.items()
    }

    async def subscribe(call: SoapCall) -> None:
        app_url, app_id = session_address(call.args.get("appUrl"), call.args.get("appId"))
        await users.subscribe(app_url, app_id, call.args.get("userId"))

    async def unsubscribe(call: SoapCall) -> None:
        app_url, app_id = session_address(call.args.get("appUrl"), call.args.get("appId"))
        await users.unsubscribe(app_url, app_id)

    return {
        (Interface.USER, "getAttributes"): get_attributes,
        **setters,
        (Interface.USER, "subscribe"): subscribe,
        (Interface.USER, "unsubscribe"): unsubscribe,
    }
