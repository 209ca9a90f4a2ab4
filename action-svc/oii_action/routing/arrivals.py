"""IciActionItem.route (9.12.1): a new action item, a duplicate's id, or a deletion (7.3).

The item is in the database before the answer: a crash after it never loses
an item (the next start rebuilds its live state). OII.CheckDuplicateActionItem=1
(4.3.1, with the 7 SP10 rules): a processId that an item not Ended already has
gives that item's id, looked up in the replica's copy and then the database;
DELETE=X creates nothing, answers the duplicate's id ("" for none) and, with
the check on, ends the duplicate (its agent sees it Ended).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from nats.errors import MaxPayloadError

import oii_shared.items.cad as cad
from oii_action.context import ActionContext, waiting_target
from oii_action.items.model import ActionItem, Phase
from oii_action.routing.attributes import read_attributes
from oii_shared.channels import Channel
from oii_shared.ici.tables import ProcessingStatus
from oii_shared.items.ids import new_item_id
from oii_shared.items.store import ItemExists
from oii_shared.routing import waiting
from oii_shared.soap.faults import Errors, IciFault

log = logging.getLogger(__name__)

# An item's live state is one KV value (at most the server's max_payload, 1 MB by default)
# that grows with attached data: what CRM routes may take half of it.
MAX_ITEM_BYTES = 512 * 1024


def _ended(item: ActionItem) -> ActionItem:
    if item.phase is Phase.ENDED:
        return item
    return item.model_copy(
        update={
            "phase": Phase.ENDED,
            "deleted": True,
            "processing": ProcessingStatus.NOT_IN_PROCESS.value,
        }
    )


class Arrivals:
    def __init__(self, ctx: ActionContext) -> None:
        self.ctx = ctx

    async def route(self, item_data: object, routing_attributes: object) -> str:
        if not isinstance(item_data, Mapping):
            raise IciFault(Errors.MISSING_ARGUMENT, "itemData is required")
        config = self.ctx.config
        attributes = read_attributes(item_data, routing_attributes)
        process_id = str(item_data.get("processId") or "").strip()
        if attributes.delete:
            return await self._delete(process_id, ends_duplicate=config.checks_duplicates())
        if config.checks_duplicates() and process_id:
            existing = await self._open_duplicate(process_id)
            if existing is not None:
                log.info("action item %s: processId %s routed again", existing, process_id)
                return existing
        queue = config.queue_for(attributes.queue_address)
        if queue is None:
            raise IciFault(Errors.NO_ACTION_QUEUE, "the ACTION queue is disabled")
        item_id = new_item_id(Channel.ACTION)
        document = str(item_data.get("attachedData") or "")
        if document.strip():
            cad.parse(document, self.ctx.max_cad_bytes)
        now = self.ctx.now()
        required = config.required_users(attributes.required_agents, item_id)
        item = ActionItem(
            id=item_id,
            queue=queue.id,
            entered_at=now,
            item_data=dict[str, Any](item_data),
            process_id=process_id,
            attached_data=document,
            source=attributes.source,
            destination=attributes.destination,
            subject=attributes.subject,
            skills={**queue.skills, **config.skill_levels(attributes.skills)},
            required_agents=required,
            required_until=now + attributes.required_expiry_s if required else 0.0,
        )
        size = len(item.model_dump_json())
        if size > MAX_ITEM_BYTES:
            raise IciFault(
                Errors.INVALID_ARGUMENT,
                f"the action item would be {size} bytes; at most {MAX_ITEM_BYTES} are kept",
            )
        existing = await self.ctx.records.insert(item, unique_process=config.checks_duplicates())
        if existing is not None:
            return existing
        try:
            await self.ctx.core.add(item)
        except BaseException:
            await self.ctx.records.end(item_id, deleted=True)
            raise
        try:
            await self.ctx.enqueue(item)
        except BaseException as error:
            # Never an item that waits nowhere: it is withdrawn, and CRM may route it again.
            await self.ctx.core.try_change(item_id, _ended)
            await self.ctx.records.end(item_id, deleted=True)
            if isinstance(error, MaxPayloadError):
                raise IciFault(
                    Errors.SERVICE_UNAVAILABLE,
                    f"queue {queue.id} holds as many waiting items as its list can take",
                ) from None
            raise
        return item_id

    async def _open_duplicate(self, process_id: str) -> str | None:
        live = self.ctx.store.open_with_process(process_id)
        if live is not None:
            return live.id
        return await self.ctx.records.open_with_process(process_id)

    async def _delete(self, process_id: str, *, ends_duplicate: bool) -> str:
        existing = await self._open_duplicate(process_id) if process_id else None
        if existing is None:
            return ""
        if ends_duplicate:
            await self.delete(existing)
        return existing

    async def delete(self, item_id: str) -> None:
        """CRM deleted the item: it ends at once, wherever it is (no wrap-up)."""
        changed = await self.ctx.core.try_change(item_id, _ended)
        if changed is None:
            # Not live (lost with NATS' state): the record alone says it is over.
            await self.ctx.records.end(item_id, deleted=True)
            return
        before, after = changed
        if after is not before and before.phase in (Phase.NEW, Phase.ALERTING):
            await self.ctx.waiting.update(waiting_target(before), waiting.remove(item_id))
        log.info("action item %s deleted by CRM (DELETE=X)", item_id)

    async def restore(self) -> int:
        """Give every item the database holds open a live state again, if it has none (NATS'
        state was lost, or a crash came between the insert and the live state); items that
        wait join their list again (the lists ignore what they hold already)."""
        restored = 0
        for item in await self.ctx.records.open_items():
            live = await self.ctx.store.get(item.id)
            if live is None:
                # It keeps its record's version: the record takes only newer states.
                live = item.model_copy(
                    update={
                        "phase": Phase.NEW,
                        "user_id": "",
                        "processing": ProcessingStatus.NOT_IN_PROCESS.value,
                    }
                )
                try:
                    await self.ctx.core.add(live)
                except ItemExists:
                    continue  # another replica restores it
                restored += 1
            if live.waiting:
                await self.ctx.enqueue(live)
        if restored:
            log.info("%d action item(s) restored from the database", restored)
        return restored
