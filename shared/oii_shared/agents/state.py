"""The live state of one agent, as stored in the ``oii_agents`` KV bucket.

This is the one source every channel reads: the gateway writes what CRM sets
over IciUser (workmode, channels, queues, addresses), the channel services
write the contacts they offer and the agent handles. Every write is a
compare-and-set (:class:`oii_shared.agents.store.AgentStore`), so a mutation
must be a pure function of the state it is given.
"""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict, Field

from oii_shared.ici.tables import Workmode

# Workmode ids above this are the configured not-ready reasons (treated as not ready).
LAST_BUILT_IN_WORKMODE = Workmode.NO_PHONE.value


def is_logged_in(workmode: int) -> bool:
    return workmode != Workmode.LOGGED_OFF


def is_ready(workmode: int) -> bool:
    return workmode == Workmode.READY


class ContactState(enum.StrEnum):
    """Where a contact stands for the agent, as routing and presence count it."""

    ALERTING = "alerting"  # offered, not yet accepted
    ACTIVE = "active"  # accepted, being handled (connected, on hold, in consult...)
    WRAP_UP = "wrap_up"  # ended, the agent is wrapping it up
    # Made on the agent's container by their application (IciItem.create) and not started
    # yet: it takes no room and leaves presence as it is, but the agent has it (a new
    # login drops it with the rest, OII.LoginDropCalls).
    CREATED = "created"


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True)

    item_id: str
    # The channel's ICI id (oii_shared.channels.Channel.ici_id): "1" phone .. "4" action.
    channel: str
    state: ContactState
    # The queue it came from ("" for a direct or outbound contact).
    queue: str = ""
    since: float = 0.0
    # An instant message between agents (2.1): takes no room and is left out of statistics.
    instant: bool = False

    @property
    def busies(self) -> bool:
        """Whether it keeps the agent busy: routing's room and presence count it."""
        return not self.instant and self.state is not ContactState.CREATED


class Address(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    address: str


class AgentState(BaseModel):
    """One agent's live state; the KV key is :func:`oii_shared.agents.store.agent_key`."""

    model_config = ConfigDict(frozen=True)

    # The login name as configured (the database spelling), not as CRM typed it.
    user_id: str
    workmode: int = Workmode.LOGGED_OFF.value
    workmode_since: float = 0.0
    # Channel ids ("1".."4") CRM enabled with setCurrentChannels: stored and returned only.
    current_channels: tuple[str, ...] = ()
    # Queue ids the agent is active in; routing offers contacts of these queues only.
    active_queues: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    contacts: tuple[Contact, ...] = ()
    # When the agent last had nothing to do while ready: the longest idle is offered first.
    last_idle_at: float = 0.0
    # Subscription sessions (oii_shared.subscriptions.session_key) watching this user,
    # so ICIUSER_AUTOMATIC_UNSUBSCRIBE can end them at the next login.
    sessions: tuple[str, ...] = ()
    # Bumped by every write; lets watchers tell a replayed value from a new one.
    version: int = Field(default=0, ge=0)

    @property
    def logged_in(self) -> bool:
        return is_logged_in(self.workmode)

    @property
    def ready(self) -> bool:
        return is_ready(self.workmode)
