"""The SOAP operations action-svc answers: IciActionItem.route, IciMessage.end for action
items, and IciItem for action items (the kit's handler set over :class:`ActionItemPort`)."""

from __future__ import annotations

from typing import Any

from oii_action.context import ActionContext
from oii_action.items.handling import Handling
from oii_action.routing.arrivals import Arrivals
from oii_shared.channels import Channel
from oii_shared.ici.schema import Interface
from oii_shared.items.handlers import CreatedItem, item_handlers
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault


class ActionItemPort:
    """Action items as IciItem reaches them: the container is the agent's inbox (user id)."""

    def __init__(self, ctx: ActionContext, handling: Handling) -> None:
        self._ctx = ctx
        self._handling = handling

    def container(self, value: object) -> str:
        return self._ctx.config.inbox(value)

    async def create(self, container: str) -> CreatedItem:
        raise IciFault(
            Errors.INVALID_ARGUMENT,
            "action items are not made with IciItem.create: CRM routes them with "
            "IciActionItem.route (10.16.3)",
        )

    async def accept(self, container: str, item_id: object) -> None:
        await self._handling.accept(container, item_id)

    async def reroute(self, container: str, item_id: object) -> None:
        await self._handling.reroute(container, item_id)

    async def forward(
        self, container: str, item_id: object, dest_type: object, destination: object
    ) -> None:
        await self._handling.forward(container, item_id, dest_type, destination)

    async def wrap_up_required(self, item_id: object) -> None:
        await self._handling.wrap_up_required(item_id)

    async def wrap_up_ended(self, item_id: object) -> None:
        await self._handling.wrap_up_ended(item_id)

    async def get_attached_data(self, item_id: object) -> str:
        return await self._handling.get_attached_data(item_id)

    async def set_attached_data(self, item_id: object, document: object) -> None:
        await self._handling.set_attached_data(item_id, document)

    async def delete_attached_data(self, item_id: object) -> None:
        await self._handling.delete_attached_data(item_id)


def action_handlers(
    ctx: ActionContext, arrivals: Arrivals, handling: Handling
) -> dict[HandlerKey, Handler]:
    async def route(call: SoapCall) -> dict[str, Any]:
        item_id = await arrivals.route(
            call.args.get("itemData"), call.args.get("routingAttributes")
        )
        return {"response": {"actionItemID": item_id}}

    async def end(call: SoapCall) -> None:
        await handling.end(call.args.get("messageId"))

    return {
        **item_handlers(Channel.ACTION, ActionItemPort(ctx, handling)),
        (Interface.ACTION_ITEM, "route"): route,
        (Interface.MESSAGE, "end"): end,
    }
