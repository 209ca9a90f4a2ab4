"""What an action item is for the item core: its agent's contact, its queue, its events.

actionItemChanged (9.3.8) goes to the inbox the item is on; an inbox it left
(rerouted, forwarded, not answered in time) sees it Ended there.
"""

from __future__ import annotations

from collections.abc import Mapping

from nats.js import JetStreamContext

from oii_action.items.model import ActionItem, Phase
from oii_action.items.states import action_session, item_data, left, shown
from oii_shared.agents.state import ContactState
from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import ActionItemChanged
from oii_shared.channels import Channel
from oii_shared.ici.tables import ActionSessionStatus
from oii_shared.items.wrapup import WrapUpPolicy

_PAPERWORK = WrapUpPolicy(afterwork=False).contact_in_wrap_up(Channel.ACTION)


class ActionEvents:
    """The action channel's ItemChannel."""

    def __init__(self, js: JetStreamContext) -> None:
        self._js = js

    def contacts(self, item: ActionItem) -> Mapping[str, ContactState]:
        if item.phase is Phase.ALERTING:
            return {item.user_id: ContactState.ALERTING}
        if item.phase is Phase.ACCEPTED:
            return {item.user_id: ContactState.ACTIVE}
        if item.phase is Phase.ENDED and item.in_wrap_up and item.user_id:
            return {item.user_id: _PAPERWORK}
        return {}

    def queue(self, item: ActionItem) -> str:
        return item.queue

    async def publish(self, before: ActionItem | None, after: ActionItem) -> None:
        if before is not None and before.container and before.container != after.container:
            await self._changed(before, before.container, *left(before), ".left")
        if after.container:
            await self._changed(after, after.container, *shown(after), "")

    async def _changed(
        self,
        item: ActionItem,
        inbox: str,
        status: ActionSessionStatus,
        processing: int,
        suffix: str,
    ) -> None:
        event = ActionItemChanged(
            id=f"action.{item.id}.{item.version}{suffix}",
            container_id=inbox,
            action_session=action_session(item, status, processing),
            action_item_id=item.id,
            item_data=item_data(item, status, processing),
        )
        await publish(self._js, event)
