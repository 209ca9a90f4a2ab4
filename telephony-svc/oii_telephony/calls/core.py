"""The one way a call changes: compare-and-set in KV, then its events, then its agent's contact.

A call's changes made by this replica are serialised by a lock per call, so
its phoneCallChanged events leave in the order the changes were stored.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from oii_shared.keyed_locks import KeyedLocks
from oii_shared.routing.contacts import AgentContacts
from oii_shared.soap.faults import IciFault
from oii_telephony.calls.contacts import contact_state
from oii_telephony.calls.events import CallEvents
from oii_telephony.calls.model import Leg
from oii_telephony.calls.store import CallStore
from oii_telephony.lines.directory import Directory

log = logging.getLogger(__name__)

Mutation = Callable[[Leg], Leg]
# Told about every stored change (before, after): routing and recordings follow calls this way.
Listener = Callable[[Leg, Leg], Awaitable[None]]


class CallCore:
    def __init__(
        self, store: CallStore, events: CallEvents, contacts: AgentContacts, directory: Directory
    ) -> None:
        self.store = store
        self.events = events
        self.contacts = contacts
        self.directory = directory
        self.locks = KeyedLocks()
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def add(self, leg: Leg) -> Leg:
        async with self.locks.hold(leg.handle):
            await self.store.create(leg)
            await self.events.changed(leg)
            await self._sync_agent(None, leg)
        return leg

    async def change(self, handle: str, mutate: Mutation) -> tuple[Leg, Leg]:
        """Apply ``mutate`` (pure; may raise an IciFault) and announce the result."""
        async with self.locks.hold(handle):
            before, after = await self.store.mutate(handle, mutate)
            if after is before:
                return before, after
            if before.line and before.line != after.line and not after.final:
                await self.events.left_line(before, before.line)
            await self.events.changed(after)
            await self._sync_agent(before, after)
        for listener in self._listeners:
            try:
                await listener(before, after)
            except Exception:
                log.exception("a call listener failed")
        return before, after

    async def try_change(self, handle: str, mutate: Mutation) -> tuple[Leg, Leg] | None:
        """Like :meth:`change`, but a call that is gone (or refuses) is ``None``."""
        try:
            return await self.change(handle, mutate)
        except IciFault:
            return None

    async def _sync_agent(self, before: Leg | None, after: Leg) -> None:
        afterwork = self.directory.flag("OII.Afterwork")
        was = (before.user_id, contact_state(before, afterwork)) if before else ("", None)
        await self.contacts.follow(
            after.handle,
            was,
            (after.user_id, contact_state(after, afterwork)),
            after.queue,
            time.time(),
        )
