"""What every action item use case works with, built once by the composition root."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from oii_action.directory import ActionConfig, Directory
from oii_action.items.model import ActionItem
from oii_action.items.records import ActionRecords
from oii_action.items.store import ActionStore
from oii_action.settings import ActionSettings
from oii_shared.items.core import ItemCore
from oii_shared.routing import waiting
from oii_shared.routing.waiting import QueueEntry, Target, WaitingStore

ActionCore = ItemCore[ActionItem]


@dataclass(frozen=True, slots=True)
class ActionContext:
    core: ActionCore
    store: ActionStore
    records: ActionRecords
    directory: Directory
    waiting: WaitingStore
    settings: ActionSettings
    # Wakes the dispatcher of this replica: something may now be routable.
    kick: Callable[[], None]

    @property
    def config(self) -> ActionConfig:
        return self.directory.current

    @property
    def max_cad_bytes(self) -> int:
        return self.settings.max_body_bytes

    @staticmethod
    def now() -> float:
        return time.time()

    async def enqueue(self, item: ActionItem) -> None:
        """``item`` (waiting) joins the list of its queue or of the inbox it was forwarded to."""
        entry = QueueEntry(
            handle=item.id,
            entered_at=item.entered_at,
            skills=item.skills,
            excluded=item.excluded,
            required_agents=item.required_agents,
            required_until=item.required_until,
        )
        await self.waiting.update(waiting_target(item), waiting.add(entry))
        self.kick()


def waiting_target(item: ActionItem) -> Target:
    if item.inbox:
        return Target(item.inbox, personal=True)
    return Target(item.queue)
