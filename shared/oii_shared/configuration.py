"""The contact-center configuration a process works from: one snapshot, one reload path.

Every service reads the configuration (users, queues, module parameters, not-ready
reasons) from the database at start and again on every admin UpdateSettings
(``CONFIG_CHANGED_SUBJECT``), so that no request waits for the database.
``ConfigurationFollower`` does that once per process: each part that derives
something from the configuration (the gateway's directory, telephony's lines,
the notifier's delivery rules, secure logging) listens to it and gets every new
snapshot, the first one included. A reload that fails keeps the previous snapshot.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.config.parameters import ModuleParameters
from oii_shared.db.engine import session_factory
from oii_shared.db.repository import (
    NotReadyReasonRecord,
    QueueRecord,
    UserRecord,
    get_parameters,
    list_not_ready_reasons,
    list_queues,
    list_users,
)

log = logging.getLogger(__name__)

# Core NATS subject of the admin operation UpdateSettings.
CONFIG_CHANGED_SUBJECT = "oii.admin.config_changed"


@dataclass(frozen=True, slots=True)
class Configuration:
    users: tuple[UserRecord, ...] = ()
    queues: tuple[QueueRecord, ...] = ()
    parameters: ModuleParameters = field(default_factory=lambda: ModuleParameters({}))
    not_ready_reasons: tuple[NotReadyReasonRecord, ...] = ()


async def load_configuration(engine: AsyncEngine) -> Configuration:
    """Everything in one database session."""
    async with session_factory(engine)() as session:
        return Configuration(
            users=tuple(await list_users(session)),
            queues=tuple(await list_queues(session)),
            parameters=await get_parameters(session),
            not_ready_reasons=tuple(await list_not_ready_reasons(session)),
        )


Listener = Callable[[Configuration], Awaitable[None] | None]


class ConfigurationFollower:
    def __init__(self, engine: AsyncEngine, nats: NATS) -> None:
        self._engine = engine
        self._nats = nats
        self.current = Configuration()
        self._listeners: list[Listener] = []
        self._subscription: Subscription | None = None

    async def start(self) -> None:
        """Reload on every UpdateSettings until ``stop``; load the first snapshot (which may
        raise: the caller decides whether a service can start without it)."""
        self._subscription = await self._nats.subscribe(CONFIG_CHANGED_SUBJECT, cb=self._changed)
        self.current = await load_configuration(self._engine)

    async def stop(self) -> None:
        if self._subscription is not None:
            subscription, self._subscription = self._subscription, None
            await subscription.unsubscribe()

    async def listen(self, listener: Listener) -> None:
        """``listener`` gets the current snapshot now and every new one after it."""
        self._listeners.append(listener)
        await _call(listener, self.current)

    async def reload(self) -> Configuration:
        """Read the database again now (a user added since, say) and tell every listener."""
        self.current = await load_configuration(self._engine)
        for listener in self._listeners:
            try:
                await _call(listener, self.current)
            except Exception:
                log.exception("applying the new configuration failed in %r", listener)
        return self.current

    async def _changed(self, _msg: Msg) -> None:
        try:
            configuration = await self.reload()
        except Exception:
            log.exception("configuration reload failed; the previous one stays")
            return
        log.info(
            "configuration reloaded: %d users, %d queues",
            len(configuration.users),
            len(configuration.queues),
        )


async def _call(listener: Listener, configuration: Configuration) -> None:
    result = listener(configuration)
    if inspect.isawaitable(result):
        await result
