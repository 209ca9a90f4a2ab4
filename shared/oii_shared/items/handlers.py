"""IciItem (9.4): the same nine operations for every channel, one handler set.

A channel service implements :class:`ItemPort`; :func:`item_handlers` turns it
into the SOAP handlers of the IciItem interface. An operation a channel has not
built raises ``IciFault(Errors.NOT_SUPPORTED_YET, ...)`` from its port method.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from oii_shared.channels import Channel
from oii_shared.ici.schema import Interface
from oii_shared.ici.tables import ITEM_STATUSES, ItemStatus
from oii_shared.ici.types.common import text_element
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault

Parts = Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class CreatedItem:
    """What IciItem.create answers besides the Created status (9.4.1.3)."""

    item_id: str
    processing_status: dict[str, str]  # a TextElement
    capabilities: tuple[int, ...]


class ItemPort(Protocol):
    """A channel's items, as IciItem reaches them. ``item_id`` is as CRM sent it."""

    def container(self, value: object) -> str:
        """The channel's container ``value`` names (a line, a folder...), or a Client fault."""
        ...

    async def create(self, container: str) -> CreatedItem: ...

    async def accept(self, container: str, item_id: object) -> None: ...

    async def reroute(self, container: str, item_id: object) -> None: ...

    async def forward(
        self, container: str, item_id: object, dest_type: object, destination: object
    ) -> None: ...

    async def wrap_up_required(self, item_id: object) -> None: ...

    async def wrap_up_ended(self, item_id: object) -> None: ...

    async def get_attached_data(self, item_id: object) -> str: ...

    async def set_attached_data(self, item_id: object, document: object) -> None: ...

    async def delete_attached_data(self, item_id: object) -> None: ...


_Operation = Callable[[ItemPort, dict[str, Any]], Awaitable[Parts]]


async def _create(port: ItemPort, args: dict[str, Any]) -> Parts:
    created = await port.create(port.container(args.get("containerId")))
    status = ItemStatus.CREATED.value
    return {
        "response": {
            "status": text_element(status, ITEM_STATUSES[status]),
            "itemId": created.item_id,
            "processingStatus": created.processing_status,
            "capabilityList": list(created.capabilities),
        }
    }


async def _get_attached_data(port: ItemPort, args: dict[str, Any]) -> Parts:
    return {"response": await port.get_attached_data(args.get("itemId"))}


async def _answer_nothing(done: Awaitable[None]) -> Parts:
    await done
    return None


# Operation name -> what it asks of the port, from the request's arguments.
OPERATIONS: dict[str, _Operation] = {
    "create": _create,
    "accept": lambda port, args: _answer_nothing(
        port.accept(port.container(args.get("containerId")), args.get("itemId"))
    ),
    "reroute": lambda port, args: _answer_nothing(
        port.reroute(port.container(args.get("containerId")), args.get("itemId"))
    ),
    "forward": lambda port, args: _answer_nothing(
        port.forward(
            port.container(args.get("containerId")),
            args.get("itemId"),
            args.get("destType"),
            args.get("destination"),
        )
    ),
    "wrapUpRequired": lambda port, args: _answer_nothing(port.wrap_up_required(args.get("itemId"))),
    "wrapUpEnded": lambda port, args: _answer_nothing(port.wrap_up_ended(args.get("itemId"))),
    "getAttachedData": _get_attached_data,
    "setAttachedData": lambda port, args: _answer_nothing(
        port.set_attached_data(args.get("itemId"), args.get("attachedData"))
    ),
    "deleteAttachedData": lambda port, args: _answer_nothing(
        port.delete_attached_data(args.get("itemId"))
    ),
}


def item_handlers(channel: Channel, port: ItemPort) -> dict[HandlerKey, Handler]:
    """The IciItem handlers of ``channel``'s service, all nine, over ``port``."""

    def handler(operation: _Operation, name: str) -> Handler:
        async def handle(call: SoapCall) -> Parts:
            if name == "create":
                _require_channel(channel, call.args.get("channelType"))
            return await operation(port, call.args)

        return handle

    return {(Interface.ITEM, name): handler(op, name) for name, op in OPERATIONS.items()}


def _require_channel(channel: Channel, value: object) -> None:
    if Channel.of_ici(value if value is not None else "") is not channel:
        raise IciFault(
            Errors.INVALID_ARGUMENT,
            f"channelType {str(value or '').strip()!r} is not {channel.description}",
        )
