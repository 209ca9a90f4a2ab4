"""Calls in NATS KV (bucket ``oii_calls``): legs, the calls of each line, external parties.

Every change of a leg is a compare-and-set on its key, so concurrent changes
from several telephony-svc replicas never overwrite each other.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from nats.js import JetStreamContext
from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from oii_shared.bus.kv import (
    JsonCodec,
    ModelCodec,
    cas_update,
    read,
    safe_key,
)
from oii_shared.bus.topology import ensure_bucket
from oii_shared.channels import Channel
from oii_shared.items.store import ItemStore, channel_bucket
from oii_telephony.calls.model import ExternalParty, Leg

CALLS_BUCKET = channel_bucket(
    Channel.PHONE,
    "Phone calls: legs by call handle, the calls of each line, external parties, line queues.",
)

_EXTERNALS = ModelCodec(ExternalParty)
_COUNTER: JsonCodec[int] = JsonCodec()

Mutation = Callable[[Leg], Leg]
LINE_PREFIX = "l."


def external_key(party_id: str) -> str:
    return "x." + safe_key(party_id)


async def open_calls_bucket(js: JetStreamContext) -> KeyValue:
    await ensure_bucket(js, CALLS_BUCKET)
    return await js.key_value(CALLS_BUCKET.name)


class CallStore(ItemStore[Leg]):
    """The call legs (the kit's item store: one key per leg, the legs of each line) and
    what only calls have: the parties of the telephone network and CAD's CALL_ID counter."""

    def __init__(self, js: JetStreamContext, calls: KeyValue) -> None:
        super().__init__(js, Channel.PHONE, calls, Leg, noun="call", container_prefix=LINE_PREFIX)

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
