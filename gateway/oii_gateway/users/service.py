"""IciUser (9.2): what each operation does to agent state, sessions and events.

Every change of an agent goes through :meth:`UserService._change`: one
compare-and-set write, then a userChanged event if the User element changed.
Changes of one agent are serialized in this gateway so its events leave in the
order the writes happened.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import nats.errors
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext

from oii_gateway.agent_index import PresenceIndex
from oii_gateway.users import rules
from oii_gateway.users.directory import DirectoryCache
from oii_gateway.users.element import (
    build_user,
    empty_user,
    offered_workmodes,
    servable_queues,
)
from oii_gateway.users.sessions import SessionBook
from oii_shared.agents.state import Address, AgentState
from oii_shared.agents.store import AgentStore
from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import UserChanged
from oii_shared.channels import Channel
from oii_shared.db.models import user_key
from oii_shared.db.repository import UserRecord
from oii_shared.keyed_locks import KeyedLocks
from oii_shared.subscriptions.model import session_key

log = logging.getLogger(__name__)

# Contract with telephony-svc: drop every call of the user's line(s) at login.
DROP_CALLS_SUBJECT = "oii.cmd.telephony.drop_calls"
DROP_CALLS_TIMEOUT_S = 2.0

Clock = Callable[[], float]


class UserService:
    def __init__(
        self,
        *,
        directory: DirectoryCache,
        agents: AgentStore,
        sessions: SessionBook,
        presence: PresenceIndex,
        nats: NATS,
        js: JetStreamContext,
        cms_host_id: str,
        clock: Clock = time.time,
    ) -> None:
        self._directory = directory
        self._agents = agents
        self._sessions = sessions
        self._presence = presence
        self._nats = nats
        self._js = js
        self.cms_host_id = cms_host_id
        self._clock = clock
        self._locks = KeyedLocks()

    async def get_attributes(self, user_id: object, cms_ping: bool) -> dict[str, Any]:
        """Login of a user to IC WebClient (9.2.1); a cmsPing touches nothing at all."""
        if cms_ping:
            return {"response": empty_user(self.cms_host_id), "cmsHostId": self.cms_host_id}
        user = await self._directory.require_user(user_id)
        directory = self._directory.current
        parameters = directory.parameters
        ended: tuple[str, ...] = ()
        if parameters.flag("ICIUSER_AUTOMATIC_UNSUBSCRIBE"):
            ended = await self._end_old_sessions(user)
        queues = tuple(queue.id for queue in servable_queues(user, directory))
        login = rules.login(user.id, queues=queues, ended_sessions=ended)
        before, state = await self._change_seen(user, login)
        # Every call on the agent's line is one of the agent's phone contacts (telephony
        # writes them): the fresh state the login's compare-and-set read says whether
        # telephony has anything to drop, without asking it.
        if parameters.flag("OII.LoginDropCalls") and _has_calls(before):
            await self._drop_calls(user)
        return {
            "response": build_user(user, state, self._directory.current, self.cms_host_id),
            "cmsHostId": self.cms_host_id,
        }

    async def set_workmode(self, user_id: object, workmode: object) -> None:
        user = await self._directory.require_user(user_id)
        wanted = rules.parse_workmode(workmode, offered_workmodes(self._directory.current))
        await self._change(user, rules.set_workmode(user.id, wanted, self._clock()))

    async def set_channels(self, user_id: object, channels: list[Any] | None) -> None:
        user = await self._directory.require_user(user_id)
        await self._change(user, rules.set_channels(user.id, rules.parse_channels(channels)))

    async def set_queues(self, user_id: object, queues: list[Any] | None) -> None:
        """Obeyed only with OII.SetCurrentQueues (or ICIUSER_SETCURRENTQUEUES) = 1 (9.2.4)."""
        user = await self._directory.require_user(user_id)
        directory = self._directory.current
        if not directory.parameters.flag("OII.SetCurrentQueues"):
            return
        servable = [queue.id for queue in servable_queues(user, directory)]
        await self._change(user, rules.set_queues(user.id, rules.choose_queues(queues, servable)))

    async def set_addresses(self, user_id: object, addresses: list[Any] | None) -> None:
        user = await self._directory.require_user(user_id)
        parsed: tuple[Address, ...] = rules.parse_addresses(addresses)
        await self._change(user, rules.set_addresses(user.id, parsed))

    async def subscribe(self, app_url: str, app_id: str, user_id: object) -> None:
        user = await self._directory.require_user(user_id)
        await self._sessions.check_url(app_url)
        key = await self._sessions.watch_user(app_url, app_id, user.id)
        await self._change(user, rules.add_session(user.id, key), announce=False)

    async def unsubscribe(self, app_url: str, app_id: str) -> None:
        """Unknown sessions are fine: there is simply nothing left to end."""
        key = session_key(app_url, app_id)
        watched = await self._sessions.forget_users(app_url, app_id)
        await asyncio.gather(*(self._forget_session(watched_user, key) for watched_user in watched))

    async def _forget_session(self, watched_user: str, key: str) -> None:
        async with self._locks.hold(user_key(watched_user)):
            state = await self._agents.update(watched_user, rules.remove_session(key))
        self._presence.observe(state)

    async def _end_old_sessions(self, user: UserRecord) -> tuple[str, ...]:
        """ICIUSER_AUTOMATIC_UNSUBSCRIBE: some SAP versions never unsubscribe (9.2.1.1).

        The sessions as the presence copy knows them (this gateway's own writes at once,
        the other replicas' within the watch's lag): the old ones are a login old, and a
        login reads the agent once, in its compare-and-set.
        """
        state = self._presence.agent(user.id)
        if state is None or not state.sessions:
            return ()
        await asyncio.gather(*(self._sessions.end_for_user(key, user.id) for key in state.sessions))
        log.info("login of %s ended %d old subscription(s)", user.id, len(state.sessions))
        return state.sessions

    async def _drop_calls(self, user: UserRecord) -> None:
        """OII.LoginDropCalls: telephony-svc drops the calls of the user's line(s)."""
        payload = json.dumps({"user_id": user.id}).encode()
        try:
            answer = await self._nats.request(
                DROP_CALLS_SUBJECT, payload, timeout=DROP_CALLS_TIMEOUT_S
            )
        except (nats.errors.Error, TimeoutError) as error:
            log.warning("login of %s: dropping calls failed: %r", user.id, error)
            return
        log.info("login of %s: %s", user.id, answer.data.decode(errors="replace"))

    async def _change(
        self, user: UserRecord, mutate: rules.Mutation, *, announce: bool = True
    ) -> AgentState | None:
        """Write with compare-and-set; publish userChanged when the User element changed."""
        return (await self._change_seen(user, mutate, announce=announce))[1]

    async def _change_seen(
        self, user: UserRecord, mutate: rules.Mutation, *, announce: bool = True
    ) -> tuple[AgentState | None, AgentState | None]:
        """:meth:`_change`, with the state the compare-and-set changed (before, after)."""
        before: list[AgentState | None] = [None]

        def tracked(current: AgentState | None) -> AgentState | None:
            before[0] = current
            return mutate(current)

        async with self._locks.hold(user_key(user.id)):
            after = await self._agents.update(user.id, tracked)
            self._presence.observe(after)
            if announce and after is not before[0]:
                directory = self._directory.current
                old = build_user(user, before[0], directory, self.cms_host_id)
                new = build_user(user, after, directory, self.cms_host_id)
                if new != old:
                    await publish(self._js, UserChanged(user_id=user.id, user=new))
        return before[0], after


def _has_calls(state: AgentState | None) -> bool:
    phone = Channel.PHONE.ici_id
    return state is not None and any(contact.channel == phone for contact in state.contacts)
