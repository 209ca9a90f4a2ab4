"""Every agent's state and every queue's statistics in memory, kept current by KV watches.

Presence requests read from here instead of scanning the buckets; a watch
delivers a change within about a millisecond. The gateway also feeds in the
states it writes itself, so a reader right after a write on the same gateway
already sees it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack

from nats.js.kv import KeyValue
from pydantic import ValidationError

from oii_shared.agents.state import AgentState
from oii_shared.agents.store import agent_key, decode_agent
from oii_shared.bus.follower import KvFollower, KvUpdate
from oii_shared.queue_stats import QueueStats, queue_key

log = logging.getLogger(__name__)


class PresenceIndex:
    def __init__(self) -> None:
        self._agents: dict[str, AgentState] = {}  # by KV key (agent_key)
        self._members: defaultdict[str, set[str]] = defaultdict(set)  # queue key -> agent keys
        # queue key -> channel (ICI id) -> that channel's numbers in the queue
        self._stats: defaultdict[str, dict[str, QueueStats]] = defaultdict(dict)

    # ---------------------------------------------------------------- reading

    def agent(self, user_id: str) -> AgentState | None:
        return self._agents.get(agent_key(user_id))

    def agents_in(self, queue_id: str) -> Iterator[AgentState]:
        """Agents active in the queue (logged in or not)."""
        for key in self._members.get(queue_key(queue_id), ()):
            yield self._agents[key]

    def stats(self, queue_id: str) -> QueueStats | None:
        """The queue's numbers over every channel waiting in it (e-mails and action items
        may share an e-mail queue, 4.7.3)."""
        by_channel = self._stats.get(queue_key(queue_id))
        return QueueStats.combined(queue_id, by_channel.values()) if by_channel else None

    # ---------------------------------------------------------------- writing

    def observe(self, state: AgentState | None) -> None:
        """A state this gateway just wrote, or one a watch delivered; older versions lose."""
        if state is None:
            return
        key = agent_key(state.user_id)
        known = self._agents.get(key)
        if known is not None and known.version > state.version:
            return
        self._put_agent(key, state)

    def _put_agent(self, key: str, state: AgentState) -> None:
        self._drop_memberships(key)
        self._agents[key] = state
        for queue_id in state.active_queues:
            self._members[queue_key(queue_id)].add(key)

    def _remove_agent(self, key: str) -> None:
        self._drop_memberships(key)
        self._agents.pop(key, None)

    def _drop_memberships(self, key: str) -> None:
        known = self._agents.get(key)
        if known is None:
            return
        for queue_id in known.active_queues:
            members = self._members.get(queue_key(queue_id))
            if members is not None:
                members.discard(key)
                if not members:
                    del self._members[queue_key(queue_id)]

    def _apply_agent(self, key: str, value: bytes | None) -> None:
        if value is None:
            self._remove_agent(key)
            return
        # A delete reaches the watch before a re-created key's first version, so the
        # version rule of observe() holds for watched values too.
        self.observe(decode_agent(value))

    def _apply_stats(self, key: str, value: bytes | None) -> None:
        # The routing kit's key: "<channel>.<queue key>" (oii_shared.routing.waiting).
        channel, _, queue = key.partition(".")
        if not queue:
            return  # not a queue's waiting list
        if value is not None:
            self._stats[queue][channel] = QueueStats.model_validate_json(value)
            return
        by_channel = self._stats.get(queue)
        if by_channel is not None:
            by_channel.pop(channel, None)
            if not by_channel:
                del self._stats[queue]

    # ---------------------------------------------------------------- following

    async def follow(self, agents: KeyValue, queues: KeyValue, stack: AsyncExitStack) -> None:
        """Load both buckets, then follow them until ``stack`` closes."""
        watched = (("agents", agents, self._apply_agent), ("queues", queues, self._apply_stats))
        for name, bucket, apply in watched:
            follower = KvFollower(bucket, _validated(name, apply), name=f"presence {name}")
            await follower.start()
            stack.push_async_callback(follower.stop)


def _validated(name: str, apply: Callable[[str, bytes | None], None]) -> Callable[[KvUpdate], None]:
    def apply_update(update: KvUpdate) -> None:
        try:
            apply(update.key, update.value)
        except ValidationError as error:
            log.warning("presence: ignoring %s/%s: %s", name, update.key, error)

    return apply_update
