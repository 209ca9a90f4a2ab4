"""IciItem for phone calls (spec 9.4): the kit's handler set over telephony's use cases."""

from __future__ import annotations

from oii_shared.channels import Channel
from oii_shared.items.handlers import CreatedItem, item_handlers
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_telephony.calls.service import Telephony
from oii_telephony.calls.states import phone_call


class CallItems:
    """Phone calls as the item core's ItemPort: the container is the agent's phone line."""

    def __init__(self, telephony: Telephony) -> None:
        self._telephony = telephony

    def container(self, value: object) -> str:
        return self._telephony.ctx.directory.known_line(value)

    async def create(self, container: str) -> CreatedItem:
        leg = await self._telephony.dialing.create(container)
        element = phone_call(leg)
        return CreatedItem(
            leg.handle, element["processingStatus"], tuple(element["capabilityList"])
        )

    async def accept(self, container: str, item_id: object) -> None:
        await self._telephony.arrivals.accept(container, item_id)

    async def reroute(self, container: str, item_id: object) -> None:
        await self._telephony.arrivals.reroute(container, item_id)

    async def forward(
        self, container: str, item_id: object, dest_type: object, destination: object
    ) -> None:
        await self._telephony.forwarding.forward(item_id, container, dest_type, destination)

    async def wrap_up_required(self, item_id: object) -> None:
        await self._telephony.endings.wrap_up_required(item_id)

    async def wrap_up_ended(self, item_id: object) -> None:
        await self._telephony.endings.wrap_up_ended(item_id)

    async def get_attached_data(self, item_id: object) -> str:
        return await self._telephony.attached.get(item_id)

    async def set_attached_data(self, item_id: object, document: object) -> None:
        await self._telephony.attached.set(item_id, document)

    async def delete_attached_data(self, item_id: object) -> None:
        await self._telephony.attached.delete(item_id)


def call_item_handlers(telephony: Telephony) -> dict[HandlerKey, Handler]:
    return item_handlers(Channel.PHONE, CallItems(telephony))
