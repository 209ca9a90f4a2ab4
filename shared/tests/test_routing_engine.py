"""The kit's routing engine against a real nats-server, driven by channels defined here.

A toy channel is what a real one gives the kit: its items' states (here a dict),
an offer port that "alerts" an item on an agent, and a routing configuration.
Several dispatchers share the agents bucket, as replicas of one channel or as
two channel services do; every test waits for a positive signal (an offer).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import pytest
from nats.aio.client import Client as NatsClient
from nats.js.kv import KeyValue

from oii_shared.agents.state import AgentState, ContactState
from oii_shared.agents.store import AgentStore
from oii_shared.bus.topology import BucketSpec, ensure_topology
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.configuration import Configuration
from oii_shared.db.repository import QueueRecord, UserRecord
from oii_shared.ici.tables import Workmode
from oii_shared.routing import waiting
from oii_shared.routing.config import RoutingConfig
from oii_shared.routing.contacts import AgentContacts
from oii_shared.routing.dispatcher import Dispatcher, Expiry
from oii_shared.routing.waiting import QueueEntry, Target, WaitingStore
from oii_shared.run_state import RunStateFollower

WAIT_S = 10.0
USERS = tuple(
    UserRecord(name, name.title(), f"+{n}", f"{name.lower()}@x", None, ("CALLS", "MAIL", "WEB"))
    for n, name in enumerate(("ANNA", "BOB", "CARL", "DORA", "EVA"))
)
CONFIGURATION = Configuration(
    users=USERS,
    queues=(
        QueueRecord("CALLS", "Calls", Channel.PHONE, True, ""),
        QueueRecord("MAIL", "Mail", Channel.EMAIL, True, ""),
        QueueRecord("WEB", "Web chat", Channel.CHAT, True, ""),
    ),
    parameters=ModuleParameters.from_values({"OII.Email": "1", "OII.Chat": "1"}),
)


@dataclass(frozen=True, slots=True)
class Buckets:
    agents: KeyValue
    queues: KeyValue
    personal: KeyValue
    system: KeyValue


@pytest.fixture
async def buckets(nc: NatsClient, unique_name: str) -> Buckets:
    js = nc.jetstream()
    names = [f"{unique_name}_{part}" for part in ("agents", "queues", "personal", "system")]
    await ensure_topology(js, buckets=[BucketSpec(name, "test") for name in names], streams=[])
    return Buckets(*[await js.key_value(name) for name in names])


@dataclass(eq=False)
class ToyChannel:
    """One replica of a channel: the items it alerted, and how it answers an expired offer."""

    name: str
    channel: Channel
    buckets: Buckets
    alert_timeout_s: float = 30.0
    expiry: Expiry = Expiry.WAITING
    offers: list[tuple[str, str]] = field(default_factory=list)  # (item, user) in order
    offered: asyncio.Event = field(default_factory=asyncio.Event)
    alerting: dict[str, str] = field(default_factory=dict)  # item -> user
    gone: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.config = RoutingConfig.of(CONFIGURATION, self.channel, self._container)
        self.store = WaitingStore(self.channel, self.buckets.queues, self.buckets.personal)
        self.contacts = AgentContacts(AgentStore(self.buckets.agents), self.channel)
        self.wake = asyncio.Event()

    def _container(self, user: UserRecord) -> str | None:
        return user.phone if self.channel is Channel.PHONE else user.email

    async def offer(self, target: Target, entry: QueueEntry, user: UserRecord) -> bool:
        if entry.handle in self.gone:
            return False
        self.alerting[entry.handle] = user.id
        self.offers.append((entry.handle, user.id))
        self.offered.set()
        return True

    async def expire(self, target: Target, entry: QueueEntry) -> Expiry:
        self.alerting.pop(entry.handle, None)
        return self.expiry

    async def start(self, stack: AsyncExitStack) -> Dispatcher:
        run_state = RunStateFollower(self.buckets.system)
        await run_state.start()
        stack.push_async_callback(run_state.stop)
        dispatcher = Dispatcher(
            waiting_store=self.store,
            contacts=self.contacts,
            config=lambda: self.config,
            port=self,
            wake=self.wake,
            run_state=run_state,
            alert_timeout_s=lambda: self.alert_timeout_s,
            clock=time.time,
        )
        await dispatcher.start(stack)
        return dispatcher

    async def queue(self, item: str, queue: str, **fields: object) -> None:
        entry = QueueEntry(handle=item, entered_at=time.time(), **fields)
        await self.store.update(Target(queue), waiting.add(entry))
        self.wake.set()

    async def accept(self, item: str, queue: str) -> None:
        """The agent took the alerting item: it leaves the queue and is being handled."""
        user_id = self.alerting.pop(item)
        await self.store.update(Target(queue), waiting.remove(item, answered_at=time.time()))
        await self.contacts.set(user_id, item, ContactState.ACTIVE, queue, time.time())

    async def reroute(self, item: str, queue: str) -> None:
        """The agent refused it (9.4.5): back to the queue, never to them again."""
        user_id = self.alerting.pop(item)
        await self.store.update(Target(queue), waiting.release(item, user_id, exclude=True))
        await self.contacts.release(user_id, item, time.time())
        self.wake.set()

    async def end(self, item: str, user_id: str) -> None:
        await self.contacts.release(user_id, item, time.time())
        self.wake.set()

    async def offers_reach(self, count: int) -> list[tuple[str, str]]:
        async with asyncio.timeout(WAIT_S):
            while len(self.offers) < count:
                self.offered.clear()
                await self.offered.wait()
        return self.offers


async def ready(buckets: Buckets, user_id: str, idle_since: float, *queues: str) -> None:
    def mutate(_: AgentState | None) -> AgentState:
        return AgentState(
            user_id=user_id,
            workmode=Workmode.READY.value,
            active_queues=queues or ("CALLS", "MAIL", "WEB"),
            last_idle_at=idle_since,
        )

    await AgentStore(buckets.agents).update(user_id, mutate)


async def agent(buckets: Buckets, user_id: str) -> AgentState:
    state = await AgentStore(buckets.agents).get(user_id)
    assert state is not None
    return state


async def all_offers(channels: list[ToyChannel], count: int) -> list[tuple[str, str]]:
    """The offers of ``channels`` (which share their ``offered`` event) once ``count`` exist."""
    offered = channels[0].offered
    assert all(channel.offered is offered for channel in channels)
    async with asyncio.timeout(WAIT_S):
        while sum(len(c.offers) for c in channels) < count:
            offered.clear()
            await offered.wait()
    return [offer for c in channels for offer in c.offers]


@pytest.fixture
async def stack() -> AsyncIterator[AsyncExitStack]:
    async with AsyncExitStack() as stack:
        yield stack


async def test_two_replicas_of_one_channel_never_give_an_agent_two_contacts(
    buckets: Buckets, stack: AsyncExitStack
) -> None:
    news = asyncio.Event()
    replicas = [ToyChannel(f"phone-{n}", Channel.PHONE, buckets, offered=news) for n in (1, 2)]
    for replica in replicas:
        await replica.start(stack)
    for n, user in enumerate(USERS[:3]):
        await ready(buckets, user.id, 100.0 + n)
    for n in range(8):
        await replicas[n % 2].queue(f"call-{n}", "CALLS")
    await all_offers(replicas, 3)
    # A fourth agent: a positive signal that routing looked again after the first three.
    await ready(buckets, USERS[3].id, 200.0)
    offers = await all_offers(replicas, 4)
    assert sorted(user for _, user in offers) == ["ANNA", "BOB", "CARL", "DORA"]
    assert len({item for item, _ in offers}) == 4
    # Highest priority, then oldest first: the first four calls, longest idle agent first.
    assert sorted(item for item, _ in offers) == [f"call-{n}" for n in range(4)]
    for user in USERS[:4]:
        assert [c.state for c in (await agent(buckets, user.id)).contacts] == [
            ContactState.ALERTING
        ]


async def test_two_channels_racing_for_one_agent_give_them_one_contact(
    buckets: Buckets, stack: AsyncExitStack
) -> None:
    news = asyncio.Event()
    phone = ToyChannel("phone", Channel.PHONE, buckets, offered=news)
    email = ToyChannel("email", Channel.EMAIL, buckets, offered=news)
    await phone.start(stack)
    await email.start(stack)
    await phone.queue("call", "CALLS")
    await email.queue("mail", "MAIL")
    await ready(buckets, "ANNA", 100.0)
    [(first, _)] = await all_offers([phone, email], 1)
    await ready(buckets, "BOB", 200.0)
    offers = await all_offers([phone, email], 2)
    assert dict(offers) == {first: "ANNA", ({"call", "mail"} - {first}).pop(): "BOB"}
    anna = await agent(buckets, "ANNA")
    assert [(c.item_id, c.channel) for c in anna.contacts] == [
        (first, (phone if first == "call" else email).channel.ici_id)
    ]


async def test_an_accepted_email_blocks_calls_until_it_ends_and_idle_counts_across_channels(
    buckets: Buckets, stack: AsyncExitStack
) -> None:
    phone = ToyChannel("phone", Channel.PHONE, buckets)
    email = ToyChannel("email", Channel.EMAIL, buckets)
    await phone.start(stack)
    await email.start(stack)
    await ready(buckets, "ANNA", 100.0)
    await email.queue("mail", "MAIL")
    await email.offers_reach(1)
    await email.accept("mail", "MAIL")  # Paperwork: no call while it is open (4.3.1)
    await phone.queue("call", "CALLS")
    await ready(buckets, "BOB", 300.0)
    assert await phone.offers_reach(1) == [("call", "BOB")]
    await phone.queue("call-2", "CALLS")
    ended_at = time.time()
    await email.end("mail", "ANNA")
    assert await phone.offers_reach(2) == [("call", "BOB"), ("call-2", "ANNA")]
    # Anna's e-mail ending started her idle time: idle counts across channels.
    assert (await agent(buckets, "ANNA")).last_idle_at >= ended_at


async def test_a_required_agent_is_waited_for_until_the_expiry(
    buckets: Buckets, stack: AsyncExitStack
) -> None:
    email = ToyChannel("email", Channel.EMAIL, buckets)
    await email.start(stack)
    await ready(buckets, "ANNA", 100.0)  # idle longest, but not required
    await email.queue("for-eva", "MAIL", required_agents=("eva",), required_until=time.time() + 60)
    await email.queue("for-bob", "MAIL", required_agents=("bob",), required_until=time.time() + 0.5)
    await ready(buckets, "EVA", 500.0)
    # Eva gets hers; Anna gets Bob's item once Bob's reservation has expired.
    offers = await email.offers_reach(2)
    assert sorted(offers) == [("for-bob", "ANNA"), ("for-eva", "EVA")]


async def test_reroute_never_offers_to_the_same_agent_again(
    buckets: Buckets, stack: AsyncExitStack
) -> None:
    phone = ToyChannel("phone", Channel.PHONE, buckets)
    await phone.start(stack)
    await ready(buckets, "ANNA", 100.0)
    await phone.queue("call", "CALLS")
    await phone.offers_reach(1)
    await phone.reroute("call", "CALLS")
    await phone.queue("other", "CALLS")  # Anna takes the next call, not the refused one
    await ready(buckets, "BOB", 300.0)
    offers = await phone.offers_reach(3)
    assert offers[0] == ("call", "ANNA")
    assert sorted(offers[1:]) == [("call", "BOB"), ("other", "ANNA")]


async def test_an_unanswered_alert_goes_back_to_the_queue_and_frees_the_agent(
    buckets: Buckets, stack: AsyncExitStack
) -> None:
    chat = ToyChannel("chat", Channel.CHAT, buckets, alert_timeout_s=0.3)
    await chat.start(stack)
    await ready(buckets, "ANNA", 100.0)
    await chat.queue("chat", "WEB")
    # Alert timeout: Anna is freed and (not having refused it) offered it again.
    assert await chat.offers_reach(2) == [("chat", "ANNA"), ("chat", "ANNA")]


async def test_an_item_gone_before_its_offer_frees_the_agent(
    buckets: Buckets, stack: AsyncExitStack
) -> None:
    phone = ToyChannel("phone", Channel.PHONE, buckets)
    phone.gone.add("hung-up")
    await phone.start(stack)
    await phone.queue("hung-up", "CALLS", priority=9)
    await phone.queue("call", "CALLS")
    await ready(buckets, "ANNA", 100.0)
    assert await phone.offers_reach(1) == [("call", "ANNA")]
    state = await phone.store.update(Target("CALLS"), lambda s: s)
    assert [entry.handle for entry in state.entries] == ["call"]
