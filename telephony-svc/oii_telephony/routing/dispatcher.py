"""Offering waiting calls to agents, in every replica at once, without double allocation.

One task per replica looks at what waits (a copy of every queue's entries,
kept by a KV watch) and at the agents (another watched copy), oldest call and
highest priority first, longest idle agent first. An offer is made in three
compare-and-set steps: the queue entry is claimed for the agent, the agent is
claimed (a contact added, only if the agent is still eligible on the fresh
state), then the call alerts. A step that loses a race undoes the earlier
ones, so no agent ever gets more calls than allowed, whichever replica wins.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from oii_shared.agents.state import AgentState, Contact, ContactState
from oii_shared.agents.store import agent_key, decode_agent
from oii_shared.channels import Channel
from oii_shared.db.repository import UserRecord
from oii_shared.run_state import RunStateFollower
from oii_shared.service.health import ComponentStatus
from oii_telephony.calls.contacts import set_contact
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.inbound import Arrivals
from oii_telephony.routing import waiting
from oii_telephony.routing.eligibility import (
    SessionRules,
    idle_order,
    may_take_line_call,
    may_take_queue_call,
)
from oii_telephony.routing.mirrors import KvMirror
from oii_telephony.routing.waiting import QueueEntry, QueueState, Target

log = logging.getLogger(__name__)

# Without any news the dispatcher still looks again this often (a replica that died
# in the middle of an offer, an alert deadline).
SWEEP_S = 1.0

# Dials a due callback for the agent it was allocated to (the call engine's callback dialer);
# False if the callback no longer waits (withdrawn).
CallbackStarter = Callable[[str, UserRecord], Awaitable[bool]]


# Offers made together in one look at what waits; the rest wait for the next look.
MAX_OFFERS_AT_ONCE = 64


class _Outcome(enum.Enum):
    OFFERED = "offered"
    AGENT_LOST = "agent_lost"  # the agent was taken or changed meanwhile: try the next one
    CALL_LOST = "call_lost"  # another replica offered the call, or it is gone


_Offer = tuple[Target, QueueEntry, AgentState, UserRecord]


class Dispatcher:
    def __init__(
        self,
        ctx: CallContext,
        arrivals: Arrivals,
        wake: asyncio.Event,
        run_state: RunStateFollower,
        start_callback: CallbackStarter,
    ) -> None:
        """``wake`` is what ``ctx.kick`` sets: news that something may be routable;
        ``start_callback`` makes the call of a callback allocated to an agent.

        While the admin has stopped OII (``run_state``), nothing new is offered: the
        contacts wait in their queues, and an alert that times out goes back there.
        """
        self.ctx = ctx
        self.arrivals = arrivals
        self._wake = wake
        self._run_state = run_state
        # Looks at waiting contacts that offered none because OII was stopped.
        self._held_looks = 0
        self.agents: KvMirror[AgentState] | None = None
        self.queues: KvMirror[QueueState] | None = None
        self.lines: KvMirror[QueueState] | None = None
        self._start_callback = start_callback
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def kick(self) -> None:
        self._wake.set()

    async def start(self, stack: AsyncExitStack) -> None:
        store = self.ctx.waiting
        self.agents = KvMirror(self.ctx.core.agents.kv, ">", decode_agent, self.kick)
        self.queues = KvMirror(store.queues, ">", waiting.decode_state, self.kick)
        self.lines = KvMirror(
            store.calls, waiting.LINE_QUEUE_PREFIX + ">", waiting.decode_state, self.kick
        )
        for mirror in (self.agents, self.queues, self.lines):
            await mirror.start(stack)
        task = asyncio.create_task(self._run(), name="dispatcher")
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
        found: list[tuple[Target, QueueEntry]] = []
        if self.queues is not None:
            for state in self.queues.values.values():
                queue = self.ctx.directory.queue(state.queue_id)
                # The queue parameter OII=0: its calls are not offered through ICI (4.3.2).
                if queue is None or not queue.enabled:
                    continue
                found += [(Target(queue.id), entry) for entry in state.entries]
        if self.lines is not None:
            for state in self.lines.values.values():
                target = Target(state.queue_id, line=True)
                found += [(target, entry) for entry in state.entries]
        return found

    async def dispatch(self) -> None:
        now = self.ctx.now()
        timeout_s = self.ctx.settings.alert_timeout_ms / 1000
        everything = self._waiting()
        for target, entry in everything:
            if entry.offered_to and entry.offered_at + timeout_s <= now:
                await self.arrivals.offer_expired(target, entry)
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
            return  # agents come and go all the time; ranking them is for waiting calls
        offers = self._match(pending)
        # Each offer touches its own call and agent: they run together, and a lost race
        # leaves its call waiting for the next look.
        outcomes = await asyncio.gather(
            *(self._offer(target, entry, agent, user) for target, entry, agent, user in offers)
        )
        if _Outcome.AGENT_LOST in outcomes:
            self.kick()

    def _match(self, pending: list[tuple[Target, QueueEntry]]) -> list[_Offer]:
        """Oldest call first, each to the longest idle agent who may take it, none twice.

        The agents are ranked once per look; a call finds no agent where an earlier
        call with the same needs found none, so a backlog costs no rescans.
        """
        rules = SessionRules.from_parameters(self.ctx.directory.parameters)
        ranked = self._ranked_agents()
        taken: set[str] = set()
        nobody_for: set[tuple[Target, frozenset[tuple[str, int]], tuple[str, ...]]] = set()
        offers: list[_Offer] = []
        for target, entry in pending:
            needs = (target, frozenset(entry.skills.items()), entry.excluded)
            if needs in nobody_for:
                continue
            found = next(
                (
                    (agent, user)
                    for agent, user in self._candidates(target, ranked)
                    if agent.user_id not in taken
                    and self._may_take(target, entry, agent, user, rules)
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

    def _ranked_agents(self) -> list[tuple[AgentState, UserRecord]]:
        directory = self.ctx.directory
        agents = self.agents.values if self.agents is not None else {}
        ranked = [
            (agent, user)
            for agent in agents.values()
            if agent.ready and (user := directory.user(agent.user_id)) is not None
        ]
        ranked.sort(key=lambda pair: idle_order(pair[0]))
        return ranked

    def _candidates(
        self, target: Target, ranked: list[tuple[AgentState, UserRecord]]
    ) -> list[tuple[AgentState, UserRecord]]:
        if not target.line:
            return ranked
        directory = self.ctx.directory
        user = directory.user_of_line(target.id)
        agents = self.agents.values if self.agents is not None else {}
        agent = agents.get(agent_key(user.id)) if user is not None else None
        return [(agent, user)] if user is not None and agent is not None else []

    @staticmethod
    def _may_take(
        target: Target, entry: QueueEntry, agent: AgentState, user: UserRecord, rules: SessionRules
    ) -> bool:
        if target.line:
            return may_take_line_call(agent, rules)
        return may_take_queue_call(agent, user, target.id, entry, rules)

    async def _offer(
        self, target: Target, entry: QueueEntry, agent: AgentState, user: UserRecord
    ) -> _Outcome:
        store, now = self.ctx.waiting, self.ctx.now()
        claimed = await store.update(target, waiting.claim(entry.handle, agent.user_id, now))
        mine = claimed.entry(entry.handle)
        if mine is None or mine.offered_to != agent.user_id or mine.offered_at != now:
            return _Outcome.CALL_LOST
        rules = SessionRules.from_parameters(self.ctx.directory.parameters)
        state = ContactState.ACTIVE if entry.callback else ContactState.ALERTING
        queue_id = "" if target.line else target.id

        def eligible(fresh: AgentState) -> bool:
            return self._may_take(target, entry, fresh, user, rules)

        updated = await self.ctx.core.agents.update(
            agent.user_id, _claim_agent(entry.handle, state, queue_id, now, eligible)
        )
        if updated is None or not any(c.item_id == entry.handle for c in updated.contacts):
            await store.update(target, waiting.release(entry.handle, agent.user_id, False))
            return _Outcome.AGENT_LOST
        if entry.callback:
            started = await self._start_callback(entry.handle, user)
        else:
            started = await self.arrivals.offer(entry.handle, user) is not None
        if not started:
            # The caller hung up (the callback was withdrawn) meanwhile: give the agent back
            # and forget the entry.
            await self.ctx.core.agents.update(
                agent.user_id, set_contact(entry.handle, None, queue_id, now)
            )
            await store.update(target, waiting.remove(entry.handle))
            return _Outcome.CALL_LOST
        return _Outcome.OFFERED


def _claim_agent(
    handle: str,
    state: ContactState,
    queue_id: str,
    now: float,
    eligible: Callable[[AgentState], bool],
) -> Callable[[AgentState | None], AgentState | None]:
    def mutate(agent: AgentState | None) -> AgentState | None:
        if agent is None or not eligible(agent):
            return agent
        contact = Contact(
            item_id=handle, channel=Channel.PHONE.ici_id, state=state, queue=queue_id, since=now
        )
        return agent.model_copy(update={"contacts": (*agent.contacts, contact)})

    return mutate
