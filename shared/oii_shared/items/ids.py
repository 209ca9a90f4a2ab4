"""Item ids: GUIDs whose first hex digit is the channel's ``channelType`` (docs/design.md).

A channel service makes the ids of its items; the gateway routes an IciItem
request by the id alone, without a lookup: ``1...`` is a phone call, ``2...``
an e-mail, ``3...`` a chat, ``4...`` an action item. The rest is random (or
derived, for an id that must come out the same twice), as in a GUID.
"""

from __future__ import annotations

import uuid

from oii_shared.bus.kv import safe_key
from oii_shared.channels import Channel

_HEX = frozenset("0123456789ABCDEF")


def new_item_id(channel: Channel) -> str:
    """A new id of ``channel``: 32 upper-case hex digits, as the spec's samples."""
    return channel.ici_id + uuid.uuid4().hex[1:].upper()


def derived_item_id(channel: Channel, namespace: uuid.UUID, name: str) -> str:
    """The id of ``channel`` derived from ``name``: the same every time it is made."""
    return channel.ici_id + uuid.uuid5(namespace, name).hex[1:].upper()


def channel_of_item(item_id: object) -> Channel | None:
    """The channel whose id ``item_id`` is, or None for an id none of ours has."""
    text = str(item_id if item_id is not None else "").strip().upper()
    if len(text) != 32 or not _HEX.issuperset(text):
        return None
    return Channel.of_ici(text[0])


def item_key(item_id: str) -> str:
    """KV key of an item id: ids are GUIDs, compared without case.

    A GUID is its own key; any other id a client sends is escaped into a valid key
    (``safe_key``), so that looking it up finds nothing instead of failing.
    """
    return safe_key(item_id.strip().upper())
