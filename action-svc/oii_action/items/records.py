"""The action items' record in the database: they wait for hours or days, so the database
holds every one that is not over, and the live state in NATS is rebuilt from it at start.

An item is inserted before IciActionItem.route answers. Its later changes are
written by one writer task, the newest state of each item per transaction, so a
busy hour costs a few commits a second. While duplicates are checked
(OII.CheckDuplicateActionItem=1) an open item holds its processId in the unique
``open_key``: two replicas routing the same processId at once create one item.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from oii_action.items.model import ActionItem, Phase
from oii_shared.db.engine import session_factory
from oii_shared.db.models import ActionItemRecord

log = logging.getLogger(__name__)

# A batch that failed is tried again after this long (the items stay queued).
RETRY_S = 1.0


def _row(item: ActionItem, open_key: str | None) -> ActionItemRecord:
    over = item.phase is Phase.ENDED
    return ActionItemRecord(
        id=item.id,
        process_id=item.process_id,
        open_key=None if over else open_key,
        created_at=datetime.fromtimestamp(item.entered_at, UTC),
        ended_at=datetime.now(UTC) if over else None,
        deleted=item.deleted,
        item=item.model_dump(mode="json"),
    )


class ActionRecords:
    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = session_factory(engine)
        self._pending: dict[str, ActionItem] = {}
        self._news = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def insert(self, item: ActionItem, *, unique_process: bool) -> str | None:
        """Store a new item; with ``unique_process``, None if its processId is taken by an
        open item, whose id is then returned instead."""
        open_key = item.process_id if unique_process and item.process_id else None
        try:
            async with self._sessions() as session, session.begin():
                session.add(_row(item, open_key))
        except IntegrityError:
            if open_key is None:
                raise
            existing = await self.open_with_process(item.process_id)
            if existing is None:
                raise
            return existing
        return None

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
        async with self._sessions() as session, session.begin():
            row = await session.get(ActionItemRecord, item_id)
            if row is not None and row.ended_at is None:
                row.ended_at = datetime.now(UTC)
                row.open_key = None
                row.deleted = deleted

    # ------------------------------------------------------------ the writer of changes

    def save(self, item: ActionItem) -> None:
        """Write ``item``'s state soon (the newest state of an item wins)."""
        self._pending[item.id] = item
        self._news.set()

    async def saved(self, before: ActionItem, after: ActionItem) -> None:
        """The item core's listener: every stored change is recorded."""
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
        if self._pending:
            await self._write()

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
        batch, self._pending = self._pending, {}
        try:
            statement = select(ActionItemRecord).where(col(ActionItemRecord.id).in_(batch))
            async with self._sessions() as session, session.begin():
                for row in (await session.exec(statement)).all():
                    if row.ended_at is not None:
                        continue  # over for good: a late state of it changes nothing
                    fresh = _row(batch[row.id], row.open_key)
                    row.item, row.deleted = fresh.item, fresh.deleted
                    row.ended_at, row.open_key = fresh.ended_at, fresh.open_key
        except BaseException:
            # Nothing of the batch is stored: it goes back, behind newer states of its items.
            self._pending = {**batch, **self._pending}
            raise
