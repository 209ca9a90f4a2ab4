"""One channel identity: each channel's ICI id, owner, container kind and tables agree."""

from __future__ import annotations

import pytest

from oii_shared.channels import CHANNEL_OWNERS, Channel, channel_argument
from oii_shared.config.schema import PSEUDO_QUEUES
from oii_shared.ici.schema import Owner
from oii_shared.ici.tables import ChannelType, ContainerType
from oii_shared.soap.faults import Errors, IciFault


def test_each_channel_knows_its_ici_identity() -> None:
    rows = {
        channel: (channel.ici_id, channel.owner, channel.container, channel.description)
        for channel in Channel
    }
    assert rows == {
        Channel.PHONE: ("1", Owner.TELEPHONY, ContainerType.PHONE_LINE, "Telephony"),
        Channel.EMAIL: ("2", Owner.MESSAGING, ContainerType.FOLDER, "E-mail"),
        Channel.CHAT: ("3", Owner.CHAT, ContainerType.CHAT_LINE, "Chat"),
        Channel.ACTION: ("4", Owner.ACTION, ContainerType.ACTION_ITEM_INBOX, "Action"),
    }
    assert [channel.channel_type for channel in Channel] == list(ChannelType)
    assert {Owner.TELEPHONY, Owner.MESSAGING, Owner.CHAT, Owner.ACTION} == CHANNEL_OWNERS


def test_switches_and_tables_are_the_specs() -> None:
    assert Channel.PHONE.parameter is None and Channel.PHONE.pseudo_queue is None
    assert {c.parameter for c in Channel} - {None} == {"OII.Email", "OII.Chat", "OII.Action"}
    assert PSEUDO_QUEUES == {
        "OII_EMAIL": Channel.EMAIL,
        "OII_CHAT": Channel.CHAT,
        "OII_ACTION": Channel.ACTION,
    }
    for channel in Channel:
        assert {int(status) for status in channel.statuses} == set(channel.status_table)
        assert {int(cap) for cap in channel.capabilities} == set(channel.capability_table)


@pytest.mark.parametrize(
    ("value", "channel"), [("1", Channel.PHONE), (2, Channel.EMAIL), (" 4 ", Channel.ACTION)]
)
def test_a_channel_type_as_crm_sends_it(value: object, channel: Channel) -> None:
    assert Channel.of_ici(value) is channel
    assert channel_argument(value) is channel


@pytest.mark.parametrize("value", ["0", "5", "phone", "1.0"])
def test_a_wrong_channel_type_is_a_client_fault(value: object) -> None:
    assert Channel.of_ici(value) is None
    with pytest.raises(IciFault) as caught:
        channel_argument(value)
    assert caught.value.error is Errors.INVALID_ARGUMENT


def test_a_missing_channel_type_is_the_fault_its_operation_wants() -> None:
    with pytest.raises(IciFault) as caught:
        channel_argument(None)
    assert caught.value.error is Errors.INVALID_ARGUMENT
    with pytest.raises(IciFault) as caught:
        channel_argument("", when_missing=Errors.MISSING_ARGUMENT)
    assert caught.value.error is Errors.MISSING_ARGUMENT
