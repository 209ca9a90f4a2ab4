"""Which channel service owns an item, for IciItem operations and IciMessage.end (spec 7.1).

The owner is in the item id (``oii_shared.items.ids``): no lookup, no entry
written per item. create names its channel in ``channelType``.
"""

from __future__ import annotations

from oii_shared.channels import Channel, channel_argument
from oii_shared.ici.schema import Owner
from oii_shared.items.ids import channel_of_item, item_key
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault


def item_owner(call: SoapCall) -> Owner:
    if call.operation.name == "create":
        return owner_of_channel(call.args.get("channelType"))
    # IciItem names its item itemId; IciMessage.end (action items, 7.1) messageId.
    field = "messageId" if "messageId" in call.args else "itemId"
    item_id = call.args.get(field)
    if not item_id:
        raise IciFault(Errors.MISSING_ARGUMENT, f"{field} is required")
    channel = channel_of_item(item_id)
    if channel is None:
        # Not an id any of our channels made: the key form keeps the message readable.
        raise IciFault(Errors.UNKNOWN_ITEM, f"no item {item_key(str(item_id))[:64]}")
    if field == "messageId" and channel is not Channel.ACTION:
        raise IciFault(
            Errors.INVALID_ARGUMENT,
            f"IciMessage.end ends action items (7.1); {item_key(str(item_id))} is "
            f"{channel.description}",
        )
    return channel.owner


def owner_of_channel(channel_type: object) -> Owner:
    return channel_argument(channel_type).owner
