"""Item owners from the item ids themselves, whatever item id a client sends."""

from __future__ import annotations

import pytest

from oii_gateway.routing.items import item_owner
from oii_shared.channels import Channel
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import Interface, Owner
from oii_shared.items.ids import new_item_id
from oii_shared.soap.codec import SoapCall, read_operation
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.text import escape


def item_call(item_id: str, operation: str = "getAttachedData") -> SoapCall:
    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<n0:{operation} xmlns:n0="urn:IciItemInterface">'
        f"<itemId>{escape(item_id)}</itemId></n0:{operation}></soap:Body></soap:Envelope>"
    )
    return read_operation(body.encode(), Interface.ITEM, ici_registry(), 65536)


@pytest.mark.parametrize("channel", list(Channel))
def test_an_item_is_routed_to_its_channel_by_its_id_in_any_case(channel: Channel) -> None:
    item_id = new_item_id(channel)
    assert item_owner(item_call(item_id.lower())) is channel.owner
    assert item_owner(item_call(f" {item_id} ", "accept")) is channel.owner


def test_create_goes_by_its_channel_type() -> None:
    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<create xmlns="urn:IciItemInterface"><channelType>2</channelType>'
        "<containerId>a@x</containerId></create></soap:Body></soap:Envelope>"
    )
    call = read_operation(body.encode(), Interface.ITEM, ici_registry(), 65536)
    assert item_owner(call) is Owner.MESSAGING


@pytest.mark.parametrize(
    "item_id",
    ["a b", "x.y", "*", ">", "a\tb", "Ä", "=2B", "+129", "0" * 32, "5" + "A" * 31, "1" * 31,
     "9" * 5000],
)  # fmt: skip
def test_an_id_none_of_our_channels_made_is_an_unknown_item(item_id: str) -> None:
    # Found by `make fuzz` (envelopes): such ids once became the INTERNAL fault, and a
    # 5,000-digit one a NATS subject that closed the connection.
    with pytest.raises(IciFault) as caught:
        item_owner(item_call(item_id))
    assert caught.value.error is Errors.UNKNOWN_ITEM
    assert len(caught.value.message) < 100


def test_a_missing_item_id_is_said_so() -> None:
    with pytest.raises(IciFault) as caught:
        item_owner(item_call(""))
    assert caught.value.error is Errors.MISSING_ARGUMENT


def end_call(item_id: str) -> SoapCall:
    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<end xmlns="urn:IciMessageInterface">'
        f"<messageId>{escape(item_id)}</messageId></end></soap:Body></soap:Envelope>"
    )
    return read_operation(body.encode(), Interface.MESSAGE, ici_registry(), 65536)


def test_message_end_goes_to_the_action_items_owner_and_ends_nothing_else() -> None:
    assert item_owner(end_call(new_item_id(Channel.ACTION))) is Owner.ACTION
    for channel in (Channel.PHONE, Channel.EMAIL, Channel.CHAT):
        with pytest.raises(IciFault) as caught:
            item_owner(end_call(new_item_id(channel)))
        assert caught.value.error is Errors.INVALID_ARGUMENT
        assert "ends action items" in caught.value.message
