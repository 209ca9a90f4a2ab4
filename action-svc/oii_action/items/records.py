"""The action items' record in the database: they wait for hours or days, so the database
holds every one that is not over, and the live state in NATS is rebuilt from it at start.

One writer task does every write, many in one transaction: the rows of the routes
that arrived meanwhile (each route answers once its row is committed, so a crash
after the answer never loses an item) and the newest restorable state of each item
that changed. Only what a restart needs is recorded (where an item waits, what it
carries, whether it is over): an alert or an accept writes nothing, since a
rebuilt item waits again anyway. While duplicates are checked
(OII.CheckDuplicateActionItem=1) an open item holds its processId in the unique
``open_key``: two replicas routing the same processId at once create one item.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import col, select

from oii_action.items.model import ActionItem, Phase
from oii_shared.db.engine import session_factory
from oii_shared.db.models import ActionItemRecord

log = logging.getLogger(__name__)

# A batch that failed is tried again after this long (its writes stay queued).
RETRY_S = 1.0
_TABLE = ActionItemRecord.__table__  # type: ignore[attr-defined]
# An open item's changes leave its open_key as it is; its end frees the processId.
_CHANGE = (
    update(_TABLE)
    .where(
        _TABLE.c.id == bindparam("b_id"),
        _TABLE.c.ended_at.is_(None),
        _TABLE.c.version < bindparam("b_version"),
    )
    .values(
        item=bindparam("b_item"), deleted=bindparam("b_deleted"), version=bindparam("b_version")
    )
)
_END = _CHANGE.values(ended_at=bindparam("b_ended_at"), open_key=None)


def restorable(item: ActionItem) -> tuple[object, ...]:
    """What a restart needs of an item: a change of anything else is not recorded."""
    return (
        item.phase is Phase.ENDED,
        item.queue,
        item.inbox,
        item.entered_at,
        item.excluded,
        item.attached_data,
    )


@dataclass(eq=False)
class _Insert:
    item: ActionItem
    open_key: str | None
    done: asyncio.Future[str | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def row(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "process_id": self.item.process_id,
            "open_key": self.open_key,
            "created_at": datetime.fromtimestamp(self.item.entered_at, UTC),
            "ended_at": None,
            "deleted": False,
            "item": self.item.model_dump(mode="json"),
            "version": self.item.version,
        }


def _change(item: ActionItem, now: datetime) -> dict[str, Any]:
    change = {
        "b_id": item.id,
        "b_item": item.model_dump(mode="json"),
        "b_deleted": item.deleted,
        "b_version": item.version,
    }
    if item.phase is Phase.ENDED:
        change["b_ended_at"] = now
    return change


class ActionRecords:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._sessions = session_factory(engine)
        self._inserts: list[_Insert] = []
        self._changes: dict[str, ActionItem] = {}
        self._news = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def insert(self, item: ActionItem, *, unique_process: bool) -> str | None:
        """Store a new item; with ``unique_process``, None if its processId is taken by an
        open item, whose id is then returned instead."""
        if self._task is None:
            raise RuntimeError("the action item records are not started")
        open_key = item.process_id if unique_process and item.process_id else None
        pending = _Insert(item, open_key)
        self._inserts.append(pending)
        self._news.set()
        return await pending.done

    async def open_with_process(self, process_id: str) -> str | None:
        """The oldest item routed with ``process_id`` that is not Ended, if any."""
        statement = (
            select(ActionItemRecord.id)
            .where(
                col(ActionItemRecord.process_id) == process_id,
                col(ActionItemRecord.ended_at).is_(None),
            )
            .order_by(col(ActionItemRecord.created_at))
            .limit(1)
        )
        async with self._sessions() as session:
            return (await session.exec(statement)).first()

    async def open_items(self) -> list[ActionItem]:
        statement = (
            select(ActionItemRecord)
            .where(col(ActionItemRecord.ended_at).is_(None))
            .order_by(col(ActionItemRecord.created_at))
        )
        async with self._sessions() as session:
            rows = (await session.exec(statement)).all()
        return [ActionItem.model_validate(row.item) for row in rows]

    async def end(self, item_id: str, *, deleted: bool) -> None:
        """Mark an item over that lives only here (its live state was lost)."""
        statement = (
            update(_TABLE)
            .where(_TABLE.c.id == item_id, _TABLE.c.ended_at.is_(None))
            .values(ended_at=datetime.now(UTC), open_key=None, deleted=deleted)
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    # ------------------------------------------------------------ the writer

    def save(self, item: ActionItem) -> None:
        """Record ``item``'s state soon (the newest state of an item wins)."""
        self._changes[item.id] = item
        self._news.set()

    async def saved(self, before: ActionItem, after: ActionItem) -> None:
        """The item core's listener: a change a restart needs is recorded."""
        if restorable(before) != restorable(after):
            self.save(after)

    async def start(self, stack: AsyncExitStack) -> None:
        self._task = asyncio.create_task(self._run(), name="action item records")
        stack.push_async_callback(self.stop)

    async def stop(self) -> None:
        """Write what is pending, then end the writer task."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._inserts or self._changes:
            await self._write()
        for pending in self._inserts:
            pending.done.cancel()

    async def _run(self) -> None:
        while True:
            await self._news.wait()
            self._news.clear()
            try:
                await self._write()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("action items not recorded; trying again")
                await asyncio.sleep(RETRY_S)
                self._news.set()

    async def _write(self) -> None:
        inserts, self._inserts = self._inserts, []
        changes, self._changes = self._changes, {}
        taken: dict[str, str] = {}
        try:
            try:
                async with self._engine.begin() as connection:
                    if inserts:
                        await connection.execute(insert(_TABLE), [p.row() for p in inserts])
                    await self._apply(connection, changes)
            except IntegrityError:
                if not any(pending.open_key for pending in inserts):
                    raise
                # A processId another replica took meanwhile: each row on its own, so that
                # only the clashing ones are refused.
                taken = await self._insert_each(inserts)
                async with self._engine.begin() as connection:
                    await self._apply(connection, changes)
        except BaseException:
            # Nothing of the batch is stored: it goes back, behind newer states of its items.
            self._inserts = inserts + self._inserts
            self._changes = {**changes, **self._changes}
            raise
        for pending in inserts:
            if not pending.done.done():
                pending.done.set_result(taken.get(pending.item.id))

    @staticmethod
    async def _apply(connection: AsyncConnection, changes: dict[str, ActionItem]) -> None:
        now = datetime.now(UTC)
        rows = [_change(item, now) for item in changes.values()]
        open_rows = [row for row in rows if "b_ended_at" not in row]
        ended_rows = [row for row in rows if "b_ended_at" in row]
        if open_rows:
            await connection.execute(_CHANGE, open_rows)
        if ended_rows:
            await connection.execute(_END, ended_rows)

    async def _insert_each(self, inserts: list[_Insert]) -> dict[str, str]:
        """Insert each row in its own transaction; returns, for each whose processId an
        open row holds, that row's id (its own row is not stored)."""
        taken: dict[str, str] = {}
        for pending in inserts:
            try:
                async with self._engine.begin() as connection:
                    await connection.execute(insert(_TABLE), [pending.row()])
            except IntegrityError:
                if pending.open_key is None:
                    raise
                holder = select(_TABLE.c.id).where(_TABLE.c.open_key == pending.open_key)
                async with self._engine.connect() as connection:
                    existing = (await connection.execute(holder)).scalar()
                if existing is None:
                    raise
                taken[pending.item.id] = existing
        return taken
