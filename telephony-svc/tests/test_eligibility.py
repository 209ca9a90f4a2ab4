"""Who routing may offer a call to (pure rules over agent state)."""

from __future__ import annotations

import pytest

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.db.repository import UserRecord
from oii_shared.ici.tables import Workmode
from oii_telephony.routing.eligibility import (
    SessionRules,
    has_room_for_a_call,
    idle_order,
    may_take_line_call,
    may_take_queue_call,
)
from oii_telephony.routing.waiting import QueueEntry

USER = UserRecord("ANNA", "Anna", "+123", None, None, ("2001",), {"English": 4})
ENTRY = QueueEntry(handle="H" * 32, entered_at=1.0)


def agent(**fields: object) -> AgentState:
    base = AgentState(user_id="ANNA", workmode=Workmode.READY.value, active_queues=("2001",))
    return base.model_copy(update=fields)


def contact(channel: str, state: ContactState) -> Contact:
    return Contact(item_id="X", channel=channel, state=state)


def test_a_ready_agent_active_in_the_queue_takes_a_queue_call() -> None:
    assert may_take_queue_call(agent(), USER, "2001", ENTRY, SessionRules())


@pytest.mark.parametrize(
    ("state", "user", "entry"),
    [
        (agent(workmode=Workmode.NOT_READY.value), USER, ENTRY),
        (agent(workmode=1001), USER, ENTRY),  # a not-ready reason
        (agent(active_queues=("2002",)), USER, ENTRY),
        (agent(), UserRecord("ANNA", "", None, None, None), ENTRY),  # no phone line
        (agent(), USER, ENTRY.model_copy(update={"excluded": ("ANNA",)})),
        (agent(), USER, ENTRY.model_copy(update={"skills": {"English": 5}})),
        (agent(), USER, ENTRY.model_copy(update={"skills": {"German": 1}})),
        (agent(contacts=(contact("1", ContactState.ALERTING),)), USER, ENTRY),
        (agent(contacts=(contact("1", ContactState.ACTIVE),)), USER, ENTRY),
        (agent(contacts=(contact("1", ContactState.WRAP_UP),)), USER, ENTRY),
        (agent(contacts=(contact("2", ContactState.ACTIVE),)), USER, ENTRY),
        (agent(contacts=(contact("4", ContactState.ACTIVE),)), USER, ENTRY),
    ],
)
def test_who_does_not_get_a_queue_call(
    state: AgentState, user: UserRecord, entry: QueueEntry
) -> None:
    assert not may_take_queue_call(state, user, "2001", entry, SessionRules())


def test_queue_ids_ignore_case_and_skills_at_level_are_enough() -> None:
    state = agent(active_queues=("sales",))
    user = UserRecord("ANNA", "", "+123", None, None, (), {"English": 4})
    entry = ENTRY.model_copy(update={"skills": {"English": 4}})
    assert may_take_queue_call(state, user, "SALES", entry, SessionRules())


def test_multi_session_parameters() -> None:
    wrap = agent(contacts=(contact("1", ContactState.WRAP_UP),))
    assert not has_room_for_a_call(wrap, SessionRules())
    assert has_room_for_a_call(wrap, SessionRules(phone_multi=True))
    active = agent(contacts=(contact("1", ContactState.ACTIVE),))
    assert not has_room_for_a_call(active, SessionRules(phone_multi=True))
    email = agent(contacts=(contact("2", ContactState.ACTIVE),))
    assert has_room_for_a_call(email, SessionRules(email_multi=True))
    action = agent(contacts=(contact("4", ContactState.ACTIVE),))
    assert has_room_for_a_call(action, SessionRules(action_multi=True))
    chat = agent(contacts=(contact("3", ContactState.ACTIVE),))
    assert has_room_for_a_call(chat, SessionRules())
    email_alerting = agent(contacts=(contact("2", ContactState.ALERTING),))
    assert has_room_for_a_call(email_alerting, SessionRules())


def test_line_calls_need_a_logged_in_agent_with_room() -> None:
    assert may_take_line_call(agent(workmode=Workmode.NOT_READY.value), SessionRules())
    assert not may_take_line_call(agent(workmode=Workmode.LOGGED_OFF.value), SessionRules())
    busy = agent(contacts=(contact("1", ContactState.ACTIVE),))
    assert not may_take_line_call(busy, SessionRules())  # it knocks (7.4)


def test_longest_idle_first() -> None:
    agents = [agent(user_id="B", last_idle_at=5.0), agent(user_id="A", last_idle_at=9.0),
              agent(user_id="C", last_idle_at=5.0)]  # fmt: skip
    assert [a.user_id for a in sorted(agents, key=idle_order)] == ["B", "C", "A"]
