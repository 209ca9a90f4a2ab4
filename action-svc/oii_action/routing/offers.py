"""The action channel's offer port: what the kit's dispatcher asks of action-svc."""

from __future__ import annotations

import logging

from oii_action.context import ActionContext
from oii_action.directory import inbox_of
from oii_action.items.handling import back_to_waiting
from oii_action.items.model import ActionItem, Phase
from oii_shared.db.repository import UserRecord
from oii_shared.ici.tables import ProcessingStatus
from oii_shared.routing.dispatcher import Expiry
from oii_shared.routing.waiting import QueueEntry, Target

log = logging.getLogger(__name__)


class ActionOffers:
    def __init__(self, ctx: ActionContext) -> None:
        self.ctx = ctx

    async def offer(self, target: Target, entry: QueueEntry, user: UserRecord) -> bool:
        """The waiting item alerts in the agent's inbox (the dispatcher claimed the agent)."""
        inbox = inbox_of(user)

        def alert(item: ActionItem) -> ActionItem:
            if item.phase is not Phase.NEW:
                return item
            return item.model_copy(
                update={
                    "phase": Phase.ALERTING,
                    "user_id": inbox,
                    "processing": ProcessingStatus.NOT_IN_PROCESS.value,
                }
            )

        changed = await self.ctx.core.try_change(entry.handle, alert)
        return changed is not None and changed[1] is not changed[0]

    async def expire(self, target: Target, entry: QueueEntry) -> Expiry:
        """Not accepted in time: the item waits again where it waited (for the same agent too:
        only reroute refuses it for good). An offer left half made is the dispatcher's."""
        item = await self.ctx.store.get(entry.handle)
        if item is not None and item.phase is Phase.ALERTING and item.user_id == entry.offered_to:
            log.info("action item %s not accepted by %s: it waits again", item.id, item.user_id)
            await back_to_waiting(self.ctx, item.id, item.user_id, refused=False)
            return Expiry.HANDLED
        return Expiry.WAITING if item is not None and item.waiting else Expiry.GONE
