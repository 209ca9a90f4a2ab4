"""ActionRecords on each database (SQLite; PostgreSQL with OII_TEST_POSTGRES_URL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_action.items.model import ActionItem, Phase
from oii_action.items.records import ActionRecords
from oii_shared.channels import Channel
from oii_shared.ici.tables import ProcessingStatus
from oii_shared.items.ids import new_item_id


def an_item(process_id: str = "", **fields: object) -> ActionItem:
    return ActionItem(
        id=new_item_id(Channel.ACTION),
        queue="ACTION",
        entered_at=1_800_000_000.0,
        process_id=process_id,
        item_data={"processId": process_id, "actionItemAttributes": [{"id": "SUBJECT"}]},
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
async def records(engine: AsyncEngine) -> AsyncIterator[ActionRecords]:
    async with AsyncExitStack() as stack:
        started = ActionRecords(engine)
        await started.start(stack)
        yield started


async def written(records: ActionRecords) -> None:
    """What the writer has queued, stored (an orderly stop writes it), then on again."""
    await records.stop()
    await records.start(AsyncExitStack())


async def test_one_open_item_per_process_id_while_duplicates_are_checked(
    records: ActionRecords,
) -> None:
    first = an_item("P-1")
    assert await records.insert(first, unique_process=True) is None
    # Another replica routing the same processId at once: the database says which exists.
    assert await records.insert(an_item("P-1"), unique_process=True) == first.id
    # Without the check, duplicates are separate items.
    unchecked = an_item("P-1")
    assert await records.insert(unchecked, unique_process=False) is None
    assert await records.open_with_process("P-1") == first.id
    assert [item.id for item in await records.open_items()] == [first.id, unchecked.id]


async def test_changes_are_written_and_an_ended_item_closes_its_row(
    records: ActionRecords,
) -> None:
    item = an_item("P-2")
    await records.insert(item, unique_process=True)
    records.save(item.model_copy(update={"phase": Phase.ALERTING, "user_id": "ANNA", "version": 1}))
    records.save(item.model_copy(update={"phase": Phase.ACCEPTED, "user_id": "ANNA", "version": 2}))
    await written(records)
    # Another replica's writer, late with an older state: the row does not go back.
    records.save(item.model_copy(update={"phase": Phase.ALERTING, "user_id": "BOB", "version": 1}))
    await written(records)
    [stored] = await records.open_items()
    assert (stored.phase, stored.user_id, stored.item_data) == (
        Phase.ACCEPTED,
        "ANNA",
        item.item_data,
    )
    # The open row kept its processId: nobody else may take it meanwhile.
    assert await records.insert(an_item("P-2"), unique_process=True) == item.id
    ended = item.model_copy(
        update={"phase": Phase.ENDED, "processing": ProcessingStatus.WRAP_UP.value, "version": 3}
    )
    records.save(ended)
    await written(records)
    assert await records.open_items() == []
    assert await records.open_with_process("P-2") is None
    # The processId is free again for a new item.
    assert await records.insert(an_item("P-2"), unique_process=True) is None


async def test_an_item_known_only_to_the_database_can_be_ended_there(
    records: ActionRecords,
) -> None:
    item = an_item("P-3")
    await records.insert(item, unique_process=True)
    await records.end(item.id, deleted=True)
    assert await records.open_with_process("P-3") is None
    assert await records.open_items() == []
