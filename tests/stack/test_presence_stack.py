"""IciSystem.getPresenceQueueInfo (9.1.3) and getUserPresence (9.1.4) through the gateway.

Agents change state over IciUser as CRM does; contacts and queue statistics are
written to NATS KV as the channel services write them (this test stands in for
telephony-svc there). Module parameters change in the database, then
UpdateSettings makes the gateway reload them, as an operator would.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator

import pytest
from lxml import etree
from stacklib import (
    Stack,
    admin,
    assert_fault,
    assert_response,
    envelope,
    own_stack,
    soap,
    soap_action,
    wait_for,
)

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.agents.store import AgentStore
from oii_shared.bus.connect import close, connect
from oii_shared.bus.topology import AGENTS_BUCKET, QUEUES_BUCKET
from oii_shared.channels import Channel
from oii_shared.queue_stats import QueueStats
from oii_shared.routing.waiting import queue_waiting_key
from oii_shared.soap.faults import Errors

pytestmark = pytest.mark.stack

CONFIG = """
queues:
  - {id: "3001", name: "Presence A", channel: phone}
  - {id: "3002", name: "Presence B", channel: phone}
  - {id: "3003", name: "Presence C", channel: phone}
  - {id: "chat@example.com", name: "Chat", channel: chat}
users:
  - {id: PIA, name: "Pia Nurmi", phone: "+3101", email: "pia@example.com", chat: "pia@example.com", queues: ["3001", "3002"]}
  - {id: PEKKA, name: "Pekka Nurmi", phone: "+3102", queues: ["3001"]}
  - {id: OTTO, name: "Otto Other", phone: "+3103", queues: ["3003"]}
not_ready_reasons:
  - {id: 1001, description: "Break"}
"""  # noqa: E501


@pytest.fixture(scope="module")
def presence_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(tmp_path_factory.mktemp("presence"), CONFIG) as running:
        yield running


def call(stack: Stack, interface: str, operation_xml: str) -> etree._Element:
    name = etree.QName(etree.fromstring(operation_xml)).localname
    answer = soap(stack.base_url, "/OII/OII.asmx", envelope(operation_xml), soap_action(interface))
    return assert_response(answer, interface, name)


def login(stack: Stack, user_id: str, workmode: str) -> None:
    call(
        stack,
        "IciUser",
        f'<getAttributes xmlns="urn:IciUserInterface"><userId>{user_id}</userId></getAttributes>',
    )
    set_workmode(stack, user_id, workmode)


def set_workmode(stack: Stack, user_id: str, workmode: str) -> None:
    call(
        stack,
        "IciUser",
        f'<setCurrentWorkmode xmlns="urn:IciUserInterface"><userId>{user_id}</userId>'
        f"<workmode>{workmode}</workmode></setCurrentWorkmode>",
    )


def queue_info(stack: Stack, user_id: str, channel: str = "1") -> dict[str, dict[str, str]]:
    wrapper = call(
        stack,
        "IciSystem",
        '<getPresenceQueueInfo xmlns="urn:IciSystemInterface">'
        f'<userId xmlns="urn:IciUserInterface">{user_id}</userId>'
        f"<channelType>{channel}</channelType></getPresenceQueueInfo>",
    )
    response = wrapper.find("{urn:IciSystemInterface}response")
    assert response is not None
    groups = response.findall("groupInfo/item")
    assert [(g.findtext("id"), g.findtext("description")) for g in groups] == [("1", "*")]
    return {
        item.findtext("id") or "": {child.tag: child.text or "" for child in item}
        for item in response.findall("queueInfo/item")
    }


def numbers(info: dict[str, str]) -> tuple[int, ...]:
    names = ("loggedIn", "ready", "busy", "wrapUp", "notReady", "paused", "pending")
    return tuple(int(info[name]) for name in names)


def wait_numbers(stack: Stack, queue_id: str, expected: tuple[int, ...]) -> dict[str, str]:
    seen: list[dict[str, str]] = []

    def reached() -> bool:
        seen.append(queue_info(stack, "PIA")[queue_id])
        return numbers(seen[-1]) == expected

    wait_for(reached, 5, f"{queue_id} at {expected}", explain=lambda: str(seen[-1:]))
    return seen[-1]


def as_channel_service(stack: Stack, user_id: str, *contacts: ContactState) -> None:
    """What a channel service does when it offers or ends contacts: a CAS write."""

    async def write() -> None:
        nc = await connect(stack.nats_settings(), "channel stand-in")
        try:
            store = AgentStore(await nc.jetstream().key_value(AGENTS_BUCKET))

            def mutate(state: AgentState | None) -> AgentState | None:
                assert state is not None
                found = tuple(
                    Contact(item_id=f"C{n}", channel="1", state=kind, queue="3001")
                    for n, kind in enumerate(contacts)
                )
                return state.model_copy(update={"contacts": found})

            await store.update(user_id, mutate)
        finally:
            await close(nc)

    asyncio.run(write())


def put_queue_stats(stack: Stack, stats: QueueStats) -> None:
    async def write() -> None:
        nc = await connect(stack.nats_settings(), "routing stand-in")
        try:
            queues = await nc.jetstream().key_value(QUEUES_BUCKET)
            key = queue_waiting_key(Channel.PHONE, stats.queue_id)
            await queues.put(key, stats.model_dump_json().encode())
        finally:
            await close(nc)

    asyncio.run(write())


def set_parameter(stack: Stack, name: str, value: str) -> None:
    """An operator changes a module parameter in the database and presses UpdateSettings."""
    with sqlite3.connect(stack.data_dir / "oii.sqlite3") as db:
        db.execute(
            "INSERT INTO module_parameters (name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )
    answer = admin(stack, "UpdateSettings", "POST")
    assert answer.status_code == 200, answer.text


def test_queue_numbers_follow_agent_state(presence_stack: Stack) -> None:
    stack = presence_stack
    first = queue_info(stack, "pia")
    assert list(first) == ["3001", "3002"]  # the user's queues only
    assert first["3001"]["description"] == "Presence A"
    assert len(first["3001"]["guid"]) == 32 and first["3001"]["guid"] != first["3002"]["guid"]
    assert numbers(first["3001"]) == (0, 0, 0, 0, 0, 0, 0)
    assert first["3001"]["open"] == "1"

    login(stack, "PIA", "2")
    login(stack, "PEKKA", "3")
    # loggedIn, ready, busy, wrapUp, notReady, paused, pending
    wait_numbers(stack, "3001", (2, 1, 0, 0, 1, 0, 0))
    wait_numbers(stack, "3002", (1, 1, 0, 0, 0, 0, 0))

    set_workmode(stack, "PEKKA", "1001")
    wait_numbers(stack, "3001", (2, 1, 0, 0, 0, 1, 0))

    as_channel_service(stack, "PIA", ContactState.ALERTING)
    wait_numbers(stack, "3001", (2, 0, 1, 0, 0, 1, 0))
    as_channel_service(stack, "PIA", ContactState.WRAP_UP)
    wait_numbers(stack, "3001", (2, 0, 0, 1, 0, 1, 0))
    as_channel_service(stack, "PIA")

    put_queue_stats(
        stack,
        QueueStats(
            queue_id="3001",
            pending=2,
            oldest_entered_at=time.time() - 30,
            answered=2,
            total_wait_s=8.0,
            max_wait_s=5.0,
        ),
    )
    info = wait_numbers(stack, "3001", (2, 1, 0, 0, 0, 1, 2))
    assert info["avgWaitingTime"] == "4"
    assert 29 <= int(info["maxWaitingTime"]) <= 40

    set_workmode(stack, "PEKKA", "1")
    wait_numbers(stack, "3001", (1, 1, 0, 0, 0, 0, 2))


def test_all_queues_and_the_filter_follow_the_parameters(presence_stack: Stack) -> None:
    stack = presence_stack
    login(stack, "PIA", "2")
    set_parameter(stack, "OII.GetPresenceQueueInfoAll", "1")
    wait_for(lambda: list(queue_info(stack, "PIA")) == ["3001", "3002", "3003"], 5, "all queues")
    assert list(queue_info(stack, "PIA", "3")) == ["chat@example.com"]

    set_parameter(stack, "OII.GetPresenceQueueInfoFilter", "1")  # queues with logged-in agents
    wait_for(lambda: list(queue_info(stack, "PIA")) == ["3001", "3002"], 5, "logged-in filter")
    login(stack, "OTTO", "3")
    assert list(queue_info(stack, "PIA")) == ["3001", "3002", "3003"]

    set_parameter(stack, "OII.GetPresenceQueueInfoFilter", "2")  # queues with ready agents
    wait_for(lambda: list(queue_info(stack, "PIA")) == ["3001", "3002"], 5, "ready filter")

    set_parameter(stack, "OII.GetPresenceQueueInfoAll", "0")
    set_parameter(stack, "OII.GetPresenceQueueInfoFilter", "0")
    wait_for(lambda: list(queue_info(stack, "OTTO")) == ["3003"], 5, "back to the user's queues")


def test_queue_info_faults(presence_stack: Stack) -> None:
    def ask(user_id: str, channel: str) -> object:
        return soap(
            presence_stack.base_url,
            "/OII/OII.asmx",
            envelope(
                f'<getPresenceQueueInfo xmlns="urn:IciSystemInterface"><userId>{user_id}</userId>'
                f"<channelType>{channel}</channelType></getPresenceQueueInfo>"
            ),
            soap_action("IciSystem"),
        )

    assert_fault(ask("NOBODY", "1"), Errors.UNKNOWN_USER)  # type: ignore[arg-type]
    assert_fault(ask("PIA", "9"), Errors.INVALID_ARGUMENT)  # type: ignore[arg-type]


def user_presence(stack: Stack, inner: str) -> list[tuple[str, str, str, list[tuple[str, ...]]]]:
    wrapper = call(
        stack,
        "IciSystem",
        f'<getUserPresence xmlns="urn:IciSystemInterface">{inner}</getUserPresence>',
    )
    return [
        (
            item.findtext("user") or "",
            item.findtext("presenceStatus") or "",
            item.findtext("presenceDescription") or "",
            [
                tuple(c.findtext(name) or "" for name in ("channel", "capability", "address"))
                for c in item.findall("collaborationData/item")
            ],
        )
        for item in wrapper.findall("{urn:IciSystemInterface}response/item")
    ]


def test_user_presence_by_list_and_by_search(presence_stack: Stack) -> None:
    stack = presence_stack
    login(stack, "PIA", "2")
    as_channel_service(stack, "PIA")
    login(stack, "OTTO", "3")
    set_workmode(stack, "PEKKA", "1")

    # The spec's sample writes the list entries as <Item>.
    listed = user_presence(
        stack,
        "<users><Item>otto</Item><Item>nobody</Item><Item>Pia</Item><Item>pekka</Item></users>",
    )
    assert [(user, status, text) for user, status, text, _ in listed] == [
        ("OTTO", "0", "NotAvailable"),
        ("PIA", "1", "Available"),
        ("PEKKA", "3", "LoggedOff"),
    ]
    assert listed[1][3] == [
        ("1", "101", "+3101"),
        ("1", "3", "+3101"),
        ("1", "104", "+3101"),
        ("3", "101", "pia@example.com"),
        ("3", "3", "pia@example.com"),
        ("3", "104", "pia@example.com"),
    ]

    as_channel_service(stack, "PIA", ContactState.ACTIVE)
    wait_for(
        lambda: user_presence(stack, "<searchterm>pia NURMI</searchterm>")[0][1] == "2",
        5,
        "PIA busy",
    )
    found = user_presence(stack, "<searchterm>nurmi</searchterm>")
    assert [(user, text) for user, _, text, _ in found] == [("PEKKA", "LoggedOff"), ("PIA", "Busy")]
    assert [user for user, *_ in user_presence(stack, "<searchterm>+3103</searchterm>")] == ["OTTO"]
    limited = user_presence(stack, "<searchterm>nurmi</searchterm><maxhits>1</maxhits>")
    assert [user for user, *_ in limited] == ["PEKKA"]
    assert user_presence(stack, "<searchterm>nobody</searchterm>") == []
    as_channel_service(stack, "PIA")
