"""IciUser, IciContainer and presence on a real nats-server and a real SQLite database.

Each test has its own KV buckets; events are read from the OII_EVENTS subjects
with a plain NATS subscription while the test runs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js.kv import KeyValue
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_gateway.agent_index import PresenceIndex
from oii_gateway.containers.handlers import container_ref
from oii_gateway.presence.handlers import PresenceService
from oii_gateway.users.directory import DirectoryCache
from oii_gateway.users.module_guid import module_guid
from oii_gateway.users.service import DROP_CALLS_SUBJECT, UserService
from oii_gateway.users.sessions import SessionBook
from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.agents.store import AgentStore
from oii_shared.bus.connect import close, connect
from oii_shared.bus.ici_events import UserChanged
from oii_shared.bus.topology import STREAMS, BucketSpec, ensure_topology
from oii_shared.channels import Channel
from oii_shared.config.schema import ContactCenterConfig
from oii_shared.configuration import CONFIG_CHANGED_SUBJECT, ConfigurationFollower
from oii_shared.db.engine import create_engine_for_url
from oii_shared.db.migrate import upgrade
from oii_shared.db.repository import upsert_config
from oii_shared.queue_stats import QueueStats
from oii_shared.routing.waiting import queue_waiting_key
from oii_shared.settings import Settings
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.subscriptions.model import session_key
from oii_shared.subscriptions.store import SubscriptionStore
from oii_shared.subscriptions.url_guard import UrlGuard

CONFIG: dict[str, Any] = {
    "queues": [
        {"id": "2001", "name": "Q 2001", "channel": "phone"},
        {"id": "2002", "name": "Q 2002", "channel": "phone"},
    ],
    "users": [
        {"id": "HARRI", "name": "Harri Agent", "phone": "+129", "queues": ["2001", "2002"]},
        {"id": "ANNA", "name": "Anna Agent", "phone": "+123", "queues": ["2001"]},
    ],
    "not_ready_reasons": [{"id": 1001, "description": "Lunch"}],
}
APP_URL = "http://127.0.0.1:9/events"


@dataclass
class Gateway:
    """The parts main.py builds, on this test's buckets."""

    users: UserService
    presence: PresenceService
    index: PresenceIndex
    sessions: SessionBook
    directory: DirectoryCache
    stack: AsyncExitStack


@dataclass
class World:
    nc: NatsClient
    engine: AsyncEngine
    agents: KeyValue
    queues: KeyValue
    subscriptions: KeyValue
    system: KeyValue

    async def gateway(self) -> Gateway:
        stack = AsyncExitStack()
        configuration = ConfigurationFollower(self.engine, self.nc)
        await configuration.start()
        stack.push_async_callback(configuration.stop)
        directory = DirectoryCache(self.engine, configuration)
        await configuration.listen(directory.apply)
        index = PresenceIndex()
        await index.follow(self.agents, self.queues, stack)
        sessions = SessionBook(SubscriptionStore(self.subscriptions), UrlGuard(()))
        users = UserService(
            directory=directory,
            agents=AgentStore(self.agents),
            sessions=sessions,
            presence=index,
            nats=self.nc,
            js=self.nc.jetstream(),
            cms_host_id=await module_guid(self.system),
        )
        return Gateway(users, PresenceService(directory, index), index, sessions, directory, stack)


@pytest.fixture
async def world(nats_server: str, unique_name: str, tmp_path: Path) -> AsyncIterator[World]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'oii.sqlite3'}"
    upgrade(url)
    engine = create_engine_for_url(url)
    await upsert_config(engine, ContactCenterConfig.model_validate(CONFIG))
    nc = await connect(Settings(nats_url=nats_server), "test")
    js = nc.jetstream()
    names = {part: f"{unique_name}_{part}"[:64] for part in ("ag", "qu", "su", "sy")}
    await ensure_topology(js, [BucketSpec(name, "test") for name in names.values()], STREAMS)
    buckets = [await js.key_value(name) for name in names.values()]
    try:
        yield World(nc, engine, *buckets)
    finally:
        await close(nc)
        await engine.dispose()


class Events:
    """userChanged events of one user, as published to the OII_EVENTS subjects."""

    def __init__(self) -> None:
        self.received: list[UserChanged] = []

    async def on_message(self, msg: Msg) -> None:
        self.received.append(UserChanged.model_validate(json.loads(msg.data)["data"]))

    def workmodes(self) -> list[str]:
        return [event.user["currentWorkmode"]["id"] for event in self.received]


async def user_events(nc: NatsClient, user_id: str) -> Events:
    events = Events()
    await nc.subscribe(f"oii.events.ici.user.{user_id}", cb=events.on_message)
    await nc.flush()
    return events


async def settle(nc: NatsClient) -> None:
    await nc.flush()
    await asyncio.sleep(0.05)


async def test_login_then_workmodes_publish_one_event_per_change_in_order(world: World) -> None:
    gateway = await world.gateway()
    events = await user_events(world.nc, "HARRI")

    answer = await gateway.users.get_attributes("harri", cms_ping=False)
    user = answer["response"]
    assert answer["cmsHostId"] == user["cmsHostId"] == gateway.users.cms_host_id
    assert [q["id"] for q in user["currentQueues"]] == ["2001", "2002"]
    for workmode in ("2", "3", "3", "1001", "2", "1"):
        await gateway.users.set_workmode("HARRI", workmode)
    await settle(world.nc)

    # The login activated the queues (one event), the repeated 3 changed nothing.
    assert events.workmodes() == ["1", "2", "3", "1001", "2", "1"]
    assert (
        events.received[-1].user == (await gateway.users.get_attributes("HARRI", False))["response"]
    )
    await gateway.stack.aclose()


async def test_cms_ping_touches_nothing(world: World) -> None:
    gateway = await world.gateway()
    answer = await gateway.users.get_attributes("nobody at all", cms_ping=True)
    assert answer == {
        "response": {"cmsHostId": gateway.users.cms_host_id},
        "cmsHostId": gateway.users.cms_host_id,
    }
    assert await AgentStore(world.agents).get("nobody at all") is None
    await gateway.stack.aclose()


async def test_unknown_user_and_bad_workmode_are_faults(world: World) -> None:
    gateway = await world.gateway()
    with pytest.raises(IciFault) as unknown:
        await gateway.users.get_attributes("NOBODY", cms_ping=False)
    assert unknown.value.error is Errors.UNKNOWN_USER
    with pytest.raises(IciFault) as bad:
        await gateway.users.set_workmode("HARRI", "1002")
    assert bad.value.error is Errors.INVALID_ARGUMENT
    await gateway.stack.aclose()


async def test_next_login_ends_the_old_subscription_session(world: World) -> None:
    gateway = await world.gateway()
    store = SubscriptionStore(world.subscriptions)
    await gateway.users.get_attributes("HARRI", False)
    await gateway.users.subscribe(APP_URL, "old-session", "harri")
    await gateway.sessions.watch_container(APP_URL, "old-session", container_ref("1", "+129"))
    old_key = session_key(APP_URL, "old-session")
    session = await store.get(old_key)
    assert session is not None and session.users == ("harri",)
    state = await AgentStore(world.agents).get("HARRI")
    assert state is not None and state.sessions == (old_key,)

    await gateway.users.get_attributes("HARRI", False)
    assert await store.get(old_key) is None
    state = await AgentStore(world.agents).get("HARRI")
    assert state is not None and state.sessions == ()

    await gateway.users.subscribe(APP_URL, "new-session", "HARRI")
    await gateway.users.unsubscribe(APP_URL, "new-session")
    await gateway.users.unsubscribe(APP_URL, "never-subscribed")
    assert await store.get(session_key(APP_URL, "new-session")) is None
    await gateway.stack.aclose()


async def test_login_asks_telephony_to_drop_calls(world: World) -> None:
    gateway = await world.gateway()
    asked: list[dict[str, str]] = []

    async def telephony(msg: Msg) -> None:
        asked.append(json.loads(msg.data))
        await msg.respond(b'{"dropped": 1}')

    subscription = await world.nc.subscribe(DROP_CALLS_SUBJECT, cb=telephony)
    # No call on the line (no phone contact in the agent's record): nothing to ask.
    await gateway.users.get_attributes("harri", False)
    assert asked == []

    def a_call_on_the_line(state: AgentState | None) -> AgentState | None:
        assert state is not None
        contact = Contact(item_id="C1", channel="1", state=ContactState.CREATED)
        return state.model_copy(update={"contacts": (contact,)})

    await AgentStore(world.agents).update("HARRI", a_call_on_the_line)  # as telephony does
    await gateway.users.get_attributes("harri", False)
    assert asked == [{"user_id": "HARRI"}]
    await subscription.unsubscribe()
    # Nobody answers: the login goes on.
    await gateway.users.get_attributes("harri", False)
    await gateway.stack.aclose()


async def test_concurrent_writers_lose_no_update_and_a_restart_sees_everything(
    world: World,
) -> None:
    first, second = await world.gateway(), await world.gateway()
    await first.users.get_attributes("HARRI", False)
    channel_service = AgentStore(world.agents)

    def add_contact(state: AgentState | None) -> AgentState | None:
        assert state is not None
        contact = Contact(item_id="C1", channel="1", state=ContactState.ACTIVE, queue="2001")
        return state.model_copy(update={"contacts": (*state.contacts, contact)})

    await asyncio.gather(
        first.users.set_workmode("HARRI", "3"),
        second.users.set_channels("HARRI", ["1", "2"]),
        second.users.set_addresses("HARRI", [{"address": "+777", "channel": "1"}]),
        channel_service.update("HARRI", add_contact),
    )
    restarted = await world.gateway()
    state = restarted.index.agent("HARRI")
    assert state is not None
    assert state.workmode == 3
    assert state.current_channels == ("1", "2")
    assert [a.address for a in state.addresses] == ["+777"]
    assert [c.item_id for c in state.contacts] == ["C1"]
    for gateway in (first, second, restarted):
        await gateway.stack.aclose()


async def test_set_current_queues_only_when_the_parameter_says_so(world: World) -> None:
    gateway = await world.gateway()
    await gateway.users.get_attributes("HARRI", False)
    await gateway.users.set_queues("HARRI", ["2002"])
    state = await AgentStore(world.agents).get("HARRI")
    assert state is not None and state.active_queues == ("2001", "2002")

    await upsert_config(
        world.engine,
        ContactCenterConfig.model_validate({"parameters": {"OII.SetCurrentQueues": 1}}),
    )
    await world.nc.publish(CONFIG_CHANGED_SUBJECT, b"")
    await settle(world.nc)
    await gateway.users.set_queues("HARRI", ["2002", "9999"])
    state = await AgentStore(world.agents).get("HARRI")
    assert state is not None and state.active_queues == ("2002",)
    await gateway.stack.aclose()


async def test_presence_follows_other_writers_and_queue_stats(world: World) -> None:
    gateway = await world.gateway()
    await gateway.users.get_attributes("HARRI", False)
    await gateway.users.get_attributes("ANNA", False)
    await gateway.users.set_workmode("HARRI", "2")
    info = await gateway.presence.queue_info("HARRI", "1")
    by_id = {queue["id"]: queue for queue in info["queueInfo"]}
    assert (by_id["2001"]["loggedIn"], by_id["2001"]["ready"]) == ("1", "1")
    assert info["groupInfo"] == [
        {"id": "1", "description": "*", "parentId": "", "queuesId": ["2001", "2002"]}
    ]

    # Another gateway replica and the routing engine write; this one sees it by watching.
    other = await world.gateway()
    await other.users.set_workmode("ANNA", "1001")
    # Two channels wait in one queue (action items in an e-mail queue, 4.7.3): one figure.
    for channel, pending in ((Channel.PHONE, 2), (Channel.ACTION, 1)):
        await world.queues.put(
            queue_waiting_key(channel, "2001"),
            QueueStats(queue_id="2001", channel=channel.ici_id, pending=pending)
            .model_dump_json()
            .encode(),
        )

    async def numbers() -> tuple[str, str, str]:
        queue = (await gateway.presence.queue_info("HARRI", "1"))["queueInfo"][0]
        return queue["loggedIn"], queue["paused"], queue["pending"]

    for _ in range(100):
        if await numbers() == ("2", "1", "3"):
            break
        await asyncio.sleep(0.01)
    assert await numbers() == ("2", "1", "3")

    presence = await gateway.presence.user_presence(None, "anna", None)
    assert [(p["user"], p["presenceDescription"]) for p in presence] == [("ANNA", "NotAvailable")]
    for each in (gateway, other):
        await each.stack.aclose()


async def test_the_module_guid_is_created_once(world: World) -> None:
    guids = await asyncio.gather(*(module_guid(world.system) for _ in range(5)))
    assert len(set(guids)) == 1
    assert len(guids[0]) == 32 and int(guids[0], 16) >= 0
    assert await module_guid(world.system) == guids[0]
