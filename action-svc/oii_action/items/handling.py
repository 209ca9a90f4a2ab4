"""An action item in an agent's hands: IciItem accept, reroute, forward, wrap-up and attached
data (9.4), and IciMessage.end (capability 403, 7.1).

Every operation is allowed only where the status table of 10.16.3 lists its
capability; one that names an inbox must name the item's own.
"""

from __future__ import annotations

from collections.abc import Callable

import oii_shared.items.cad as cad
from oii_action.context import ActionContext, waiting_target
from oii_action.items.model import ActionItem, Phase
from oii_action.items.states import require
from oii_shared.ici.tables import ActionSessionCapability, DestinationType, ProcessingStatus
from oii_shared.items.handlers import CreatedItem
from oii_shared.items.wrapup import requesting_wrap_up, wrap_up_over
from oii_shared.routing import waiting
from oii_shared.soap.faults import Errors, IciFault

Mutation = Callable[[ActionItem], ActionItem]


def in_inbox(item: ActionItem, inbox: str) -> None:
    if item.container.casefold() != inbox.casefold():
        raise IciFault(
            Errors.ACTION_ITEM_NOT_IN_INBOX, f"action item {item.id} is not in inbox {inbox}"
        )


def _waiting_again(item: ActionItem, **update: object) -> ActionItem:
    return item.model_copy(
        update={
            "phase": Phase.NEW,
            "user_id": "",
            "processing": ProcessingStatus.NOT_IN_PROCESS.value,
            "wrap_up_requested": False,
            **update,
        }
    )


async def back_to_waiting(ctx: ActionContext, item_id: str, user_id: str, *, refused: bool) -> None:
    """An alerting item leaves its agent and waits again in its queue; ``refused``: never
    offered to that agent again (reroute)."""

    def mutate(item: ActionItem) -> ActionItem:
        if item.phase is not Phase.ALERTING or item.user_id != user_id:
            return item
        if not refused:
            return _waiting_again(item)
        excluded = (*item.excluded, user_id)
        if item.inbox:
            # Refused by the one agent it was forwarded to: back to the queue it came from.
            return _waiting_again(item, inbox="", excluded=excluded, entered_at=ctx.now())
        return _waiting_again(item, excluded=excluded)

    changed = await ctx.core.try_change(item_id, mutate)
    if changed is None or changed[1] is changed[0]:
        return
    before, after = changed
    old, new = waiting_target(before), waiting_target(after)
    if old == new:
        await ctx.waiting.update(old, waiting.release(item_id, user_id, refused))
        ctx.kick()
    else:
        await ctx.waiting.update(old, waiting.remove(item_id))
        await ctx.enqueue(after)


class Handling:
    """Action items as IciItem reaches them (the kit's ItemPort): the container is the
    agent's inbox, whose id is the user id."""

    def __init__(self, ctx: ActionContext) -> None:
        self.ctx = ctx

    def container(self, value: object) -> str:
        return self.ctx.config.inbox(value)

    async def create(self, container: str) -> CreatedItem:
        raise IciFault(
            Errors.INVALID_ARGUMENT,
            "action items are not made with IciItem.create: CRM routes them with "
            "IciActionItem.route (10.16.3)",
        )

    async def _change(
        self,
        item_id: object,
        capability: ActionSessionCapability,
        mutate: Mutation,
        inbox: str | None = None,
    ) -> tuple[ActionItem, ActionItem]:
        def guarded(item: ActionItem) -> ActionItem:
            if inbox is not None:
                in_inbox(item, inbox)
            require(item, capability)
            return mutate(item)

        return await self.ctx.core.change(self.ctx.store.item_id(item_id), guarded)

    async def accept(self, inbox: str, item_id: object) -> None:
        def accept(item: ActionItem) -> ActionItem:
            return item.model_copy(
                update={"phase": Phase.ACCEPTED, "processing": ProcessingStatus.ACTIVE.value}
            )

        before, after = await self._change(item_id, ActionSessionCapability.ACCEPT, accept, inbox)
        now = self.ctx.now()
        await self.ctx.waiting.update(
            waiting_target(before), waiting.remove(after.id, answered_at=now)
        )

    async def reroute(self, inbox: str, item_id: object) -> None:
        item = await self.ctx.store.load(item_id)
        in_inbox(item, inbox)
        require(item, ActionSessionCapability.REROUTE)
        await back_to_waiting(self.ctx, item.id, item.user_id, refused=True)

    async def forward(
        self, inbox: str, item_id: object, dest_type: object, destination: object
    ) -> None:
        """To another agent's inbox (destType 4) or a queue (12): the item leaves this inbox
        and waits there, as a new arrival."""
        config = self.ctx.config
        kind = str(dest_type if dest_type is not None else "").strip()
        if not str(destination or "").strip():
            raise IciFault(Errors.MISSING_ARGUMENT, "destination is required")
        if kind == str(DestinationType.ACTION_ITEM_INBOX.value):
            place = {"inbox": config.inbox(destination)}
        elif kind == str(DestinationType.QUEUE.value):
            place = {"inbox": "", "queue": config.queue(destination).id}
        else:
            raise IciFault(
                Errors.INVALID_ARGUMENT,
                f"destType {kind!r} is not 4 (action item inbox) or 12 (queue)",
            )
        now = self.ctx.now()

        def move(item: ActionItem) -> ActionItem:
            if place.get("inbox") and place["inbox"] == item.container:
                raise IciFault(
                    Errors.INVALID_ARGUMENT, f"action item {item.id} is in {item.container} already"
                )
            return _waiting_again(item, excluded=(), entered_at=now, **place)

        before, after = await self._change(item_id, ActionSessionCapability.FORWARD, move, inbox)
        if before.phase is Phase.ALERTING:
            await self.ctx.waiting.update(waiting_target(before), waiting.remove(before.id))
        await self.ctx.enqueue(after)

    async def end(self, item_id: object) -> None:
        """IciMessage.end: the agent is done; wrap-up (always Paperwork) unless the requested
        mode was not asked for (OII.RequestedWrapUp)."""
        policy = self.ctx.config.wrap_up

        def end(item: ActionItem) -> ActionItem:
            processing = policy.processing_after_end(item, handled=True)
            return item.model_copy(update={"phase": Phase.ENDED, "processing": processing.value})

        await self._change(item_id, ActionSessionCapability.END, end)

    async def wrap_up_required(self, item_id: object) -> None:
        await self._change(item_id, ActionSessionCapability.WRAP_UP_REQUIRED, requesting_wrap_up)

    async def wrap_up_ended(self, item_id: object) -> None:
        def over(item: ActionItem) -> ActionItem:
            if not item.in_wrap_up:
                raise IciFault(
                    Errors.NOT_ALLOWED_IN_STATUS, f"action item {item.id} is not in wrap-up"
                )
            return wrap_up_over(item)

        await self._change(item_id, ActionSessionCapability.WRAP_UP_ENDED, over)

    async def get_attached_data(self, item_id: object) -> str:
        item = await self.ctx.store.load(item_id)
        require(item, ActionSessionCapability.GET_ATTACHED_DATA)
        return item.attached_data

    async def set_attached_data(self, item_id: object, document: object) -> None:
        incoming = str(document if document is not None else "")
        limit = self.ctx.max_cad_bytes
        # Checked once outside the compare-and-set so a bad document faults before any write.
        cad.merge("", incoming, limit)

        def merge(item: ActionItem) -> ActionItem:
            merged = cad.merge(item.attached_data, incoming, limit)
            if merged == item.attached_data:
                return item
            return item.model_copy(update={"attached_data": merged})

        await self._change(item_id, ActionSessionCapability.SET_ATTACHED_DATA, merge)

    async def delete_attached_data(self, item_id: object) -> None:
        def clear(item: ActionItem) -> ActionItem:
            return item.model_copy(update={"attached_data": ""}) if item.attached_data else item

        await self._change(item_id, ActionSessionCapability.DELETE_ATTACHED_DATA, clear)
