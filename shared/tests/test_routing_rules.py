"""The kit's routing rules, pure: who may be offered what, the room matrix, who has a channel."""

from __future__ import annotations

import pytest

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.configuration import Configuration
from oii_shared.db.repository import QueueRecord, UserRecord
from oii_shared.ici.tables import Workmode
from oii_shared.routing.config import RoutingConfig
from oii_shared.routing.eligibility import (
    channel_enabled,
    idle_order,
    may_take_personal_contact,
    may_take_queue_contact,
)
from oii_shared.routing.room import RoomRules, has_room
from oii_shared.routing.waiting import QueueEntry

USER = UserRecord("ANNA", "Anna", "+123", None, None, ("2001",), {"English": 4})
ENTRY = QueueEntry(handle="H" * 32, entered_at=1.0)
NOW = 100.0
PHONE, EMAIL, CHAT, ACTION = Channel.PHONE, Channel.EMAIL, Channel.CHAT, Channel.ACTION


def agent(*contacts: Contact, **fields: object) -> AgentState:
    base = AgentState(
        user_id="ANNA", workmode=Workmode.READY.value, active_queues=("2001",), contacts=contacts
    )
    return base.model_copy(update=fields)


def contact(
    channel: Channel, state: ContactState, item_id: str = "X", instant: bool = False
) -> Contact:
    return Contact(item_id=item_id, channel=channel.ici_id, state=state, instant=instant)


def may_take(state: AgentState, entry: QueueEntry = ENTRY, queue: str = "2001") -> bool:
    return may_take_queue_contact(state, USER, queue, entry, Channel.PHONE, RoomRules(), NOW)


def test_a_ready_agent_active_in_the_queue_takes_a_queue_contact() -> None:
    assert may_take(agent())


@pytest.mark.parametrize(
    ("state", "entry"),
    [
        (agent(workmode=Workmode.NOT_READY.value), ENTRY),
        (agent(workmode=1001), ENTRY),  # a not-ready reason
        (agent(active_queues=("2002",)), ENTRY),
        (agent(), ENTRY.model_copy(update={"excluded": ("ANNA",)})),
        (agent(), ENTRY.model_copy(update={"skills": {"English": 5}})),
        (agent(), ENTRY.model_copy(update={"skills": {"German": 1}})),
        (agent(contact(PHONE, ContactState.ALERTING)), ENTRY),
        (agent(contact(PHONE, ContactState.ACTIVE)), ENTRY),
        (agent(contact(PHONE, ContactState.WRAP_UP)), ENTRY),
    ],
)
def test_who_does_not_get_a_queue_contact(state: AgentState, entry: QueueEntry) -> None:
    assert not may_take(state, entry)


def test_queue_ids_ignore_case_and_skills_at_level_are_enough() -> None:
    state = agent(active_queues=("sales",))
    entry = ENTRY.model_copy(update={"skills": {"English": 4}})
    assert may_take(state, entry, queue="SALES")


def test_a_required_agent_is_the_only_one_until_the_expiry() -> None:
    for_bob = ENTRY.model_copy(update={"required_agents": ("bob",), "required_until": NOW + 1})
    assert not may_take(agent(), for_bob)
    assert may_take(agent(user_id="Bob"), for_bob)  # user ids ignore case (4.6)
    expired = for_bob.model_copy(update={"required_until": NOW})
    assert may_take(agent(), expired)


# (held contact, channel offered) -> room, with no MultiSession parameter set.
DEFAULT_MATRIX = [
    (contact(PHONE, ContactState.ALERTING), PHONE, False),
    (contact(PHONE, ContactState.ACTIVE), CHAT, False),
    (contact(PHONE, ContactState.WRAP_UP), PHONE, False),
    (contact(EMAIL, ContactState.ALERTING), PHONE, False),  # any alerting blocks (2.1)
    (contact(EMAIL, ContactState.ACTIVE), PHONE, False),  # Paperwork (4.3.1)
    (contact(ACTION, ContactState.ACTIVE), CHAT, False),
    (contact(CHAT, ContactState.ACTIVE), PHONE, False),
    (contact(CHAT, ContactState.ACTIVE), CHAT, False),  # one chat at a time by default
    (contact(CHAT, ContactState.ACTIVE, instant=True), PHONE, True),  # IM between agents
    (contact(CHAT, ContactState.ALERTING, instant=True), EMAIL, True),
    # A call the agent's application created and has not dialled takes no room.
    (contact(PHONE, ContactState.CREATED), PHONE, True),
    (contact(PHONE, ContactState.CREATED), CHAT, True),
]


@pytest.mark.parametrize(("held", "offered", "room"), DEFAULT_MATRIX)
def test_the_room_matrix_by_default(held: Contact, offered: Channel, room: bool) -> None:
    assert has_room(agent(held), offered, RoomRules()) is room


@pytest.mark.parametrize(
    ("rules", "held", "offered", "room"),
    [
        (RoomRules(phone_multi=True), contact(PHONE, ContactState.WRAP_UP), PHONE, True),
        (RoomRules(phone_multi=True), contact(PHONE, ContactState.WRAP_UP), EMAIL, False),
        (RoomRules(phone_multi=True), contact(PHONE, ContactState.ACTIVE), PHONE, False),
        (RoomRules(email_multi=True), contact(EMAIL, ContactState.ACTIVE), PHONE, True),
        (RoomRules(email_multi=True), contact(EMAIL, ContactState.ACTIVE), CHAT, True),
        (RoomRules(email_multi=True), contact(EMAIL, ContactState.ACTIVE), EMAIL, False),
        (RoomRules(email_multi=True), contact(ACTION, ContactState.ACTIVE), PHONE, False),
        (RoomRules(action_multi=True), contact(ACTION, ContactState.ACTIVE), PHONE, True),
        (RoomRules(action_multi=True), contact(ACTION, ContactState.ALERTING), PHONE, False),
    ],
)
def test_the_multi_session_parameters(
    rules: RoomRules, held: Contact, offered: Channel, room: bool
) -> None:
    assert has_room(agent(held), offered, rules) is room


def test_chats_at_once_counts_customer_chats_only() -> None:
    rules = RoomRules(chats_at_once=2)
    one = agent(contact(CHAT, ContactState.ACTIVE, "c1"))
    assert has_room(one, Channel.CHAT, rules)
    two = agent(contact(CHAT, ContactState.ACTIVE, "c1"), contact(CHAT, ContactState.ACTIVE, "c2"))
    assert not has_room(two, Channel.CHAT, rules)
    with_im = agent(
        contact(CHAT, ContactState.ACTIVE, "c1"), contact(CHAT, ContactState.ACTIVE, "im", True)
    )
    assert has_room(with_im, Channel.CHAT, rules)
    assert not has_room(one, Channel.PHONE, rules)


def test_the_room_rules_come_from_the_module_parameters() -> None:
    parameters = ModuleParameters.from_values(
        {"OII.PhoneMultiSession": "1", "OII.ActionMultiSession": "1"}
    )
    assert RoomRules.from_parameters(parameters, chats_at_once=0) == RoomRules(
        phone_multi=True, action_multi=True, chats_at_once=1
    )


def test_personal_contacts_need_a_logged_in_agent_with_room() -> None:
    rules = RoomRules()
    assert may_take_personal_contact(agent(workmode=Workmode.NOT_READY.value), Channel.PHONE, rules)
    assert not may_take_personal_contact(
        agent(workmode=Workmode.LOGGED_OFF.value), Channel.PHONE, rules
    )
    busy = agent(contact(PHONE, ContactState.ACTIVE))
    assert not may_take_personal_contact(busy, Channel.PHONE, rules)  # it knocks (7.4)


def test_longest_idle_first() -> None:
    agents = [agent(user_id="B", last_idle_at=5.0), agent(user_id="A", last_idle_at=9.0),
              agent(user_id="C", last_idle_at=5.0)]  # fmt: skip
    assert [a.user_id for a in sorted(agents, key=idle_order)] == ["B", "C", "A"]


def test_a_channel_by_module_parameter_or_by_its_pseudo_queue() -> None:
    member = UserRecord("ANNA", "", None, "a@x", None, ("oii_email",))
    other = UserRecord("BOB", "", None, "b@x", None, ())
    on = ModuleParameters.from_values({"OII.Email": "1"})
    off = ModuleParameters.from_values({"OII.Email": "0"})
    assert channel_enabled(other, Channel.EMAIL, on, ())
    assert not channel_enabled(other, Channel.EMAIL, off, ())
    # The pseudo queue exists: membership decides, whatever the parameter says (4.3.3).
    assert channel_enabled(member, Channel.EMAIL, off, {"OII_EMAIL"})
    assert not channel_enabled(other, Channel.EMAIL, on, {"OII_EMAIL"})
    assert channel_enabled(other, Channel.PHONE, off, {"OII_EMAIL"})


def test_the_routing_config_of_a_channel() -> None:
    configuration = Configuration(
        users=(
            UserRecord("ANNA", "", "+1", "anna@x", None),
            UserRecord("BOB", "", None, "bob@x", None),
        ),
        queues=(
            QueueRecord("2001", "Sales", Channel.PHONE, True, ""),
            QueueRecord("2002", "Off", Channel.PHONE, False, ""),
            QueueRecord("MAIL", "Mail", Channel.EMAIL, True, ""),
        ),
        parameters=ModuleParameters.from_values({"OII.Email": "1"}),
    )
    phone = RoutingConfig.of(configuration, Channel.PHONE, lambda user: user.phone)
    assert list(phone.users) == ["anna"] and phone.user_of("+1") is configuration.users[0]
    assert phone.user("Anna") is configuration.users[0]  # user ids ignore case
    assert list(phone.queues) == ["2001"]  # the channel's enabled queues only
    email = RoutingConfig.of(configuration, Channel.EMAIL, lambda user: user.email)
    assert sorted(email.users) == ["anna", "bob"] and email.queue("mail") is not None
