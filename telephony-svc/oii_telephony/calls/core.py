"""Calls on the kit's item core: what a leg is for its agent, and the events of its changes.

Every change of a call goes through ``CallCore`` (the kit's :class:`ItemCore` over legs):
compare-and-set in KV, then the phoneCallChanged events below, then the agent's contact.
"""

from __future__ import annotations

from collections.abc import Mapping

from oii_shared.agents.state import ContactState
from oii_shared.items.core import ItemCore
from oii_telephony.calls.contacts import contact_state
from oii_telephony.calls.events import CallEvents
from oii_telephony.calls.model import Leg
from oii_telephony.lines.directory import Directory

CallCore = ItemCore[Leg]


class PhoneItems:
    """The phone channel's side of the item core (its ``ItemChannel``)."""

    def __init__(self, events: CallEvents, directory: Directory) -> None:
        self._events = events
        self._directory = directory

    def contacts(self, item: Leg) -> Mapping[str, ContactState]:
        state = contact_state(item, self._directory.wrap_up)
        return {item.user_id: state} if state is not None else {}

    def queue(self, item: Leg) -> str:
        return item.queue

    async def publish(self, before: Leg | None, after: Leg) -> None:
        if before is not None and before.line and before.line != after.line and not after.final:
            await self._events.left_line(before, before.line)
        await self._events.changed(after)
