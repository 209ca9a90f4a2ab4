"""ActionRecords on each database (SQLite; PostgreSQL with OII_TEST_POSTGRES_URL)."""

from __future__ import annotations

from contextlib import AsyncExitStack

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


async def test_one_open_item_per_process_id_while_duplicates_are_checked(
    engine: AsyncEngine,
) -> None:
    records = ActionRecords(engine)
    first = an_item("P-1")
    assert await records.insert(first, unique_process=True) is None
    # Another replica routing the same processId at once: the database says which exists.
    assert await records.insert(an_item("P-1"), unique_process=True) == first.id
    # Without the check, duplicates are separate items.
    unchecked = an_item("P-1")
    assert await records.insert(unchecked, unique_process=False) is None
    assert await records.open_with_process("P-1") == first.id
    assert [item.id for item in await records.open_items()] == [first.id, unchecked.id]


async def test_changes_are_written_and_an_ended_item_closes_its_row(engine: AsyncEngine) -> None:
    records = ActionRecords(engine)
    item = an_item("P-2")
    await records.insert(item, unique_process=True)
    async with AsyncExitStack() as stack:
        await records.start(stack)
        records.save(item.model_copy(update={"phase": Phase.ALERTING, "user_id": "ANNA"}))
        records.save(item.model_copy(update={"phase": Phase.ACCEPTED, "user_id": "ANNA"}))
    [stored] = await records.open_items()
    assert (stored.phase, stored.user_id, stored.item_data) == (
        Phase.ACCEPTED,
        "ANNA",
        item.item_data,
    )
    async with AsyncExitStack() as stack:
        await records.start(stack)
        ended = item.model_copy(
            update={"phase": Phase.ENDED, "processing": ProcessingStatus.WRAP_UP.value}
        )
        records.save(ended)
    assert await records.open_items() == []
    assert await records.open_with_process("P-2") is None
    # The processId is free again for a new item.
    assert await records.insert(an_item("P-2"), unique_process=True) is None


async def test_an_item_known_only_to_the_database_can_be_ended_there(engine: AsyncEngine) -> None:
    records = ActionRecords(engine)
    item = an_item("P-3")
    await records.insert(item, unique_process=True)
    await records.end(item.id, deleted=True)
    assert await records.open_with_process("P-3") is None
    assert await records.open_items() == []
