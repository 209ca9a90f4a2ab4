"""IciItem for phone calls (spec 9.4): create, accept, reroute, forward, wrap-up, attached data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oii_shared.channels import Channel
from oii_shared.ici.schema import Interface
from oii_shared.ici.tables import ITEM_STATUSES, ItemStatus
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.service import Telephony
from oii_telephony.calls.states import phone_call, text_element

Parts = Mapping[str, Any] | None


def item_handlers(telephony: Telephony) -> dict[HandlerKey, Handler]:
    directory = telephony.ctx.directory

    async def create(call: SoapCall) -> Parts:
        channel = str(call.args.get("channelType") or "").strip()
        if Channel.of_ici(channel) is not Channel.PHONE:
            raise IciFault(Errors.INVALID_ARGUMENT, f"channelType {channel!r} is not telephony")
        line = directory.known_line(call.args.get("containerId"))
        leg = await telephony.dialing.create(line)
        element = phone_call(leg)
        created = ItemStatus.CREATED.value
        return {
            "response": {
                "status": text_element(created, ITEM_STATUSES[created]),
                "itemId": leg.handle,
                "processingStatus": element["processingStatus"],
                "capabilityList": element["capabilityList"],
            }
        }

    async def accept(call: SoapCall) -> Parts:
        line = directory.known_line(call.args.get("containerId"))
        await telephony.arrivals.accept(line, call.args.get("itemId"))
        return None

    async def reroute(call: SoapCall) -> Parts:
        line = directory.known_line(call.args.get("containerId"))
        await telephony.arrivals.reroute(line, call.args.get("itemId"))
        return None

    async def forward(call: SoapCall) -> Parts:
        args = call.args
        line = directory.known_line(args.get("containerId"))
        await telephony.forwarding.forward(
            args.get("itemId"), line, args.get("destType"), args.get("destination")
        )
        return None

    async def wrap_up_required(call: SoapCall) -> Parts:
        await telephony.endings.wrap_up_required(call.args.get("itemId"))
        return None

    async def wrap_up_ended(call: SoapCall) -> Parts:
        await telephony.endings.wrap_up_ended(call.args.get("itemId"))
        return None

    async def get_attached_data(call: SoapCall) -> Parts:
        return {"response": await telephony.attached.get(call.args.get("itemId"))}

    async def set_attached_data(call: SoapCall) -> Parts:
        await telephony.attached.set(call.args.get("itemId"), call.args.get("attachedData"))
        return None

    async def delete_attached_data(call: SoapCall) -> Parts:
        await telephony.attached.delete(call.args.get("itemId"))
        return None

    return {
        (Interface.ITEM, "create"): create,
        (Interface.ITEM, "accept"): accept,
        (Interface.ITEM, "reroute"): reroute,
        (Interface.ITEM, "forward"): forward,
        (Interface.ITEM, "wrapUpRequired"): wrap_up_required,
        (Interface.ITEM, "wrapUpEnded"): wrap_up_ended,
        (Interface.ITEM, "getAttachedData"): get_attached_data,
        (Interface.ITEM, "setAttachedData"): set_attached_data,
        (Interface.ITEM, "deleteAttachedData"): delete_attached_data,
    }
