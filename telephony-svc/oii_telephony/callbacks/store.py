"""The callbacks table: every write is a compare-and-set on the row's version.

Two telephony-svc replicas share the table, so a read-modify-write only lands
if nobody wrote the row in between; the writer reads again and retries.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select, update

from oii_shared.db.engine import session_factory
from oii_shared.db.models import Callback, QueueSkill, Skill, UserSkill
from oii_shared.db.repository import QueueRecord, get_queue, list_queues


class CallbackStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = session_factory(engine)

    async def add(self, callback: Callback) -> bool:
        """Insert ``callback``; False if an open one exists for its number and queue."""
        try:
            async with self._sessions() as session, session.begin():
                session.add(callback)
        except IntegrityError:
            return False
        return True

    async def get(self, callback_id: str) -> Callback | None:
        async with self._sessions() as session:
            return await session.get(Callback, callback_id)

    async def list_all(self) -> list[Callback]:
        statement = select(Callback).order_by(col(Callback.created_at), col(Callback.id))
        async with self._sessions() as session:
            return list((await session.exec(statement)).all())

    async def compare_and_set(
        self, callback_id: str, version: int, changes: Mapping[str, Any]
    ) -> bool:
        """Apply ``changes`` if the row is still at ``version``; it is then at ``version + 1``."""
        statement = (
            update(Callback)
            .where(col(Callback.id) == callback_id, col(Callback.version) == version)
            .values(**changes, version=version + 1)
        )
        async with self._sessions() as session, session.begin():
            result = await session.exec(statement)
        return bool(result.rowcount == 1)

    async def due(self, now: datetime, limit: int) -> list[Callback]:
        """Open callbacks whose call time has come and that no scheduler holds."""
        statement = (
            select(Callback)
            .where(
                col(Callback.handled_time).is_(None),
                col(Callback.next_call_time) <= now,
                or_(col(Callback.offered_until).is_(None), col(Callback.offered_until) <= now),
            )
            .order_by(col(Callback.next_call_time))
            .limit(limit)
        )
        async with self._sessions() as session:
            return list((await session.exec(statement)).all())

    async def renew_offers(self, holder: str, until: datetime) -> int:
        """Extend the offers ``holder`` still holds; a renewal is a write like any other."""
        statement = (
            update(Callback)
            .where(
                col(Callback.offered_by) == holder,
                col(Callback.offered_until).is_not(None),
                col(Callback.handled_time).is_(None),
            )
            .values(offered_until=until, version=col(Callback.version) + 1)
        )
        async with self._sessions() as session, session.begin():
            result = await session.exec(statement)
        return int(result.rowcount)

    async def configured_skills(self) -> dict[str, str]:
        """Every skill agents have or queues require, and every skill of the catalog, by each
        name CRM may use (9.1.6.2: GUID or external name; our skill name too), case-folded
        -> the skill's name."""
        async with self._sessions() as session:
            names = {
                *(await session.exec(select(col(UserSkill.skill)).distinct())).all(),
                *(await session.exec(select(col(QueueSkill.skill)).distinct())).all(),
            }
            catalog = (await session.exec(select(Skill))).all()
        configured = {name.casefold(): name for name in sorted(names)}
        for skill in catalog:
            configured.setdefault(skill.id.casefold(), skill.id)
        for skill in catalog:
            configured[skill.external_name.casefold()] = skill.id
            configured[skill.guid.casefold()] = skill.id
        return configured

    async def find_queue(self, number_or_name: str) -> QueueRecord | None:
        """The queue whose id is ``number_or_name``, else the one so named (ignoring case)."""
        async with self._sessions() as session:
            queue = await get_queue(session, number_or_name)
            if queue is not None:
                return queue
            wanted = number_or_name.casefold()
            for candidate in await list_queues(session):
                if candidate.name.casefold() == wanted:
                    return candidate
        return None
