"""Calls in NATS KV (bucket ``oii_calls``): the legs, with the calls of each line and the
legs each external party talks to found in the kit's local copy, and CAD's call counter.

Every change of a leg is a compare-and-set on its key, so concurrent changes
from several telephony-svc replicas never overwrite each other.
"""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from oii_shared.bus.kv import JsonCodec, cas_update
from oii_shared.bus.topology import ensure_bucket
from oii_shared.channels import Channel
from oii_shared.items.store import ItemStore, channel_bucket
from oii_telephony.calls.model import Leg

CALLS_BUCKET = channel_bucket(
    Channel.PHONE, "Phone calls: legs by call handle, line queues, CAD's call counter."
)

_COUNTER: JsonCodec[int] = JsonCodec()


async def open_calls_bucket(js: JetStreamContext) -> KeyValue:
    await ensure_bucket(js, CALLS_BUCKET)
    return await js.key_value(CALLS_BUCKET.name)


def _parties(leg: Leg) -> tuple[str, ...]:
    return tuple(peer.external for peer in leg.peers if peer.external)


class CallStore(ItemStore[Leg]):
    """The call legs (the kit's item store) and what only calls have: the parties of the
    telephone network and CAD's CALL_ID counter."""

    def __init__(self, js: JetStreamContext, calls: KeyValue) -> None:
        super().__init__(js, Channel.PHONE, calls, Leg, noun="call", indexes={"parties": _parties})

    def party_legs(self, party_id: str) -> list[Leg]:
        """The live legs that talk to the external party ``party_id`` (one, but for a moment
        while it moves from one to another)."""
        return self.find("parties", party_id) if party_id else []

    async def next_call_number(self) -> int:
        """CAD's CALL_ID counter, shared by every replica."""
        value = await cas_update(self.kv, "n.call_id", lambda n: (n or 0) + 1, _COUNTER)
        return value or 1
