"""The SOAP operations action-svc answers: IciActionItem.route, IciMessage.end for action
items, and IciItem for action items (the kit's handler set over :class:`Handling`)."""

from __future__ import annotations

from typing import Any

from oii_action.items.handling import Handling
from oii_action.routing.arrivals import Arrivals
from oii_shared.channels import Channel
from oii_shared.ici.schema import Interface
from oii_shared.items.handlers import item_handlers
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall


def action_handlers(arrivals: Arrivals, handling: Handling) -> dict[HandlerKey, Handler]:
    async def route(call: SoapCall) -> dict[str, Any]:
        item_id = await arrivals.route(
            call.args.get("itemData"), call.args.get("routingAttributes")
        )
        return {"response": {"actionItemID": item_id}}

    async def end(call: SoapCall) -> None:
        await handling.end(call.args.get("messageId"))

    return {
        **item_handlers(Channel.ACTION, handling),
        (Interface.ACTION_ITEM, "route"): route,
        (Interface.MESSAGE, "end"): end,
    }
