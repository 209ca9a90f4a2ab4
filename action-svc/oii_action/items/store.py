"""Action items in NATS KV (bucket ``oii_actions``): the kit's item store, with the live items
of each CRM processId found in the replica's copy (OII.CheckDuplicateActionItem)."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from oii_action.items.model import ActionItem, Phase
from oii_shared.bus.topology import ensure_bucket
from oii_shared.channels import Channel
from oii_shared.items.store import ItemStore, channel_bucket

ACTIONS_BUCKET = channel_bucket(
    Channel.ACTION, "Action items by id, and the lists of those forwarded to one agent."
)


async def open_actions_bucket(js: JetStreamContext) -> KeyValue:
    await ensure_bucket(js, ACTIONS_BUCKET)
    return await js.key_value(ACTIONS_BUCKET.name)


def _open_process(item: ActionItem) -> tuple[str, ...]:
    return (item.process_id,) if item.process_id and item.phase is not Phase.ENDED else ()


class ActionStore(ItemStore[ActionItem]):
    def __init__(self, js: JetStreamContext, kv: KeyValue) -> None:
        super().__init__(
            js,
            Channel.ACTION,
            kv,
            ActionItem,
            noun="action item",
            indexes={"process": _open_process},
        )

    def open_with_process(self, process_id: str) -> ActionItem | None:
        """The live action item CRM routed with ``process_id`` that is not Ended, if any."""
        found = self.find("process", process_id) if process_id else []
        return min(found, key=lambda item: item.entered_at, default=None)
