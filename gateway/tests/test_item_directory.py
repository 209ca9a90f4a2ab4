"""Item owners looked up in a real KV bucket, whatever item id a client sends."""

from __future__ import annotations

import pytest
from nats.aio.client import Client as NatsClient
from nats.js.kv import KeyValue

from oii_gateway.routing.items import ItemDirectory
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import Interface, Owner
from oii_shared.items.directory import ItemEntry, item_key
from oii_shared.soap.codec import SoapCall, read_operation
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.text import escape

GUID = "0123456789ABCDEF0123456789ABCDEF"


def item_call(item_id: str) -> SoapCall:
    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<n0:getAttachedData xmlns:n0="urn:IciItemInterface">'
        f"<itemId>{escape(item_id)}</itemId></n0:getAttachedData></soap:Body></soap:Envelope>"
    )
    return read_operation(body.encode(), Interface.ITEM, ici_registry(), 65536)


async def test_a_known_item_is_found_by_its_id_in_any_case(kv: KeyValue) -> None:
    await kv.put(item_key(GUID), ItemEntry(GUID, Owner.TELEPHONY).encode())
    assert await ItemDirectory(kv).owner_of(item_call(GUID.lower())) is Owner.TELEPHONY


@pytest.mark.parametrize("item_id", ["a b", "x.y", "*", ">", "a\tb", "Ä", "=2B", "+129"])
async def test_an_id_that_is_no_kv_key_is_an_unknown_item(kv: KeyValue, item_id: str) -> None:
    # Found by `make fuzz` (envelopes): such an id was looked up as it came, and
    # nats-py's InvalidKeyError became the INTERNAL fault instead of "unknown item".
    with pytest.raises(IciFault) as caught:
        await ItemDirectory(kv).owner_of(item_call(item_id))
    assert caught.value.error is Errors.UNKNOWN_ITEM


async def test_a_long_item_id_is_unknown_and_leaves_the_connection_up(
    nc: NatsClient, kv: KeyValue
) -> None:
    # Found by `make fuzz` (envelopes): a 5,000-digit itemId was a subject longer than the
    # NATS server's control line; it closed the connection, failing every request on it.
    with pytest.raises(IciFault) as caught:
        await ItemDirectory(kv).owner_of(item_call("9" * 5000))
    assert caught.value.error is Errors.UNKNOWN_ITEM
    assert nc.is_connected
