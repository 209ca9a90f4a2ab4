"""Offering waiting contacts to agents, in every replica at once, without double allocation.

One task per replica of a channel looks at what waits (a copy of the channel's
waiting lists, kept by a KV watch) and at the agents (another watched copy),
highest priority and oldest first, longest idle agent first. An offer is made
in three compare-and-set steps: the entry is claimed for the agent, the agent is
claimed (a contact added, only if the agent is still eligible on the fresh
state), then the channel alerts the contact through its :class:`OfferPort`. A
step that loses a race undoes the earlier ones. The agent claim is a
compare-and-set on the one agent record that every channel writes, so no agent
gets more than the room matrix allows, whichever replica or channel wins.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Callable, Iterable
from contextlib import AsyncExitStack
from typing import Protocol

from oii_shared.agents.state import AgentState, ContactState
from oii_shared.agents.store import agent_key, decode_agent
from oii_shared.bus.mirror import KvMirror
from oii_shared.db.repository import UserRecord
from oii_shared.routing import waiting
from oii_shared.routing.config import RoutingConfig
from oii_shared.routing.contacts import AgentContacts
from oii_shared.routing.eligibility import (
    may_take_personal_contact,
    may_take_queue_contact,
)
from oii_shared.routing.free_agents import FreeAgents
from oii_shared.routing.waiting import QueueEntry, Target, WaitingStore
from oii_shared.run_state import RunStateFollower
from oii_shared.service.health import ComponentStatus

log = logging.getLogger(__name__)

# Without any news the dispatcher still looks again this often (a replica that died
# in the middle of an offer, an alert deadline, a required agent's expiry).
SWEEP_S = 1.0
# Offers made together in one look at what waits; the rest wait for the next look.
MAX_OFFERS_AT_ONCE = 64


class Expiry(enum.Enum):
    """What the channel made of an offer that outlived the alert timeout."""

    HANDLED = "handled"  # the channel dealt with the entry and the agent itself
    WAITING = "waiting"  # the contact waits again: the offer is withdrawn, the agent freed
    GONE = "gone"  # the contact no longer waits: its entry goes, the agent is freed


class OfferPort(Protocol):
    """What a channel does for its dispatcher."""

    async def offer(self, target: Target, entry: QueueEntry, user: UserRecord) -> bool:
        """Alert the contact on ``user`` (already claimed); False if it no longer waits."""
        ...

    async def expire(self, target: Target, entry: QueueEntry) -> Expiry:
        """The offer of ``entry`` to ``entry.offered_to`` ran past the alert timeout.

        Also called for offers a replica left half made when it stopped (the contact
        never alerted, or moved on).
        """
        ...


class _Outcome(enum.Enum):
    OFFERED = "offered"
    AGENT_LOST = "agent_lost"  # the agent was taken or changed meanwhile: try the next one
    CONTACT_LOST = "contact_lost"  # another replica offered it, or it is gone


_Offer = tuple[Target, QueueEntry, AgentState, UserRecord]
# Contacts with these needs found nobody in this look (target, skills, refusers, required).
_Needs = tuple[Target, frozenset[tuple[str, int]], tuple[str, ...], frozenset[str]]


class Dispatcher:
    def __init__(
        self,
        *,
        waiting_store: WaitingStore,
        contacts: AgentContacts,
        config: Callable[[], RoutingConfig],
        port: OfferPort,
        wake: asyncio.Event,
        run_state: RunStateFollower,
        alert_timeout_s: Callable[[], float],
        clock: Callable[[], float],
    ) -> None:
        """``wake`` is set by whoever has news that something may be routable;
        ``config`` gives the channel's current routing configuration.

        While the admin has stopped OII (``run_state``), nothing new is offered: the
        contacts wait, and an alert that times out goes back to its queue.
        """
        self._store = waiting_store
        self._contacts = contacts
        self._config = config
        self._port = port
        self._wake = wake
        self._run_state = run_state
        self._alert_timeout_s = alert_timeout_s
        self._clock = clock
        self._held_looks = 0  # looks that offered nothing because OII was stopped
        # The copies share the stores' revision caches: claims start from what the watch
        # brought, and this replica's own writes are not decoded again.
        agents = contacts.agents
        self._agents = KvMirror(agents.kv, ">", decode_agent, self.kick, agents.revisions)
        self._queues = KvMirror(
            waiting_store.queues,
            waiting_store.queue_pattern,
            waiting.decode_state,
            self.kick,
            waiting_store.queue_revisions,
        )
        self._personal = KvMirror(
            waiting_store.personal,
            waiting.PERSONAL_PREFIX + ">",
            waiting.decode_state,
            self.kick,
            waiting_store.personal_revisions,
        )
        self._free = FreeAgents()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def kick(self) -> None:
        self._wake.set()

    async def start(self, stack: AsyncExitStack) -> None:
        for mirror in (self._agents, self._queues, self._personal):
            await mirror.start(stack)
        task = asyncio.create_task(self._run(), name=f"dispatcher {self._store.channel.name}")
        self._task = task

        async def stop() -> None:
            # nats-py may swallow a cancellation in the middle of a request: the flag and the
            # wake-up end the loop anyway.
            self._stopping = True
            self._wake.set()
            task.cancel()
            await asyncio.wait({task}, timeout=SWEEP_S * 5)

        stack.push_async_callback(stop)

    def stopping(self) -> bool:
        return self._stopping

    async def status(self) -> ComponentStatus:
        running = self._task is not None and not self._task.done()
        data = {
            "waiting": len(self._waiting()),
            "holding": self._run_state.stopped,
            "held_looks": self._held_looks,
        }
        return ComponentStatus(running, "" if running else "stopped", data=data)

    async def _run(self) -> None:
        while not self.stopping():
            # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SWEEP_S):
                    await self._wake.wait()
            self._wake.clear()
            if self.stopping():
                return
            try:
                await self.dispatch()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("dispatching failed; trying again")
                await asyncio.sleep(SWEEP_S)

    def _waiting(self) -> list[tuple[Target, QueueEntry]]:
        config = self._config()
        found: list[tuple[Target, QueueEntry]] = []
        for state in self._queues.values.values():
            # Only the channel's queues with OII=1: others are not offered through ICI (4.3.2).
            if config.queue(state.queue_id) is not None:
                target = Target(state.queue_id)
                found += [(target, entry) for entry in state.entries]
        for state in self._personal.values.values():
            target = Target(state.queue_id, personal=True)
            found += [(target, entry) for entry in state.entries]
        return found

    async def dispatch(self) -> None:
        """One look: expire overdue offers, then offer what waits to whoever may take it."""
        now = self._clock()
        timeout_s = self._alert_timeout_s()
        everything = self._waiting()
        for target, entry in everything:
            if entry.offered_to and entry.offered_at + timeout_s <= now:
                await self._expire(target, entry)
        if self._run_state.stopped:
            # Agents cannot accept while OII is stopped (3.4.1): hold, do not alert.
            if any(not entry.offered_to for _, entry in everything):
                self._held_looks += 1
            return
        pending = sorted(
            ((t, e) for t, e in everything if not e.offered_to),
            key=lambda item: (-item[1].priority, item[1].entered_at),
        )
        if not pending:
            return  # agents come and go all the time; ranking them is for waiting contacts
        offers = self._match(pending, now)
        # Each offer touches its own contact and agent: they run together, and a lost race
        # leaves its contact waiting for the next look.
        outcomes = await asyncio.gather(*(self._offer(*offer) for offer in offers))
        if _Outcome.AGENT_LOST in outcomes:
            self.kick()

    async def _expire(self, target: Target, entry: QueueEntry) -> None:
        expiry = await self._port.expire(target, entry)
        if expiry is Expiry.HANDLED:
            return
        if expiry is Expiry.WAITING:
            await self._store.update(target, waiting.release(entry.handle, entry.offered_to, False))
        else:
            await self._store.update(target, waiting.remove(entry.handle))
        await self._contacts.release(entry.offered_to, entry.handle, self._clock())
        self.kick()

    def _match(self, pending: list[tuple[Target, QueueEntry]], now: float) -> list[_Offer]:
        """Highest priority and oldest first, each to the longest idle agent who may take it,
        none twice.

        The free agents are kept in idle order between looks; a contact finds no agent
        where an earlier one with the same needs found none, so a backlog costs no rescans.
        """
        config = self._config()
        self._free.follow(config, self._agents.values, self._agents.take_changes())
        taken: set[str] = set()
        nobody_for: set[_Needs] = set()
        offers: list[_Offer] = []
        for target, entry in pending:
            needs = (
                target,
                frozenset(entry.skills.items()),
                entry.excluded,
                entry.required_now(now),
            )
            if needs in nobody_for:
                continue
            found = next(
                (
                    (agent, user)
                    for agent, user in self._candidates(target, config)
                    if agent.user_id not in taken
                    and self._may_take(target, entry, agent, user, config, now)
                ),
                None,
            )
            if found is None:
                nobody_for.add(needs)
                continue
            taken.add(found[0].user_id)
            offers.append((target, entry, *found))
            if len(offers) == MAX_OFFERS_AT_ONCE:
                break
        return offers

    def _candidates(
        self, target: Target, config: RoutingConfig
    ) -> Iterable[tuple[AgentState, UserRecord]]:
        if not target.personal:
            return self._free.ranked()
        user = config.user_of(target.id)
        agent = self._agents.values.get(agent_key(user.id)) if user is not None else None
        return [(agent, user)] if user is not None and agent is not None else []

    @staticmethod
    def _may_take(
        target: Target,
        entry: QueueEntry,
        agent: AgentState,
        user: UserRecord,
        config: RoutingConfig,
        now: float,
    ) -> bool:
        if target.personal:
            return may_take_personal_contact(agent, config.channel, config.room)
        return may_take_queue_contact(
            agent, user, target.id, entry, config.channel, config.room, now
        )

    async def _offer(
        self, target: Target, entry: QueueEntry, agent: AgentState, user: UserRecord
    ) -> _Outcome:
        now = self._clock()
        claimed = await self._store.update(target, waiting.claim(entry.handle, agent.user_id, now))
        mine = claimed.entry(entry.handle)
        if mine is None or mine.offered_to != agent.user_id or mine.offered_at != now:
            return _Outcome.CONTACT_LOST
        config = self._config()
        state = ContactState.ACTIVE if entry.starts_active else ContactState.ALERTING
        queue_id = "" if target.personal else target.id

        def eligible(fresh: AgentState) -> bool:
            return self._may_take(target, entry, fresh, user, config, now)

        if not await self._contacts.claim(
            agent.user_id, entry.handle, state, queue_id, now, eligible
        ):
            await self._store.update(target, waiting.release(entry.handle, agent.user_id, False))
            return _Outcome.AGENT_LOST
        if not await self._port.offer(target, mine, user):
            # The contact went meanwhile (its customer gave up): the agent is free again.
            await self._contacts.release(agent.user_id, entry.handle, self._clock())
            await self._store.update(target, waiting.remove(entry.handle))
            return _Outcome.CONTACT_LOST
        return _Outcome.OFFERED
