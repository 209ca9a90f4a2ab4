"""Which channel service owns an item, for IciItem operations (spec 7.1)."""

from __future__ import annotations

from collections import OrderedDict

from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from oii_shared.channels import channel_argument
from oii_shared.ici.schema import Owner
from oii_shared.items.directory import ItemEntry, item_key
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault


class ItemDirectory:
    """Looks item owners up in the items bucket, remembering recent answers.

    An item never changes owner, so a remembered answer never goes stale.
    """

    def __init__(self, items: KeyValue, capacity: int = 50_000) -> None:
        self._items = items
        self._capacity = capacity
        self._known: OrderedDict[str, Owner] = OrderedDict()

    async def owner_of(self, call: SoapCall) -> Owner:
        if call.operation.name == "create":
            return owner_of_channel(call.args.get("channelType"))
        item_id = call.args.get("itemId")
        if not item_id:
            raise IciFault(Errors.MISSING_ARGUMENT, "itemId is required")
        return await self._owner_of_item(item_key(str(item_id)))

    async def _owner_of_item(self, key: str) -> Owner:
        owner = self._known.get(key)
        if owner is not None:
            self._known.move_to_end(key)
            return owner
        try:
            entry = await self._items.get(key)
        except KeyNotFoundError:
            raise IciFault(Errors.UNKNOWN_ITEM, f"no item {key}") from None
        if entry.value is None:
            raise IciFault(Errors.UNKNOWN_ITEM, f"no item {key}")
        owner = ItemEntry.decode(key, entry.value).owner
        self._known[key] = owner
        if len(self._known) > self._capacity:
            self._known.popitem(last=False)
        return owner


def owner_of_channel(channel_type: object) -> Owner:
    return channel_argument(channel_type).owner
