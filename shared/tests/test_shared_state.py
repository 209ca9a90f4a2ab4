"""Agent state, subscription sessions and ICI domain events against a real nats-server."""

from __future__ import annotations

import asyncio

import pytest
from nats.aio.client import Client as NatsClient
from nats.js.kv import KeyValue

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.agents.store import AgentStore, agent_key
from oii_shared.bus.connect import close, connect
from oii_shared.bus.ici_events import (
    ICI_EVENT_TYPES,
    ContainerChanged,
    PhoneCallChanged,
    Target,
    UserChanged,
)
from oii_shared.bus.kv import MAX_KEY_CHARS, safe_key
from oii_shared.items.ids import item_key
from oii_shared.settings import Settings
from oii_shared.subscriptions.model import ContainerRef, Subscription, session_key
from oii_shared.subscriptions.store import SubscriptionStore


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("HARRI", "HARRI"),
        ("+129", "=2B129"),
        ("harri@example.com", "harri=40example=2Ecom"),
        ("a=b", "a=3Db"),
        ("Äx_y-1", "=C3=84x_y-1"),
    ],
)
def test_safe_key_is_a_valid_single_token(text: str, key: str) -> None:
    assert safe_key(text) == key


def test_safe_key_of_a_long_text_is_short_and_its_own() -> None:
    # Found by `make fuzz` (envelopes): a 5,000-digit itemId became a KV subject longer
    # than the NATS server's control line, and the server closed the gateway's connection.
    keys = {safe_key("9" * 5000), safe_key("9" * 5001), safe_key("\u00e4" * 200)}
    assert len(keys) == 3
    assert all(len(key) <= MAX_KEY_CHARS and key.startswith("==") for key in keys)
    assert safe_key("a" * MAX_KEY_CHARS) == "a" * MAX_KEY_CHARS


async def test_a_long_key_is_stored_and_read_on_a_connection_that_stays_up(
    nc: NatsClient, kv: KeyValue
) -> None:
    key = agent_key("U" * 5000)
    await kv.put(key, b"x")
    assert (await kv.get(key)).value == b"x"
    assert nc.is_connected


def test_safe_key_refuses_an_empty_text() -> None:
    with pytest.raises(ValueError, match="empty"):
        safe_key("")


def test_item_keys_are_guids_in_upper_case_and_any_other_id_escaped() -> None:
    assert item_key(" 0123456789abcdef0123456789abcdef ") == "0123456789ABCDEF0123456789ABCDEF"
    assert item_key("a.b c") == "A=2EB=20C"


def test_agent_keys_ignore_the_case_of_user_ids() -> None:
    assert agent_key("harri") == agent_key("HARRI") == agent_key(" Harri ")


async def test_two_services_adding_contacts_at_once_lose_none(
    nats_server: str, kv: KeyValue, unique_name: str
) -> None:
    await AgentStore(kv).update("HARRI", lambda _: AgentState(user_id="HARRI", workmode=2))

    def offer(item_id: str):  # type: ignore[no-untyped-def]
        def mutate(state: AgentState | None) -> AgentState | None:
            assert state is not None
            contact = Contact(item_id=item_id, channel="1", state=ContactState.ALERTING)
            return state.model_copy(update={"contacts": (*state.contacts, contact)})

        return mutate

    async def writer(name: str) -> None:
        client = await connect(Settings(nats_url=nats_server), name)
        try:
            store = AgentStore(await client.jetstream().key_value(unique_name))
            for n in range(50):
                await store.update("harri", offer(f"{name}{n}"))
        finally:
            await close(client)

    await asyncio.gather(writer("a"), writer("b"))

    state = await AgentStore(kv).get("Harri")
    assert state is not None
    assert len(state.contacts) == 100
    assert state.version == 101
    assert {(c.channel, c.state) for c in state.contacts} == {("1", ContactState.ALERTING)}


async def test_an_unchanged_agent_is_not_written(kv: KeyValue) -> None:
    store = AgentStore(kv)
    written = await store.update("ANNA", lambda _: AgentState(user_id="ANNA"))
    assert written is not None
    assert written.version == 1
    same = await store.update("ANNA", lambda state: state)
    assert same == written
    assert (await kv.get(agent_key("ANNA"))).revision == 1


async def test_a_session_left_watching_nothing_is_deleted(kv: KeyValue) -> None:
    store = SubscriptionStore(kv)
    key = session_key("http://crm:50000/IciEventService", "app-1")
    container = ContainerRef(channel_type="1", container="+129")
    await store.update(
        key,
        lambda _: Subscription(
            app_url="http://crm:50000/IciEventService",
            app_id="app-1",
            users=("harri",),
            containers=(container,),
        ),
    )
    stored = await store.get(key)
    assert stored is not None
    assert stored.users == ("harri",) and stored.containers == (container,)

    await store.update(key, lambda s: s.model_copy(update={"users": ()}) if s else s)
    assert (await store.get(key)) is not None
    await store.update(key, lambda s: s.model_copy(update={"containers": ()}) if s else s)
    assert await store.get(key) is None


def test_session_keys_tell_app_ids_and_urls_apart() -> None:
    keys = {
        session_key("http://a/x", "1"),
        session_key("http://a/x", "2"),
        session_key("http://a/y", "1"),
        session_key("http://a/x\n1", ""),
    }
    assert len(keys) == 4


def test_ici_events_name_their_target_and_parts() -> None:
    user = UserChanged(user_id="Harri", user={"userId": "HARRI"})
    assert user.target == Target("", "harri")
    assert user.parts() == {"user": {"userId": "HARRI"}}
    assert user.subject == "oii.events.ici.user.Harri"

    call = PhoneCallChanged(container_id="+129", phone_call={"callHandle": "AB"})
    assert call.target == Target("1", "+129")
    assert call.operation == "phoneCallChanged"

    line = ContainerChanged(
        container_type="1", container_id="+129", status={"id": "1", "description": "OK"}
    )
    assert line.parts()["containerStatus"] == {"id": "1", "description": "OK"}
    assert line.target == call.target


def test_every_ici_event_names_an_iciEvent_operation() -> None:
    from oii_shared.ici.registry import event_registry
    from oii_shared.ici.schema import Interface

    for event_type in ICI_EVENT_TYPES:
        assert event_registry().find(Interface.EVENT, event_type.operation) is not None
