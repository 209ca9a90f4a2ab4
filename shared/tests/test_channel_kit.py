"""The whole channel kit driven by a toy channel defined here, against a real nats-server.

The toy is a session channel (a chat in miniature): its own model and state table (a
session is on one agent's line per participant: alerting, connected or inviting), its
own offer, its own events. The kit does the rest: the item store and its copy, the item
core's change path, the agents' contacts, routing, the IciItem handler set, the
capability guard and wrap-up. Two replicas share the buckets as two processes would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest
from lxml import etree
from nats.aio.client import Client as NatsClient
from pydantic import ConfigDict

from oii_shared.agents.state import AgentState, ContactState
from oii_shared.agents.store import AgentStore
from oii_shared.bus.topology import BucketSpec, ensure_topology
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.configuration import Configuration
from oii_shared.db.repository import QueueRecord, UserRecord
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import Interface, Owner
from oii_shared.ici.tables import (
    ChatSessionCapability,
    ChatSessionStatus,
    ProcessingStatus,
    Workmode,
)
from oii_shared.items import guard
from oii_shared.items.core import ItemCore
from oii_shared.items.handlers import CreatedItem, item_handlers
from oii_shared.items.ids import new_item_id
from oii_shared.items.store import ItemStore
from oii_shared.items.wrapup import WrapUpItem, WrapUpPolicy, wrap_up_over
from oii_shared.routing import waiting
from oii_shared.routing.config import RoutingConfig
from oii_shared.routing.contacts import AgentContacts
from oii_shared.routing.dispatcher import Dispatcher, Expiry
from oii_shared.routing.waiting import QueueEntry, Target, WaitingStore
from oii_shared.run_state import RunStateFollower
from oii_shared.service.app import served_owners
from oii_shared.service.soap_endpoint import SoapDispatcher
from oii_shared.soap.codec import read_operation
from oii_shared.soap.faults import Errors, IciFault

CHANNEL = Channel.CHAT
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WAIT_S = 10.0
USERS = tuple(
    UserRecord(name, name.title(), "", f"{name.lower()}@x", f"{name.lower()}@x", ("WEB",))
    for name in ("ANNA", "BOB")
)
LINE = {user.id: user.chat or "" for user in USERS}


def configuration(**parameters: str) -> Configuration:
    return Configuration(
        users=USERS,
        queues=(QueueRecord("WEB", "Web", CHANNEL, True, ""),),
        parameters=ModuleParameters.from_values({"OII.Chat": "1", **parameters}),
    )


# --------------------------------------------------------------------------- the toy's items


class Session(WrapUpItem):
    """A session and its participants: (line, user, phase) with phase alerting, connected
    or inviting; no participant while it waits in its queue."""

    model_config = ConfigDict(frozen=True)

    session: str
    queue: str = ""
    lines: tuple[tuple[str, str, str], ...] = ()
    ended: bool = False
    accepted: bool = False

    @property
    def item_id(self) -> str:
        return self.session

    @property
    def container(self) -> str:
        return self.lines[0][0] if self.lines else ""

    @property
    def containers(self) -> tuple[str, ...]:
        return tuple(line for line, _, _ in self.lines)

    @property
    def final(self) -> bool:
        return self.ended and not self.in_wrap_up

    def on(self, line: str, user: str, phase: str) -> Session:
        kept = tuple(entry for entry in self.lines if entry[0] != line)
        return self.model_copy(update={"lines": (*kept, (line, user, phase))})


# The toy's state table: a participant's phase as the chat table's statuses (10.14.3).
STATUS = {
    "alerting": ChatSessionStatus.ALERTING,
    "connected": ChatSessionStatus.CONNECTED,
    "inviting": ChatSessionStatus.INVITING,
}


def status_on(session: Session, line: str) -> ChatSessionStatus:
    if session.ended:
        return ChatSessionStatus.ENDED
    phase = next((phase for entry_line, _, phase in session.lines if entry_line == line), None)
    return STATUS[phase] if phase is not None else ChatSessionStatus.NEW


@dataclass(eq=False)
class ToySessions:
    """One replica of the toy channel: ItemChannel, OfferPort and ItemPort at once."""

    name: str
    store: ItemStore[Session]
    contacts_writer: AgentContacts
    waiting_store: WaitingStore
    policy: WrapUpPolicy = field(default_factory=WrapUpPolicy)
    events: list[tuple[str, str, int]] = field(default_factory=list)  # (session, line, status)
    news: asyncio.Event = field(default_factory=asyncio.Event)
    core: ItemCore[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.core = ItemCore(self.store, self, self.contacts_writer)

    # ItemChannel
    def contacts(self, item: Session) -> Mapping[str, ContactState]:
        if item.ended:
            wrap_up = self.policy.contact_in_wrap_up(CHANNEL)
            return {user: wrap_up for _, user, phase in item.lines if phase == "connected"}
        return {
            user: ContactState.ACTIVE if phase == "connected" else ContactState.ALERTING
            for _, user, phase in item.lines
        }

    def queue(self, item: Session) -> str:
        return item.queue

    async def publish(self, before: Session | None, after: Session) -> None:
        lines = dict.fromkeys((*(before.containers if before else ()), *after.containers))
        for line in lines:
            self.events.append((after.session, line, status_on(after, line).value))
        self.news.set()

    # OfferPort
    async def offer(self, target: Target, entry: QueueEntry, user: UserRecord) -> bool:
        line = user.chat or ""

        def alert(session: Session) -> Session:
            return session if session.lines else session.on(line, user.id, "alerting")

        changed = await self.core.try_change(entry.handle, alert)
        return changed is not None and changed[1] is not changed[0]

    async def expire(self, target: Target, entry: QueueEntry) -> Expiry:
        return Expiry.HANDLED

    # ItemPort (the IciItem handler set)
    def container(self, value: object) -> str:
        line = str(value or "").strip()
        if line not in LINE.values():
            raise IciFault(Errors.INVALID_ARGUMENT, f"no chat line {line}")
        return line

    def _guarded(self, line: str, capability: ChatSessionCapability) -> Callable[[Session], None]:
        def check(session: Session) -> None:
            guard.require(session.session, status_on(session, line), capability, "session")

        return check

    async def create(self, container: str) -> CreatedItem:
        raise IciFault(Errors.NOT_SUPPORTED_YET, "the toy creates no sessions")

    async def accept(self, container: str, item_id: object) -> None:
        check = self._guarded(container, ChatSessionCapability.ACCEPT)

        def accept(session: Session) -> Session:
            check(session)
            (_, user, _) = next(entry for entry in session.lines if entry[0] == container)
            return session.on(container, user, "connected").model_copy(update={"accepted": True})

        _, after = await self.core.change(self.store.item_id(item_id), accept)
        now = time.time()
        await self.waiting_store.update(Target(after.queue), waiting.remove(after.session, now))

    async def reroute(self, container: str, item_id: object) -> None:
        raise IciFault(Errors.NOT_SUPPORTED_YET, "reroute is not built for toy sessions")

    async def forward(
        self, container: str, item_id: object, dest_type: object, destination: object
    ) -> None:
        raise IciFault(Errors.NOT_SUPPORTED_YET, "forward is not built for toy sessions")

    async def wrap_up_required(self, item_id: object) -> None:
        raise IciFault(Errors.NOT_SUPPORTED_YET, "wrapUpRequired is not built for toy sessions")

    async def wrap_up_ended(self, item_id: object) -> None:
        def end_work(session: Session) -> Session:
            if not session.in_wrap_up:
                raise IciFault(Errors.NOT_ALLOWED_IN_STATUS, "not in wrap-up")
            return wrap_up_over(session)

        await self.core.change(self.store.item_id(item_id), end_work)

    async def get_attached_data(self, item_id: object) -> str:
        await self.store.load(item_id)
        return ""

    async def set_attached_data(self, item_id: object, document: object) -> None:
        raise IciFault(Errors.NOT_SUPPORTED_YET, "no attached data for toy sessions")

    async def delete_attached_data(self, item_id: object) -> None:
        raise IciFault(Errors.NOT_SUPPORTED_YET, "no attached data for toy sessions")

    # What the toy's own connector would do
    async def arrive(self, session_id: str) -> None:
        session = Session(session=session_id, queue="WEB")
        await self.core.add(session)
        entry = QueueEntry(handle=session_id, entered_at=time.time())
        await self.waiting_store.update(Target("WEB"), waiting.add(entry))

    async def invite(self, session_id: str, user_id: str) -> None:
        line = LINE[user_id]
        await self.core.change(session_id, lambda s: s.on(line, user_id, "inviting"))

    async def end(self, session_id: str) -> None:
        def end(session: Session) -> Session:
            processing = self.policy.processing_after_end(session, handled=session.accepted)
            return session.model_copy(update={"ended": True, "processing": processing.value})

        await self.core.change(session_id, end)

    async def event(self, wanted: tuple[str, str, int]) -> None:
        async with asyncio.timeout(WAIT_S):
            while wanted not in self.events:
                self.news.clear()
                await self.news.wait()


# --------------------------------------------------------------------------- the kit around it


@dataclass
class Replica:
    toy: ToySessions
    soap: SoapDispatcher

    async def call(self, name: str, **args: str) -> etree._Element:
        children = "".join(f"<{key}>{value}</{key}>" for key, value in args.items())
        body = (
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body>'
            f'<{name} xmlns="urn:IciItemInterface">{children}</{name}>'
            "</soap:Body></soap:Envelope>"
        ).encode()
        call = read_operation(body, Interface.ITEM, self.soap.registry, 1 << 20)
        return etree.fromstring(await self.soap.dispatch(call))

    async def fault(self, name: str, error: object, **args: str) -> str:
        with pytest.raises(IciFault) as caught:
            await self.call(name, **args)
        assert caught.value.error == error, caught.value
        return caught.value.message


@dataclass
class Kit:
    nc: NatsClient
    prefix: str
    stack: AsyncExitStack
    config: Configuration = field(default_factory=configuration)
    # Set by every replica's events: what the tests wait on.
    news: asyncio.Event = field(default_factory=asyncio.Event)

    async def until(self, condition: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT_S):
            while not condition():
                self.news.clear()
                await self.news.wait()

    async def replica(self, name: str, policy: WrapUpPolicy | None = None) -> Replica:
        js = self.nc.jetstream()
        agents = AgentStore(await js.key_value(f"{self.prefix}_agents"))
        items_kv = await js.key_value(CHANNEL.bucket)
        store: ItemStore[Session] = ItemStore(js, CHANNEL, items_kv, Session, noun="session")
        await store.start(self.stack)
        waiting_store = WaitingStore(CHANNEL, await js.key_value(f"{self.prefix}_queues"), items_kv)
        contacts = AgentContacts(agents, CHANNEL)
        toy = ToySessions(
            name, store, contacts, waiting_store, policy or WrapUpPolicy(), news=self.news
        )
        run_state = RunStateFollower(await js.key_value(f"{self.prefix}_system"))
        await run_state.start()
        self.stack.push_async_callback(run_state.stop)
        wake = asyncio.Event()
        routing = RoutingConfig.of(self.config, CHANNEL, lambda user: user.chat)
        dispatcher = Dispatcher(
            waiting_store=waiting_store,
            contacts=contacts,
            config=lambda: routing,
            port=toy,
            wake=wake,
            run_state=run_state,
            alert_timeout_s=lambda: 60.0,
            clock=time.time,
        )
        await dispatcher.start(self.stack)
        soap = SoapDispatcher(ici_registry(), served_owners(Owner.CHAT))
        soap.install(item_handlers(CHANNEL, toy))
        return Replica(toy, soap)

    async def ready(self, user_id: str, idle_since: float) -> None:
        def mutate(_: AgentState | None) -> AgentState:
            return AgentState(
                user_id=user_id,
                workmode=Workmode.READY.value,
                active_queues=("WEB",),
                last_idle_at=idle_since,
            )

        await self.agents().update(user_id, mutate)

    def agents(self) -> AgentStore:
        return AgentStore(self._agents_kv)

    async def contacts(self, user_id: str) -> list[tuple[str, ContactState]]:
        state = await self.agents().get(user_id)
        assert state is not None
        return [(contact.item_id, contact.state) for contact in state.contacts]

    async def agent(self, user_id: str) -> AgentState:
        state = await self.agents().get(user_id)
        assert state is not None
        return state

    _agents_kv: Any = None


@pytest.fixture
async def kit(nc: NatsClient, unique_name: str) -> AsyncIterator[Kit]:
    js = nc.jetstream()
    names = [f"{unique_name}_{part}" for part in ("agents", "queues", "system")]
    buckets = [BucketSpec(name, "test") for name in (*names, CHANNEL.bucket)]
    await ensure_topology(js, buckets=buckets, streams=[])
    await js.purge_stream(f"KV_{CHANNEL.bucket}")
    async with AsyncExitStack() as stack:
        made = Kit(nc, unique_name, stack)
        made._agents_kv = await js.key_value(names[0])
        yield made


# --------------------------------------------------------------------------- the tests


async def test_a_session_is_offered_accepted_shared_ended_and_wrapped_up(kit: Kit) -> None:
    replica = await kit.replica("chat-1")
    toy = replica.toy
    await kit.ready("ANNA", 100.0)
    await kit.ready("BOB", 200.0)
    session = new_item_id(CHANNEL)
    await toy.arrive(session)
    # The longest idle agent is offered it; the claim wrote her contact (once).
    await toy.event((session, LINE["ANNA"], ChatSessionStatus.ALERTING.value))
    assert await kit.contacts("ANNA") == [(session, ContactState.ALERTING)]

    await replica.call("accept", containerId=LINE["ANNA"], itemId=session.lower())
    await toy.event((session, LINE["ANNA"], ChatSessionStatus.CONNECTED.value))
    assert await kit.contacts("ANNA") == [(session, ContactState.ACTIVE)]
    # The capability guard over the toy's table: accept is not offered once connected.
    await replica.fault(
        "accept", Errors.NOT_ALLOWED_IN_STATUS, containerId=LINE["ANNA"], itemId=session
    )

    # Invited: one item on two containers, each agent with their own contact.
    await toy.invite(session, "BOB")
    assert [s.session for s in await toy.store.in_container(LINE["BOB"])] == [session]
    assert [s.session for s in await toy.store.in_container(LINE["ANNA"])] == [session]
    assert await kit.contacts("BOB") == [(session, ContactState.ALERTING)]

    # Ended: Anna wraps up (Afterwork for chats), Bob, who never joined, is free.
    await toy.end(session)
    await toy.event((session, LINE["BOB"], ChatSessionStatus.ENDED.value))
    assert await kit.contacts("ANNA") == [(session, ContactState.WRAP_UP)]
    assert await kit.contacts("BOB") == []
    ended = await toy.store.get(session)
    assert ended is not None and ended.processing == ProcessingStatus.WRAP_UP.value

    wrapped_at = time.time()
    await replica.call("wrapUpEnded", itemId=session)
    assert await toy.store.get(session) is None
    assert await toy.store.in_container(LINE["ANNA"]) == []
    anna = await kit.agent("ANNA")
    assert anna.contacts == () and anna.last_idle_at >= wrapped_at
    gone = await replica.fault("wrapUpEnded", Errors.UNKNOWN_ITEM, itemId=session)
    assert f"no session {session}" in gone
    honest = await replica.fault(
        "reroute", Errors.NOT_SUPPORTED_YET, containerId=LINE["ANNA"], itemId=session
    )
    assert "not built" in honest


@pytest.mark.parametrize(
    ("policy", "left"),
    [
        (WrapUpPolicy(afterwork=False), [ContactState.ACTIVE]),  # Paperwork: busy in wrap-up
        (WrapUpPolicy(requested=True), []),  # requested mode, and nobody asked: no wrap-up
    ],
)
async def test_the_wrap_up_policy_decides_what_an_ended_session_leaves_its_agent(
    kit: Kit, policy: WrapUpPolicy, left: list[ContactState]
) -> None:
    replica = await kit.replica("chat-1", policy)
    toy = replica.toy
    await kit.ready("ANNA", 100.0)
    session = new_item_id(CHANNEL)
    await toy.arrive(session)
    await toy.event((session, LINE["ANNA"], ChatSessionStatus.ALERTING.value))
    await replica.call("accept", containerId=LINE["ANNA"], itemId=session)
    await toy.end(session)
    assert await kit.contacts("ANNA") == [(session, state) for state in left]
    assert (await toy.store.get(session) is None) is (not left)


async def test_two_replicas_give_one_agent_one_session_and_change_each_others_items(
    kit: Kit,
) -> None:
    first, second = await kit.replica("chat-1"), await kit.replica("chat-2")
    await kit.ready("ANNA", 100.0)
    one, two = new_item_id(CHANNEL), new_item_id(CHANNEL)
    await first.toy.arrive(one)
    await second.toy.arrive(two)

    def alerted() -> list[str]:
        return [
            session
            for toy in (first.toy, second.toy)
            for session, line, status in toy.events
            if status == ChatSessionStatus.ALERTING.value and line == LINE["ANNA"]
        ]

    await kit.until(lambda: bool(alerted()))
    [taken] = alerted()
    assert await kit.contacts("ANNA") == [(taken, ContactState.ALERTING)]

    # The other replica accepts, ends and wraps up the item the first one alerted, from
    # its own copy; then the one left waiting is offered.
    left = ({one, two} - {taken}).pop()
    await second.call("accept", containerId=LINE["ANNA"], itemId=taken)
    await second.toy.end(taken)
    await first.call("wrapUpEnded", itemId=taken)
    await kit.until(lambda: left in alerted())
    assert await kit.contacts("ANNA") == [(left, ContactState.ALERTING)]
