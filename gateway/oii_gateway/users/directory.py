"""The contact-center configuration the gateway answers from: users, queues, parameters.

Derived from each snapshot of the process's configuration (``infra.configuration``,
loaded at start and on every UpdateSettings); a request never waits for the database
except to look for a user it does not know yet (an admin may have added it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.config.schema import PSEUDO_QUEUES
from oii_shared.configuration import Configuration, ConfigurationFollower
from oii_shared.db.engine import session_factory
from oii_shared.db.models import user_key
from oii_shared.db.repository import (
    NotReadyReasonRecord,
    QueueRecord,
    UserRecord,
    get_user,
)
from oii_shared.routing.config import live_pseudo_queues
from oii_shared.soap.faults import Errors, IciFault

log = logging.getLogger(__name__)


def queue_lookup_key(queue_id: str) -> str:
    """Queue ids are addresses (numbers, e-mail addresses): compared without case."""
    return queue_id.strip().casefold()


def is_pseudo_queue(queue_id: str) -> bool:
    return queue_id.strip().upper() in PSEUDO_QUEUES


@dataclass(frozen=True)
class Directory:
    """One consistent snapshot of the configuration; replaced whole on reload."""

    users: Mapping[str, UserRecord] = field(default_factory=dict)  # by user_key
    queues: Mapping[str, QueueRecord] = field(default_factory=dict)  # by queue_lookup_key
    parameters: ModuleParameters = field(default_factory=lambda: ModuleParameters({}))
    not_ready_reasons: tuple[NotReadyReasonRecord, ...] = ()
    live_pseudo_queues: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        users: Iterable[UserRecord],
        queues: Iterable[QueueRecord],
        parameters: ModuleParameters,
        not_ready_reasons: Iterable[NotReadyReasonRecord] = (),
    ) -> Directory:
        queues = tuple(queues)
        return cls(
            users={user_key(user.id): user for user in sorted(users, key=lambda u: u.id)},
            queues={queue_lookup_key(queue.id): queue for queue in queues},
            live_pseudo_queues=live_pseudo_queues(queues),
            parameters=parameters,
            not_ready_reasons=tuple(sorted(not_ready_reasons, key=lambda reason: reason.id)),
        )

    def user(self, user_id: str | None) -> UserRecord | None:
        return self.users.get(user_key(user_id)) if user_id else None

    def queue(self, queue_id: str) -> QueueRecord | None:
        return self.queues.get(queue_lookup_key(queue_id))

    def live_queue(self, queue_id: str) -> QueueRecord | None:
        """The queue if the integration is enabled for it (queue parameter OII, 4.7.1)."""
        queue = self.queue(queue_id)
        return queue if queue is not None and queue.enabled else None

    def routing_queues(self, channel: Channel) -> list[QueueRecord]:
        """Every enabled queue of ``channel`` that routes contacts (no pseudo queue)."""
        return sorted(
            (
                queue
                for queue in self.queues.values()
                if queue.channel is channel and queue.enabled and not is_pseudo_queue(queue.id)
            ),
            key=lambda queue: queue.id,
        )

    def user_routing_queues(self, user: UserRecord) -> list[QueueRecord]:
        """The enabled, non-pseudo queues ``user`` is a member of, in configured order."""
        found = []
        for queue_id in user.queues:
            queue = self.live_queue(queue_id)
            if queue is not None and not is_pseudo_queue(queue.id):
                found.append(queue)
        return found


class DirectoryCache:
    """The current :class:`Directory`, derived from each snapshot of the configuration."""

    def __init__(self, engine: AsyncEngine, configuration: ConfigurationFollower) -> None:
        self._engine = engine
        self._configuration = configuration
        self.current = Directory()

    def apply(self, configuration: Configuration) -> None:
        self.current = Directory.of(
            configuration.users,
            configuration.queues,
            configuration.parameters,
            configuration.not_ready_reasons,
        )

    async def require_user(self, user_id: object) -> UserRecord:
        """The configured user ``user_id`` (any case), or the ICI fault UNKNOWN_USER."""
        text = str(user_id or "").strip()
        if not text:
            raise IciFault(Errors.MISSING_ARGUMENT, "userId is required")
        user = self.current.user(text)
        if user is not None:
            return user
        # A user added to the database since the last load (admin API without UpdateSettings).
        async with session_factory(self._engine)() as session:
            found = await get_user(session, text)
        if found is None:
            raise IciFault(Errors.UNKNOWN_USER, f"no user {text}")
        await self._configuration.reload()
        return self.current.user(text) or found
