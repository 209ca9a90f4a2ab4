"""Presence numbers, statuses and the directory search, without I/O."""

from __future__ import annotations

import pytest

from oii_gateway.agent_index import PresenceIndex
from oii_gateway.presence.counting import (
    Activity,
    AgentCounts,
    activity,
    count_agents,
    passes_filter,
    presence_status,
    queue_guid,
    queue_info,
)
from oii_gateway.presence.users import listed_users, max_hits, presence_info, search_users
from oii_gateway.users.directory import Directory
from oii_shared.agents.state import Address, AgentState, Contact, ContactState
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.db.repository import QueueRecord, UserRecord
from oii_shared.ici.tables import PresenceStatus
from oii_shared.queue_stats import QueueStats
from oii_shared.soap.faults import IciFault


def agent(workmode: int, *contacts: ContactState, user: str = "A") -> AgentState:
    return AgentState(
        user_id=user,
        workmode=workmode,
        contacts=tuple(
            Contact(item_id=f"C{n}", channel="1", state=state) for n, state in enumerate(contacts)
        ),
    )


@pytest.mark.parametrize(
    ("state", "expected", "presence"),
    [
        (None, Activity.LOGGED_OFF, PresenceStatus.LOGGED_OFF),
        (agent(1), Activity.LOGGED_OFF, PresenceStatus.LOGGED_OFF),
        (agent(2), Activity.READY, PresenceStatus.AVAILABLE),
        (agent(2, ContactState.ALERTING), Activity.BUSY, PresenceStatus.BUSY),
        (agent(3, ContactState.ACTIVE), Activity.BUSY, PresenceStatus.BUSY),
        (agent(2, ContactState.WRAP_UP), Activity.WRAP_UP, PresenceStatus.BUSY),
        (agent(2, ContactState.WRAP_UP, ContactState.ACTIVE), Activity.BUSY, PresenceStatus.BUSY),
        (agent(3), Activity.NOT_READY, PresenceStatus.NOT_AVAILABLE),
        (agent(1000), Activity.NOT_READY, PresenceStatus.NOT_AVAILABLE),
        (agent(1001), Activity.PAUSED, PresenceStatus.NOT_AVAILABLE),
        # A call created on the line and not dialled yet leaves the agent available.
        (agent(2, ContactState.CREATED), Activity.READY, PresenceStatus.AVAILABLE),
        # An instant message between agents (2.1) leaves the agent available.
        (
            agent(2).model_copy(
                update={
                    "contacts": (
                        Contact(item_id="IM", channel="3", state=ContactState.ACTIVE, instant=True),
                    )
                }
            ),
            Activity.READY,
            PresenceStatus.AVAILABLE,
        ),
    ],
)
def test_every_agent_is_in_one_activity(
    state: AgentState | None, expected: Activity, presence: PresenceStatus
) -> None:
    assert activity(state) is expected
    assert presence_status(state) is presence


def test_counts_partition_the_logged_in_agents() -> None:
    counts = count_agents(
        [
            agent(1),
            agent(2),
            agent(2),
            agent(2, ContactState.ACTIVE),
            agent(2, ContactState.WRAP_UP),
            agent(3),
            agent(1001),
        ]
    )
    assert counts == AgentCounts(logged_in=6, ready=2, busy=1, wrap_up=1, not_ready=1, paused=1)
    assert passes_filter(counts, 0) and passes_filter(counts, 1) and passes_filter(counts, 2)
    nobody_ready = count_agents([agent(3)])
    assert passes_filter(nobody_ready, 1) and not passes_filter(nobody_ready, 2)
    assert not passes_filter(count_agents([agent(1)]), 1)
    assert passes_filter(count_agents([]), 0)


def test_queue_info_numbers_are_text_and_waiting_times_whole_seconds() -> None:
    stats = QueueStats(
        queue_id="2001",
        pending=2,
        oldest_entered_at=1000.0,
        answered=4,
        total_wait_s=10.0,
        max_wait_s=7.4,
        open="1",
    )
    info = queue_info(
        QueueRecord("2001", "Q 2001", Channel.PHONE, True, ""),
        AgentCounts(logged_in=3, ready=1, busy=1, wrap_up=0, not_ready=1, paused=0),
        stats,
        now=1012.2,
    )
    assert info == {
        "id": "2001",
        "description": "Q 2001",
        "guid": queue_guid("2001"),
        "loggedIn": "3",
        "ready": "1",
        "pending": "2",
        "open": "1",
        "avgWaitingTime": "2",  # 10 s over 4 answered
        "maxWaitingTime": "12",  # the oldest waiting contact beats the longest answered one
        "busy": "1",
        "wrapUp": "0",
        "notReady": "1",
        "paused": "0",
    }
    empty = queue_info(
        QueueRecord("2002", "Q 2002", Channel.PHONE, True, ""), AgentCounts(), None, 5.0
    )
    assert (empty["pending"], empty["open"], empty["maxWaitingTime"]) == ("0", "1", "0")


def test_queue_guids_are_stable_32_hex_and_distinct() -> None:
    assert queue_guid("2001") == queue_guid(" 2001 ")
    assert queue_guid("2001") != queue_guid("2002")
    assert len(queue_guid("2001")) == 32 and int(queue_guid("2001"), 16) >= 0


def test_index_counts_members_and_ignores_older_versions() -> None:
    index = PresenceIndex()
    first = AgentState(user_id="HARRI", workmode=2, active_queues=("2001", "2002"), version=2)
    index.observe(first)
    assert [a.user_id for a in index.agents_in("2001")] == ["HARRI"]

    index.observe(first.model_copy(update={"active_queues": ("2003",), "version": 1}))
    assert index.agent("harri") == first  # the older write lost

    index.observe(first.model_copy(update={"active_queues": ("2003",), "version": 3}))
    assert list(index.agents_in("2001")) == []
    assert [a.user_id for a in index.agents_in("2003")] == ["HARRI"]


USERS = [
    UserRecord("HARRI", "Harri Agent", "+129", "harri@example.com", "harri@example.com"),
    UserRecord("ANNA", "Anna Agent", "+123", "anna@example.com", None),
    UserRecord("CARL", "Carl Supervisor", "+125", None, None),
]


def presence_directory(parameters: dict[str, str] | None = None) -> Directory:
    return Directory.of(USERS, [], ModuleParameters.from_values(parameters or {}))


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("agent", ["ANNA", "HARRI"]),
        ("AGENT harri", ["HARRI"]),
        ("harri agent", ["HARRI"]),
        ("+125", ["CARL"]),
        ("anna@EXAMPLE", ["ANNA"]),
        ("supervisor", ["CARL"]),
        ("nobody", []),
        ("  ", []),
    ],
)
def test_search_matches_every_word_in_id_name_or_address(term: str, expected: list[str]) -> None:
    found = search_users(presence_directory(), term, 100)
    assert [user.id for user in found] == expected


def test_search_stops_at_max_hits_and_sees_addresses_crm_set() -> None:
    assert [u.id for u in search_users(presence_directory(), "agent", 1)] == ["ANNA"]
    found = search_users(
        presence_directory(), "+777", 10, lambda user: ["+777"] if user.id == "CARL" else []
    )
    assert [user.id for user in found] == ["CARL"]


def test_listed_users_keep_the_order_asked_and_skip_unknown_ones() -> None:
    found = listed_users(presence_directory(), ["carl", "nobody", "HARRI", "Carl"])
    assert [user.id for user in found] == ["CARL", "HARRI"]


@pytest.mark.parametrize(("value", "hits"), [(None, 100), ("", 100), ("5", 5)])
def test_max_hits(value: str | None, hits: int) -> None:
    assert max_hits(value) == hits


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_bad_max_hits_is_a_client_fault(value: str) -> None:
    with pytest.raises(IciFault):
        max_hits(value)


def collaborations(info: dict[str, object]) -> list[tuple[str, str, str, str]]:
    data = info["collaborationData"]
    assert isinstance(data, list)
    return [(d["channel"], d["capability"], d["description"], d["address"]) for d in data]


def test_presence_info_reports_phone_and_chat_by_default() -> None:
    info = presence_info(USERS[0], agent(2, user="HARRI"), presence_directory())
    assert (info["user"], info["presenceStatus"], info["presenceDescription"]) == (
        "HARRI",
        "1",
        "Available",
    )
    assert collaborations(info) == [
        ("1", "101", "Call", "+129"),
        ("1", "3", "Blind transfer", "+129"),
        ("1", "104", "Warm transfer", "+129"),
        ("3", "101", "Call", "harri@example.com"),
        ("3", "3", "Blind transfer", "harri@example.com"),
        ("3", "104", "Warm transfer", "harri@example.com"),
    ]


def test_presence_info_channels_follow_the_parameters() -> None:
    directory = presence_directory(
        {"OII.GetUserPresenceEmail": "1", "OII.GetUserPresenceChat": "0"}
    )
    info = presence_info(USERS[0], None, directory)
    assert info["presenceStatus"] == "3"
    assert [(c[0], c[1]) for c in collaborations(info)] == [
        ("1", "101"),
        ("1", "3"),
        ("1", "104"),
        ("2", "101"),
        ("2", "3"),
    ]


def test_presence_info_uses_the_addresses_crm_set() -> None:
    state = agent(3, user="CARL").model_copy(
        update={"addresses": (Address(channel="1", address="+999"),)}
    )
    info = presence_info(USERS[2], state, presence_directory())
    assert info["presenceDescription"] == "NotAvailable"
    assert {c[3] for c in collaborations(info)} == {"+999"}
    # Channels CRM did not set keep the configured address.
    info = presence_info(
        USERS[0], state.model_copy(update={"user_id": "HARRI"}), presence_directory()
    )
    assert {(c[0], c[3]) for c in collaborations(info)} == {
        ("1", "+999"),
        ("3", "harri@example.com"),
    }
