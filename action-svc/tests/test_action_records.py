"""The database is the action items' record: duplicates found there, live state rebuilt from it.

Each restart here starts action-svc on a new nats-server with the same database, as
if NATS' state had been lost: only the database remembers the items.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from action_harness import StartAction

from oii_shared.ici.tables import ActionSessionStatus
from oii_shared.soap.faults import Errors, IciFault

ALERTING = ActionSessionStatus.ALERTING.value
ENDED = ActionSessionStatus.ENDED.value


async def test_a_routed_item_is_recorded_before_the_answer_and_offered(
    start_action: StartAction,
) -> None:
    action = await start_action()
    item_id = await action.route(("TO_ADDRESS", "erms@x.example"), process_id="P-1")
    [open_item] = await action.records.open_items()
    assert (open_item.id, open_item.process_id, open_item.queue) == (
        item_id,
        "P-1",
        "ERMS@X.EXAMPLE",
    )
    await action.ready("ANNA")
    await action.until(lambda: ("ANNA", ALERTING) in action.seen(item_id))


async def test_a_duplicate_known_only_to_the_database_is_answered(
    start_action: StartAction,
) -> None:
    first = await start_action()
    item_id = await first.route(("TO_ADDRESS", "erms@x.example"), process_id="P-DB")
    second = await start_action()  # NATS' state lost; before restoring, the database knows it
    assert await second.route(process_id="P-DB") == item_id
    assert await second.records.open_with_process("P-DB") == item_id


async def test_the_live_state_is_rebuilt_and_an_expiry_that_passed_meanwhile_counts(
    start_action: StartAction,
) -> None:
    first = await start_action()
    routed_at = time.time()
    reserved = await first.route(
        ("TO_ADDRESS", "erms@x.example"),
        ("REQUIRED_AGENT", "BOB"),
        ("REQUIRED_AGENT_EXPIRY_TIME", "1"),
    )
    waiting = await first.route(("TO_ADDRESS", "erms@x.example"), ("REQUIRED_AGENT", "BOB"))
    await asyncio.sleep(max(0.0, routed_at + 1.0 - time.time()))  # the reservation runs out
    second = await start_action()
    # BOB never came: ANNA gets the item whose reservation ran out while it was down; the
    # one still reserved for BOB waits for him.
    await second.ready("ANNA")
    await second.until(lambda: ("ANNA", ALERTING) in second.seen(reserved))
    await second.ready("BOB", idle_since=2.0)
    await second.until(lambda: ("BOB", ALERTING) in second.seen(waiting))
    assert [item.id for item in await second.records.open_items()] == [reserved, waiting]


async def test_without_the_duplicate_check_a_process_may_be_routed_twice(
    start_action: StartAction,
) -> None:
    action = await start_action()
    await action.set_parameters(OII_CheckDuplicateActionItem="0")
    first = await action.route(process_id="P-TWICE")
    second = await action.route(process_id="P-TWICE")
    assert first != second
    # DELETE=X creates nothing and names the duplicate, which stays as it is.
    assert await action.route(("DELETE", "X"), process_id="P-TWICE") == first
    assert [item.id for item in await action.records.open_items()] == [first, second]


async def test_an_alert_not_accepted_in_time_waits_again(start_action: StartAction) -> None:
    action = await start_action(alert_timeout_ms=300)
    item_id = await action.route(("TO_ADDRESS", "erms@x.example"))
    await action.ready("ANNA")
    # Alerting, over on ANNA's inbox when the time is up, then offered again.
    await action.until(
        lambda: [status for _, status in action.seen(item_id)][:3] == [ALERTING, ENDED, ALERTING]
    )


async def test_an_item_too_large_is_refused_and_a_full_queue_withdraws_the_route(
    start_action: StartAction,
) -> None:
    action = await start_action()
    with pytest.raises(IciFault) as refused:
        await action.route(("REQUIRED_AGENT", "X" * 300_000))
    assert refused.value.error is Errors.INVALID_ARGUMENT and "bytes" in refused.value.message
    assert await action.records.open_items() == []
    # Entries of ~150 KB each (an unknown REQUIRED_AGENT is kept on its entry): a queue's
    # list, one KV value of at most 1 MB, takes six of them.
    taken: list[str] = []
    with pytest.raises(IciFault) as full:
        for _ in range(10):
            taken.append(await action.route(("REQUIRED_AGENT", "Y" * 150_000)))
    assert full.value.error is Errors.SERVICE_UNAVAILABLE and "ACTION" in full.value.message
    assert 1 < len(taken) < 10
    # The refused route left nothing behind: neither a record nor a live item.
    assert [item.id for item in await action.records.open_items()] == taken
