"""Configuration in the database: load the YAML into it, read it back for the services.

The database is the source of truth: loading a file inserts or updates what the
file names and leaves every other row alone (an admin API adds rows too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.config.schema import (
    ACTION_QUEUE_ID,
    ACTION_QUEUE_NAME,
    ContactCenterConfig,
    QueueConfig,
    SkillConfig,
    UserConfig,
)
from oii_shared.db.engine import session_factory
from oii_shared.db.models import (
    ModuleParameter,
    NotReadyReason,
    Queue,
    QueueSkill,
    Skill,
    User,
    UserBase,
    UserQueue,
    UserSkill,
    new_guid,
    user_key,
)

# Any number, the same in every process (env.py uses another one for migrations).
_POSTGRES_CONFIG_LOCK = 0x0011_C0DF


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A configured user with the queues they may serve and their skills."""

    id: str
    name: str
    phone: str | None
    email: str | None
    chat: str | None
    queues: tuple[str, ...] = ()
    skills: dict[str, int] = field(default_factory=dict)
    # 32 upper-case hex digits ("" only for a record not read from the database).
    guid: str = ""
    crm_login: str | None = None


@dataclass(frozen=True, slots=True)
class SkillRecord:
    """A skill of the catalog; ``id`` is the name users' and queues' skills use."""

    id: str
    guid: str
    external_name: str


@dataclass(frozen=True, slots=True)
class QueueRecord:
    id: str
    name: str
    channel: Channel
    enabled: bool
    answer_info: str
    skills: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class UpsertSummary:
    users_inserted: int = 0
    users_updated: int = 0
    queues_inserted: int = 0
    queues_updated: int = 0
    parameters_set: int = 0
    not_ready_reasons_set: int = 0
    skills_inserted: int = 0
    skills_updated: int = 0


class ConfigConflict(ValueError):
    """The file names a GUID or external name the database keeps for another row."""


async def upsert_config(engine: AsyncEngine, config: ContactCenterConfig) -> UpsertSummary:
    """Insert or update the file's skills, users, queues and parameters in one transaction.

    A user's memberships and skills, and a queue's skills, become the file's.
    Pseudo queues users refer to and the ACTION queue (spec 4.3.3, 4.7.3) are
    created when missing, and so are the skills users and queues name that the
    catalog does not list. A user whose id exists in another case keeps the
    stored spelling, so rows that refer to it stay valid. A user or skill keeps
    its stored GUID unless the file gives one. Raises :class:`ConfigConflict`
    (and changes nothing) when a GUID or external name of the file would be
    another row's too.
    """
    async with session_factory(engine)() as session, session.begin():
        await _lock_configuration(session)
        skills_inserted, skills_updated = await _upsert_skills(
            session, config.skills, config.implied_skills()
        )
        queues_inserted, queues_updated = await _upsert_queues(session, config.queues)
        implied = [*config.pseudo_queues_in_use(), _action_queue()]
        await _insert_missing_queues(session, implied)
        users_inserted, users_updated = await _upsert_users(session, config.users)
        for name, value in config.parameters.items():
            await session.merge(ModuleParameter(name=name, value=value))
        for reason in config.not_ready_reasons:
            await session.merge(NotReadyReason(id=reason.id, description=reason.description))
    return UpsertSummary(
        users_inserted,
        users_updated,
        queues_inserted,
        queues_updated,
        len(config.parameters),
        len(config.not_ready_reasons),
        skills_inserted,
        skills_updated,
    )


async def _lock_configuration(session: AsyncSession) -> None:
    """Make concurrent loads wait for each other instead of inserting the same rows twice."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        await connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_CONFIG_LOCK}
        )
    elif connection.dialect.name == "sqlite":
        # A write as first statement takes SQLite's write lock before anything is read.
        await connection.execute(text("UPDATE module_parameters SET value = value WHERE 0 = 1"))


def _action_queue() -> QueueConfig:
    return QueueConfig(id=ACTION_QUEUE_ID, name=ACTION_QUEUE_NAME, channel=Channel.ACTION)


async def _insert_missing_queues(session: AsyncSession, queues: Iterable[QueueConfig]) -> None:
    for queue in queues:
        if await session.get(Queue, queue.id) is None:
            session.add(_queue_row(queue))
    await session.flush()


def _queue_row(queue: QueueConfig) -> Queue:
    return Queue(
        id=queue.id,
        name=queue.name,
        channel=queue.channel.value,
        enabled=queue.enabled,
        answer_info=queue.answer_info,
    )


async def _upsert_queues(session: AsyncSession, queues: Sequence[QueueConfig]) -> tuple[int, int]:
    inserted = updated = 0
    for queue in queues:
        row = await session.get(Queue, queue.id)
        if row is None:
            session.add(_queue_row(queue))
            inserted += 1
        else:
            row.sqlmodel_update(_queue_row(queue).model_dump(exclude={"id"}))
            updated += 1
        await session.exec(delete(QueueSkill).where(col(QueueSkill.queue_id) == queue.id))
        session.add_all(
            QueueSkill(queue_id=queue.id, skill=skill, level=level)
            for skill, level in queue.skills.items()
        )
    await session.flush()
    return inserted, updated


async def _upsert_skills(
    session: AsyncSession, listed: Sequence[SkillConfig], implied: Sequence[SkillConfig]
) -> tuple[int, int]:
    stored = {row.id: row for row in (await session.exec(select(Skill))).all()}
    missing = [skill for skill in implied if skill.id not in stored]
    rows = [
        *(_skill_row(skill, stored.get(skill.id)) for skill in listed),
        *(_skill_row(skill, None) for skill in missing),
    ]
    final = {**stored, **{row.id: row for row in rows}}
    _refuse_shared("skill", "GUID", {row.id: row.guid for row in final.values()})
    _refuse_shared("skill", "external name", {row.id: row.external_name for row in final.values()})
    # A value may move from one row to another: park the changed ones first so that no
    # statement sees it twice.
    changed = [row for row in rows if row.id in stored and _skill_changed(stored[row.id], row)]
    for row in changed:
        stored[row.id].sqlmodel_update({"guid": new_guid(), "external_name": new_guid()})
    await session.flush()
    for row in rows:
        if row.id in stored:
            stored[row.id].sqlmodel_update(row.model_dump(exclude={"id"}))
        else:
            session.add(row)
    await session.flush()
    inserted = sum(row.id not in stored for row in rows)
    return inserted, len(rows) - inserted


def _skill_row(skill: SkillConfig, stored: Skill | None) -> Skill:
    guid = skill.guid or (stored.guid if stored is not None else new_guid())
    return Skill(id=skill.id, guid=guid, external_name=skill.external_name)


def _skill_changed(stored: Skill, row: Skill) -> bool:
    return (stored.guid, stored.external_name) != (row.guid, row.external_name)


def _refuse_shared(kind: str, what: str, values: Mapping[str, str]) -> None:
    """``values``: each row's value once the file is loaded, which must all differ."""
    owners: dict[str, str] = {}
    for row_id, value in sorted(values.items()):
        if value in owners:
            raise ConfigConflict(
                f'{kind}s "{owners[value]}" and "{row_id}" would both have the {what} '
                f'"{value}" (the file gives it to one, the database keeps it for the other): '
                f"give one of them another {what} in the file"
            )
        owners[value] = row_id


async def _upsert_users(session: AsyncSession, users: Sequence[UserConfig]) -> tuple[int, int]:
    stored = {row.key: row for row in (await session.exec(select(User))).all()}
    given_guids = {
        (stored[user_key(user.id)].id if user_key(user.id) in stored else user.id): user.guid
        for user in users
        if user.guid is not None
    }
    _refuse_shared("user", "GUID", {**{row.id: row.guid for row in stored.values()}, **given_guids})
    await _park_changing_guids(session, stored.values(), given_guids)
    inserted = updated = 0
    for user in users:
        row = stored.get(user_key(user.id))
        fields = UserBase(
            name=user.name,
            phone=user.phone,
            email=user.email,
            chat=user.chat,
            crm_login=user.crm_login,
        )
        if row is None:
            row = User.model_validate(fields, update={"id": user.id, "key": user_key(user.id)})
            session.add(row)
            inserted += 1
        else:
            row.sqlmodel_update(fields.model_dump())
            updated += 1
        if user.guid is not None:
            row.guid = user.guid
        await session.flush()
        await session.exec(delete(UserQueue).where(col(UserQueue.user_id) == row.id))
        await session.exec(delete(UserSkill).where(col(UserSkill.user_id) == row.id))
        session.add_all(UserQueue(user_id=row.id, queue_id=queue_id) for queue_id in user.queues)
        session.add_all(
            UserSkill(user_id=row.id, skill=skill, level=level)
            for skill, level in user.skills.items()
        )
    await session.flush()
    return inserted, updated


async def _park_changing_guids(
    session: AsyncSession, rows: Iterable[User], given_guids: Mapping[str, str]
) -> None:
    """A GUID may move from one user to another: the users whose GUID changes get a
    temporary one first so that no statement sees a GUID twice."""
    for row in rows:
        if given_guids.get(row.id, row.guid) != row.guid:
            row.guid = new_guid()
    await session.flush()


async def get_user(session: AsyncSession, user_id: str) -> UserRecord | None:
    """The user whose login name is ``user_id``, ignoring case (spec 4.6)."""
    row = (await session.exec(select(User).where(User.key == user_key(user_id)))).first()
    if row is None:
        return None
    return (await _user_records(session, [row]))[0]


async def list_users(session: AsyncSession) -> list[UserRecord]:
    rows = (await session.exec(select(User).order_by(col(User.id)))).all()
    return await _user_records(session, rows)


async def _user_records(session: AsyncSession, rows: Sequence[User]) -> list[UserRecord]:
    ids = [row.id for row in rows]
    queues: defaultdict[str, list[str]] = defaultdict(list)
    memberships = select(UserQueue).where(col(UserQueue.user_id).in_(ids))
    for membership in await session.exec(memberships.order_by(col(UserQueue.queue_id))):
        queues[membership.user_id].append(membership.queue_id)
    skills: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for skill in await session.exec(select(UserSkill).where(col(UserSkill.user_id).in_(ids))):
        skills[skill.user_id][skill.skill] = skill.level
    return [
        UserRecord(
            id=row.id,
            name=row.name,
            phone=row.phone,
            email=row.email,
            chat=row.chat,
            queues=tuple(queues[row.id]),
            skills=skills[row.id],
            guid=row.guid,
            crm_login=row.crm_login,
        )
        for row in rows
    ]


async def list_skills(session: AsyncSession) -> list[SkillRecord]:
    """The skill catalog, by id."""
    rows = (await session.exec(select(Skill).order_by(col(Skill.id)))).all()
    return [SkillRecord(row.id, row.guid, row.external_name) for row in rows]


async def get_queue(session: AsyncSession, queue_id: str) -> QueueRecord | None:
    row = await session.get(Queue, queue_id)
    return None if row is None else (await _queue_records(session, [row]))[0]


async def list_queues(session: AsyncSession, channel: Channel | None = None) -> list[QueueRecord]:
    statement = select(Queue).order_by(col(Queue.id))
    if channel is not None:
        statement = statement.where(col(Queue.channel) == channel.value)
    return await _queue_records(session, (await session.exec(statement)).all())


async def _queue_records(session: AsyncSession, rows: Sequence[Queue]) -> list[QueueRecord]:
    skills: defaultdict[str, dict[str, int]] = defaultdict(dict)
    required = select(QueueSkill).where(col(QueueSkill.queue_id).in_([row.id for row in rows]))
    for skill in await session.exec(required):
        skills[skill.queue_id][skill.skill] = skill.level
    return [
        QueueRecord(
            id=row.id,
            name=row.name,
            channel=Channel(row.channel),
            enabled=row.enabled,
            answer_info=row.answer_info,
            skills=skills[row.id],
        )
        for row in rows
    ]


async def get_parameters(session: AsyncSession) -> ModuleParameters:
    """All module parameters: the database's value where set, else the spec's default."""
    rows = (await session.exec(select(ModuleParameter))).all()
    return ModuleParameters.from_values({row.name: row.value for row in rows})


# Not-ready reasons.


@dataclass(frozen=True, slots=True)
class NotReadyReasonRecord:
    """A custom not-ready workmode (id above 1000) and its text."""

    id: int
    description: str


async def list_not_ready_reasons(session: AsyncSession) -> list[NotReadyReasonRecord]:
    rows = (await session.exec(select(NotReadyReason).order_by(col(NotReadyReason.id)))).all()
    return [NotReadyReasonRecord(row.id, row.description) for row in rows]
