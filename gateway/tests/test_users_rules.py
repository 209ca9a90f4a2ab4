"""The User element (10.10) and the state rules of IciUser (9.2), without I/O."""

from __future__ import annotations

from typing import Any

import pytest

from oii_gateway.users import rules
from oii_gateway.users.directory import Directory
from oii_gateway.users.element import (
    allowed_channels,
    build_user,
    configured_addresses,
    offered_workmodes,
    servable_queues,
)
from oii_gateway.users.handlers import is_cms_ping
from oii_shared.agents.state import Address, AgentState, Contact, ContactState
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.db.repository import NotReadyReasonRecord, QueueRecord, UserRecord
from oii_shared.soap.faults import Errors, IciFault

GUID = "BA48C51B1B9249F6A56C4E6ADFFC2E3F"


def queue(queue_id: str, channel: Channel = Channel.PHONE, enabled: bool = True) -> QueueRecord:
    return QueueRecord(queue_id, f"Q {queue_id}", channel, enabled, "")


HARRI = UserRecord(
    "HARRI",
    "Harri Agent",
    "+129",
    "harri@example.com",
    "harri@example.com",
    ("2001", "2002", "2003", "9999", "service@example.com"),
)
QUEUES = [
    queue("2001"),
    queue("2002"),
    queue("2003"),
    queue("9999", enabled=False),
    queue("service@example.com", Channel.EMAIL),
]


def directory(
    parameters: dict[str, str] | None = None,
    users: list[UserRecord] | None = None,
    queues: list[QueueRecord] | None = None,
    reasons: list[NotReadyReasonRecord] | None = None,
) -> Directory:
    return Directory.of(
        users or [HARRI],
        QUEUES if queues is None else queues,
        ModuleParameters.from_values(parameters or {}),
        reasons or [],
    )


def text_elements(items: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(item["id"], item["description"]) for item in items]


def test_a_user_who_never_logged_in_looks_like_the_spec_sample() -> None:
    element = build_user(HARRI, None, directory(), GUID)

    assert element["userId"] == "HARRI"
    assert element["currentWorkmode"] == {"id": "1", "description": "Logged off"}
    assert text_elements(element["workmodes"]) == [
        ("1", "Logged off"),
        ("2", "Logged on - ready"),
        ("3", "Logged on - not ready"),
        ("1000", "No Phone"),
    ]
    assert element["wrapUpMode"] == 1
    assert element["currentChannels"] == []
    assert text_elements(element["channels"]) == [("1", "Telephony")]
    assert element["currentQueues"] == []
    # The disabled queue 9999 and the e-mail queue of a disabled channel are left out.
    assert text_elements(element["queues"]) == [
        ("2001", "Q 2001"),
        ("2002", "Q 2002"),
        ("2003", "Q 2003"),
    ]
    assert element["addresses"] == [{"address": "+129", "channel": "1"}]
    assert element["cmsHostId"] == GUID


def test_live_state_shows_in_the_element() -> None:
    state = AgentState(
        user_id="HARRI",
        workmode=1001,
        current_channels=("1",),
        active_queues=("2001", "gone"),
        addresses=(Address(channel="1", address="+123"),),
    )
    reasons = [NotReadyReasonRecord(1001, "Lunch")]
    element = build_user(HARRI, state, directory(reasons=reasons), GUID)

    assert element["currentWorkmode"] == {"id": "1001", "description": "Lunch"}
    assert ("1001", "Lunch") in text_elements(element["workmodes"])
    assert text_elements(element["currentChannels"]) == [("1", "Telephony")]
    assert text_elements(element["currentQueues"]) == [("2001", "Q 2001"), ("gone", "gone")]
    assert element["addresses"] == [{"address": "+123", "channel": "1"}]


def test_requested_wrap_up_mode() -> None:
    element = build_user(HARRI, None, directory({"OII.RequestedWrapUp": "1"}), GUID)
    assert element["wrapUpMode"] == 2


@pytest.mark.parametrize(
    ("parameters", "pseudo", "member_of", "expected"),
    [
        ({}, None, (), [Channel.PHONE]),
        (
            {"OII.Email": "1", "OII.Chat": "1"},
            None,
            (),
            [Channel.PHONE, Channel.EMAIL, Channel.CHAT],
        ),
        ({"OII.Action": "1"}, None, (), [Channel.PHONE, Channel.ACTION]),
        # The pseudo queue exists: its members have the channel, whatever OII.Email says.
        ({}, "OII_EMAIL", ("OII_EMAIL",), [Channel.PHONE, Channel.EMAIL]),
        ({"OII.Email": "1"}, "OII_EMAIL", (), [Channel.PHONE]),
        ({"OII.Chat": "0"}, "OII_CHAT", ("oii_chat",), [Channel.PHONE, Channel.CHAT]),
    ],
)
def test_channels_follow_parameters_and_pseudo_queues(
    parameters: dict[str, str],
    pseudo: str | None,
    member_of: tuple[str, ...],
    expected: list[Channel],
) -> None:
    user = UserRecord("U", "U", "+1", "u@x", "u@x", ("2001", *member_of))
    queues = [queue("2001")]
    if pseudo is not None:
        queues.append(queue(pseudo, Channel.EMAIL if pseudo == "OII_EMAIL" else Channel.CHAT))
    assert list(allowed_channels(user, directory(parameters, [user], queues))) == expected


def test_a_disabled_pseudo_queue_does_not_override_the_parameter() -> None:
    user = UserRecord("U", "U", "+1", "u@x", None, ("2001",))
    queues = [queue("2001"), queue("OII_EMAIL", Channel.EMAIL, enabled=False)]
    found = allowed_channels(user, directory({"OII.Email": "1"}, [user], queues))
    assert Channel.EMAIL in found


def test_pseudo_queues_are_never_offered_as_queues() -> None:
    user = UserRecord("U", "U", "+1", "u@x", None, ("2001", "OII_EMAIL", "service@example.com"))
    queues = [
        queue("2001"),
        queue("OII_EMAIL", Channel.EMAIL),
        queue("service@example.com", Channel.EMAIL),
    ]
    servable = servable_queues(user, directory({}, [user], queues))
    assert [q.id for q in servable] == ["2001", "service@example.com"]
    assert configured_addresses(user, directory({}, [user], queues)) == (
        Address(channel="1", address="+1"),
        Address(channel="2", address="u@x"),
    )


def test_the_action_channel_serves_action_and_email_queues_and_has_an_inbox() -> None:
    user = UserRecord("U", "U", "+1", None, None, ("2001", "ACTION", "erms@example.com"))
    queues = [
        queue("2001"),
        queue("ACTION", Channel.ACTION),
        queue("erms@example.com", Channel.EMAIL),
    ]
    # Action items wait in ACTION and in e-mail queues (4.7.3): the action channel is
    # enough to be active in both; the inbox's containerId is the user id.
    with_action = directory({"OII.Action": "1"}, [user], queues)
    assert [q.id for q in servable_queues(user, with_action)] == [
        "2001",
        "ACTION",
        "erms@example.com",
    ]
    assert configured_addresses(user, with_action) == (
        Address(channel="1", address="+1"),
        Address(channel="4", address="U"),
    )
    without = directory({}, [user], queues)
    assert [q.id for q in servable_queues(user, without)] == ["2001"]
    assert configured_addresses(user, without) == (Address(channel="1", address="+1"),)


def test_custom_not_ready_reasons_are_offered_after_the_spec_workmodes() -> None:
    reasons = [NotReadyReasonRecord(1002, "Meeting"), NotReadyReasonRecord(1001, "Lunch")]
    assert list(offered_workmodes(directory(reasons=reasons))) == [1, 2, 3, 1000, 1001, 1002]


@pytest.mark.parametrize("value", ["2", " 3 ", "1000", "1001"])
def test_offered_workmodes_are_accepted(value: str) -> None:
    assert rules.parse_workmode(value, [1, 2, 3, 1000, 1001]) == int(value)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("4", Errors.INVALID_ARGUMENT),
        ("1002", Errors.INVALID_ARGUMENT),
        ("ready", Errors.INVALID_ARGUMENT),
        ("", Errors.MISSING_ARGUMENT),
        (None, Errors.MISSING_ARGUMENT),
    ],
)
def test_other_workmodes_are_client_faults(value: Any, error: Any) -> None:
    with pytest.raises(IciFault) as raised:
        rules.parse_workmode(value, [1, 2, 3, 1000, 1001])
    assert raised.value.error is error
    assert raised.value.error.faultcode.value == "Client"


def test_becoming_ready_while_free_starts_idling() -> None:
    ready = rules.set_workmode("HARRI", 2, now=100.0)(None)
    assert ready is not None
    assert (ready.workmode, ready.workmode_since, ready.last_idle_at) == (2, 100.0, 100.0)

    assert rules.set_workmode("HARRI", 2, now=200.0)(ready) is ready  # no change, no write

    not_ready = rules.set_workmode("HARRI", 3, now=300.0)(ready)
    assert not_ready is not None
    assert (not_ready.workmode, not_ready.workmode_since, not_ready.last_idle_at) == (
        3,
        300.0,
        100.0,
    )


def test_becoming_ready_with_a_contact_keeps_the_idle_time() -> None:
    contact = Contact(item_id="C1", channel="1", state=ContactState.WRAP_UP)
    busy = AgentState(user_id="HARRI", workmode=3, contacts=(contact,), last_idle_at=50.0)
    ready = rules.set_workmode("HARRI", 2, now=100.0)(busy)
    assert ready is not None
    assert (ready.workmode, ready.last_idle_at) == (2, 50.0)


def test_logging_off_an_agent_who_never_logged_in_writes_nothing() -> None:
    assert rules.set_workmode("HARRI", 1, now=1.0)(None) is None


def test_login_activates_queues_and_forgets_ended_sessions() -> None:
    state = AgentState(user_id="harri", sessions=("old", "other"), active_queues=("2001",))
    state = state.model_copy(update={"addresses": (Address(channel="1", address="+1"),)})
    login = rules.login("HARRI", queues=("2001", "2002"), ended_sessions=("old",))
    after = login(state)
    assert after is not None
    assert after.user_id == "HARRI"
    assert after.active_queues == ("2001", "2002")
    assert after.sessions == ("other",)
    assert after.addresses == ()  # the configured ones again
    assert login(after) is after


def test_channels_are_validated_and_kept_in_order() -> None:
    assert rules.parse_channels(["2", " 1", "2"]) == ("2", "1")
    assert rules.parse_channels(None) == ()
    with pytest.raises(IciFault) as raised:
        rules.parse_channels(["5"])
    assert raised.value.error is Errors.INVALID_ARGUMENT


def test_set_current_queues_keeps_only_servable_queues() -> None:
    chosen = rules.choose_queues(["2003", "9999", "2001", "2003", None], ["2001", "2002", "2003"])
    assert chosen == ("2003", "2001")
    assert rules.choose_queues(["service@EXAMPLE.com"], ["service@example.com"]) == (
        "service@example.com",
    )


def test_addresses_need_address_and_channel() -> None:
    parsed = rules.parse_addresses(
        [{"address": "+123", "channel": "1"}, {"address": "a@b", "channel": "2"}]
    )
    assert parsed == (Address(channel="1", address="+123"), Address(channel="2", address="a@b"))
    with pytest.raises(IciFault):
        rules.parse_addresses([{"address": "+123", "channel": None}])


def test_sessions_are_added_once_and_removed_without_creating_state() -> None:
    first = rules.add_session("HARRI", "s1")(None)
    assert first is not None and first.sessions == ("s1",)
    assert rules.add_session("HARRI", "s1")(first) is first
    assert rules.remove_session("s1")(None) is None
    after = rules.remove_session("s1")(first)
    assert after is not None and after.sessions == ()


@pytest.mark.parametrize(
    ("value", "ping"), [("TRUE", True), (" true ", True), ("FALSE", False), (None, False)]
)
def test_cms_ping(value: str | None, ping: bool) -> None:
    assert is_cms_ping(value) is ping


def test_user_ids_are_case_insensitive() -> None:
    found = directory().user(" harri ")
    assert found is HARRI
    assert directory().user("nobody") is None
