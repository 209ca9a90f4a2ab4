"""The directory entry of an item: which channel service owns it.

Channel services write one entry per item into the items KV bucket when the
item is created; the gateway reads it to route IciItem operations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from oii_shared.bus.kv import safe_key
from oii_shared.ici.schema import Owner


@dataclass(frozen=True, slots=True)
class ItemEntry:
    item_id: str
    owner: Owner

    def encode(self) -> bytes:
        return json.dumps({"owner": self.owner.value}).encode()

    @classmethod
    def decode(cls, item_id: str, data: bytes) -> ItemEntry:
        return cls(item_id, Owner(json.loads(data)["owner"]))


def item_key(item_id: str) -> str:
    """KV key of an item id: ids are GUIDs, compared without case.

    A GUID is its own key; any other id a client sends is escaped into a valid key
    (``safe_key``), so that looking it up finds nothing instead of failing.
    """
    return safe_key(item_id.strip().upper())
