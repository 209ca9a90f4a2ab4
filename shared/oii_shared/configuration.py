"""The contact-center configuration a process works from: one snapshot, one reload path.

Every service reads the configuration (users, queues, module parameters, not-ready
reasons, the skill catalog) from the database at start and again on every admin UpdateSettings
(``CONFIG_CHANGED_SUBJECT``), so that no request waits for the database.
``ConfigurationFollower`` does that once per process: each part that derives
something from the configuration (the gateway's directory, telephony's lines,
the notifier's delivery rules, secure logging) listens to it and gets every new
snapshot, the first one included. A reload that fails keeps the previous snapshot.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.channel_access import channel_enabled, live_pseudo_queues
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.config.schema import ACTION_QUEUE_ID, normalized_guid
from oii_shared.db.engine import session_factory
from oii_shared.db.models import user_key
from oii_shared.db.repository import (
    NotReadyReasonRecord,
    QueueRecord,
    SkillRecord,
    UserRecord,
    get_parameters,
    list_not_ready_reasons,
    list_queues,
    list_skills,
    list_users,
)

log = logging.getLogger(__name__)

Record = TypeVar("Record", SkillRecord, UserRecord)

# Core NATS subject of the admin operation UpdateSettings.
CONFIG_CHANGED_SUBJECT = "oii.admin.config_changed"


@dataclass(frozen=True, slots=True)
class Configuration:
    """One snapshot; ``skill`` and ``user_named`` answer from indexes built with it."""

    users: tuple[UserRecord, ...] = ()
    queues: tuple[QueueRecord, ...] = ()
    parameters: ModuleParameters = field(default_factory=lambda: ModuleParameters({}))
    not_ready_reasons: tuple[NotReadyReasonRecord, ...] = ()
    skills: tuple[SkillRecord, ...] = ()
    _skills_by_guid: Mapping[str, SkillRecord] = field(init=False, repr=False, compare=False)
    _skills_by_name: Mapping[str, SkillRecord] = field(init=False, repr=False, compare=False)
    _users_by_guid: Mapping[str, UserRecord] = field(init=False, repr=False, compare=False)
    _users_by_crm_login: Mapping[str, UserRecord] = field(init=False, repr=False, compare=False)
    _users_by_key: Mapping[str, UserRecord] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        indexes = {
            "_skills_by_guid": _first_by(self.skills, lambda skill: skill.guid),
            "_skills_by_name": _first_by(self.skills, lambda skill: _name_key(skill.external_name)),
            "_users_by_guid": _first_by(self.users, lambda user: user.guid),
            "_users_by_crm_login": _first_by(self.users, lambda user: _name_key(user.crm_login)),
            "_users_by_key": _first_by(self.users, lambda user: user_key(user.id)),
        }
        for name, index in indexes.items():
            object.__setattr__(self, name, index)

    def skill(self, text: str) -> SkillRecord | None:
        """The skill CRM names (7.3 SKILL): by GUID in either form, else by external name;
        both without case."""
        guid = normalized_guid(text)
        found = self._skills_by_guid.get(guid) if guid is not None else None
        return found or self._skills_by_name.get(_name_key(text))

    def user_named(self, text: str) -> UserRecord | None:
        """The user CRM names (7.3 REQUIRED_AGENT): by GUID, else CRM login id, else login
        id; all without case."""
        guid = normalized_guid(text)
        found = self._users_by_guid.get(guid) if guid is not None else None
        return (
            found
            or self._users_by_crm_login.get(_name_key(text))
            or self._users_by_key.get(user_key(text))
        )


def _name_key(text: str | None) -> str:
    return (text or "").strip().casefold()


def _first_by(records: Iterable[Record], key: Callable[[Record], str]) -> dict[str, Record]:
    """``records`` by ``key``, the first one where two share a key; empty keys left out."""
    index: dict[str, Record] = {}
    for record in records:
        if record_key := key(record):
            index.setdefault(record_key, record)
    return index


async def load_configuration(engine: AsyncEngine) -> Configuration:
    """Everything in one database session."""
    async with session_factory(engine)() as session:
        queues = tuple(await list_queues(session))
        parameters = await get_parameters(session)
        return Configuration(
            users=_with_action_queue_members(await list_users(session), queues, parameters),
            queues=queues,
            parameters=parameters,
            not_ready_reasons=tuple(await list_not_ready_reasons(session)),
            skills=tuple(await list_skills(session)),
        )


def _with_action_queue_members(
    users: Iterable[UserRecord], queues: tuple[QueueRecord, ...], parameters: ModuleParameters
) -> tuple[UserRecord, ...]:
    """Spec 4.7.3: every user with the action channel is a member of the ACTION queue,
    unless the database lists its members."""
    users = tuple(users)
    action = ACTION_QUEUE_ID.casefold()
    if not any(queue.id.casefold() == action for queue in queues) or any(
        queue_id.casefold() == action for user in users for queue_id in user.queues
    ):
        return users
    pseudo = live_pseudo_queues(queues)
    return tuple(
        dataclasses.replace(user, queues=tuple(sorted((*user.queues, ACTION_QUEUE_ID))))
        if channel_enabled(user, Channel.ACTION, parameters, pseudo)
        else user
        for user in users
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
