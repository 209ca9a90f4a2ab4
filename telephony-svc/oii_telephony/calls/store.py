"""Calls in NATS KV (bucket ``oii_calls``): legs, the calls of each line, external parties.

Every change of a leg is a compare-and-set on its key, so concurrent changes
from several telephony-svc replicas never overwrite each other. Each leg also
has its directory entry in ``oii_items`` (the gateway routes IciItem by it),
removed with the leg.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from nats.js import JetStreamContext
from nats.js.errors import APIError, KeyNotFoundError
from nats.js.kv import KeyValue

from oii_shared.bus.kv import (
    JsonCodec,
    ModelCodec,
    RevisionCache,
    Stored,
    cas_update,
    is_conflict,
    read,
    safe_key,
    snapshot,
)
from oii_shared.bus.topology import BucketSpec, ensure_bucket
from oii_shared.ici.schema import Owner
from oii_shared.items.directory import ItemEntry, item_key
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.model import ExternalParty, Leg

CALLS_BUCKET = BucketSpec(
    "oii_calls",
    "Phone calls: legs by call handle, the calls of each line, external parties, line queues.",
)

_LEGS = ModelCodec(Leg)
_EXTERNALS = ModelCodec(ExternalParty)
_HANDLES: JsonCodec[list[str]] = JsonCodec()
_COUNTER: JsonCodec[int] = JsonCodec()

Mutation = Callable[[Leg], Leg]


class LegExists(Exception):
    """A leg with this handle is stored already (handles derived from a callback attempt)."""


LEG_PREFIX = "c."


def leg_key(handle: str) -> str:
    return LEG_PREFIX + item_key(handle)


def line_key(line: str) -> str:
    return "l." + safe_key(line)


def external_key(party_id: str) -> str:
    return "x." + safe_key(party_id)


async def open_calls_bucket(js: JetStreamContext) -> KeyValue:
    await ensure_bucket(js, CALLS_BUCKET)
    return await js.key_value(CALLS_BUCKET.name)


class CallStore:
    def __init__(self, js: JetStreamContext, calls: KeyValue, items: KeyValue) -> None:
        self._js = js
        self.kv = calls
        self.items = items
        # A call changes through the replica that handles it: most changes skip the read.
        self._legs: RevisionCache[Leg] = RevisionCache()
        self._lines: RevisionCache[list[str]] = RevisionCache()

    async def get(self, handle: str) -> Leg | None:
        if not handle:
            return None
        return (await read(self.kv, leg_key(handle), _LEGS)).value

    async def load(self, handle: object) -> Leg:
        text = str(handle if handle is not None else "").strip()
        if not text:
            raise IciFault(Errors.MISSING_ARGUMENT, "a call handle is required")
        leg = await self.get(text)
        if leg is None:
            raise IciFault(Errors.UNKNOWN_ITEM, f"no call {item_key(text)}")
        return leg

    async def create(self, leg: Leg) -> None:
        """Store a new leg; :class:`LegExists` if its handle is taken (by another replica)."""
        key = leg_key(leg.handle)
        try:
            revision = await self.kv.create(key, _LEGS.encode(leg))
        except APIError as error:
            if is_conflict(error):
                raise LegExists(leg.handle) from error
            raise
        self._legs.remember(key, Stored(leg, revision))
        await self.items.put(item_key(leg.handle), ItemEntry(leg.handle, Owner.TELEPHONY).encode())
        if leg.line:
            await self._index(leg.line, add=leg.handle)

    async def mutate(self, handle: str, mutate: Mutation) -> tuple[Leg, Leg]:
        """Compare-and-set ``mutate`` on the leg; a final leg is deleted instead of written.

        ``mutate`` may raise an IciFault (the operation is not allowed) and returns the
        leg it was given when nothing changes. Returns the leg before and after.
        """
        changes: list[Leg] = []  # before and after, as the write that counted saw them

        def change(current: Leg | None) -> Leg | None:
            if current is None:
                raise IciFault(Errors.UNKNOWN_ITEM, f"no call {item_key(handle)}")
            after = mutate(current)
            if after is current:
                changes[:] = [current, current]
                return current
            after = after.model_copy(update={"version": current.version + 1})
            changes[:] = [current, after]
            return None if after.final else after

        await cas_update(self.kv, leg_key(handle), change, _LEGS, cache=self._legs)
        before, after = changes
        if after is not before:
            await self._after_write(before, after)
        return before, after

    async def _after_write(self, before: Leg, after: Leg) -> None:
        new_line = "" if after.final else after.line
        if before.line and before.line != new_line:
            await self._index(before.line, remove=before.handle)
        if new_line and new_line != before.line:
            await self._index(new_line, add=after.handle)
        if after.final:
            await self.items.delete(item_key(after.handle))

    async def all_legs(self) -> list[Leg]:
        """Every stored leg (read once at start: a scan of the bucket)."""
        entries = await snapshot(self._js, CALLS_BUCKET.name, LEG_PREFIX + ">")
        return [_LEGS.decode(value) for _key, value in entries if value]

    async def on_line(self, line: str) -> list[Leg]:
        handles = (await read(self.kv, line_key(line), _HANDLES)).value or []
        legs = await asyncio.gather(*(self.get(handle) for handle in handles))
        found = [leg for leg in legs if leg is not None and leg.line == line]
        if len(found) != len(handles):
            # A replica that stopped between two writes left a stale entry: tidy up.
            for handle in set(handles) - {leg.handle for leg in found}:
                await self._index(line, remove=handle)
        return found

    async def _index(self, line: str, add: str = "", remove: str = "") -> None:
        def mutate(current: list[str] | None) -> list[str] | None:
            handles = list(current or [])
            if add and add not in handles:
                handles.append(add)
            if remove and remove in handles:
                handles.remove(remove)
            if handles == (current or []):
                return current
            return handles or None

        await cas_update(self.kv, line_key(line), mutate, _HANDLES, cache=self._lines)

    # ----------------------------------------------------------------- external parties

    async def external(self, party_id: str) -> ExternalParty | None:
        if not party_id:
            return None
        return (await read(self.kv, external_key(party_id), _EXTERNALS)).value

    async def put_external(self, party: ExternalParty) -> None:
        await self.kv.put(external_key(party.id), _EXTERNALS.encode(party))

    async def move_external(self, party_id: str, from_leg: str, to_leg: str) -> None:
        """The party now talks to ``to_leg``, if it still talked to ``from_leg``."""

        def mutate(party: ExternalParty | None) -> ExternalParty | None:
            if party is None or party.leg != from_leg:
                return party
            return party.model_copy(update={"leg": to_leg})

        await cas_update(self.kv, external_key(party_id), mutate, _EXTERNALS)

    async def drop_external(self, party_id: str) -> None:
        with contextlib.suppress(KeyNotFoundError):
            await self.kv.delete(external_key(party_id))

    async def next_call_number(self) -> int:
        """CAD's CALL_ID counter, shared by every replica."""
        value = await cas_update(self.kv, "n.call_id", lambda n: (n or 0) + 1, _COUNTER)
        return value or 1
