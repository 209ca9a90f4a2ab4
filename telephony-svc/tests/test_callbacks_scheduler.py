"""The scheduler: due callbacks reach the call engine once, even with two replicas on one database.

Each scheduler has its own engine (connection pool) on the same database, as two
telephony-svc processes do. Runs on SQLite files; with OII_TEST_POSTGRES_URL on
PostgreSQL too.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.config.loader import demo_config_path, load_config
from oii_shared.db.engine import create_engine_for_url
from oii_shared.db.repository import upsert_config
from oii_telephony.callback_port import CallbackOutcome, DueCallback
from oii_telephony.callbacks.lifecycle import CallbackPolicy
from oii_telephony.callbacks.scheduler import BATCH, CallbackScheduler
from oii_telephony.callbacks.service import CallbackService, NewCallback
from oii_telephony.callbacks.store import CallbackStore

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
POLICY = CallbackPolicy(
    max_calls=3,
    retry_delay=timedelta(minutes=5),
    offer_lease=timedelta(minutes=30),
    refused_retry=timedelta(seconds=30),
    poll_interval_s=60.0,
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Dialer:
    """Stands in for the call engine's side of the port: keeps what it is offered."""

    def __init__(self, refuse: bool = False) -> None:
        self.offered: list[DueCallback] = []
        self.refuse = refuse
        self.arrived = asyncio.Event()

    async def offer_callback(self, callback: DueCallback) -> None:
        if self.refuse:
            raise RuntimeError("queue unknown to the call engine")
        await asyncio.sleep(0)  # let the other scheduler run in between
        self.offered.append(callback)
        self.arrived.set()

    async def withdraw_callback(self, callback_id: str, attempt: int) -> None:
        raise AssertionError("the scheduler never withdraws a callback")


async def cad_application_id() -> str:
    return "SAP_BCM/OII"


@pytest.fixture
async def engines(
    database_url: str, engine: AsyncEngine
) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two engines on one database (the root conftest's), the demo contact center loaded."""
    second = create_engine_for_url(database_url)
    await upsert_config(engine, load_config(demo_config_path()))
    yield engine, second
    await second.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def scheduler(engine: AsyncEngine, dialer: Dialer, clock: Clock) -> CallbackScheduler:
    return CallbackScheduler(
        CallbackStore(engine), dialer, POLICY, cad_application_id=cad_application_id, clock=clock
    )


def service_on(engine: AsyncEngine, clock: Clock) -> CallbackService:
    return CallbackService(CallbackStore(engine), POLICY, max_extra_data_bytes=65536, clock=clock)


def new(number: str, call_time: datetime | None = None, extra_data: str = "") -> NewCallback:
    return NewCallback(number, "2003", call_time, extra_data, gw_prefix="0", notes="")


async def test_two_schedulers_offer_each_due_callback_once(
    engines: tuple[AsyncEngine, AsyncEngine], clock: Clock
) -> None:
    service = service_on(engines[0], clock)
    numbers = [f"+49{index:04d}" for index in range(12)]
    for number in numbers:
        assert await service.create(new(number)) is not None
    first, second = Dialer(), Dialer()
    schedulers = [scheduler(engines[0], first, clock), scheduler(engines[1], second, clock)]

    for _ in range(3):
        await asyncio.gather(*(each.offer_due() for each in schedulers for _ in range(2)))

    offered = [callback.number for callback in first.offered + second.offered]
    assert sorted(offered) == numbers
    rows = await service.list_all()
    assert all(row.offered_until == START + POLICY.offer_lease for row in rows)


async def test_a_callback_is_offered_when_its_call_time_comes(
    engines: tuple[AsyncEngine, AsyncEngine], clock: Clock
) -> None:
    service = service_on(engines[0], clock)
    later = START + timedelta(minutes=10)
    callback_id = await service.create(
        new(
            "+4930123",
            call_time=later,
            extra_data="<XML><Skills>English=4</Skills><Priority>3</Priority><Foo>Bar</Foo></XML>",
        )
    )
    dialer = Dialer()
    each = scheduler(engines[1], dialer, clock)

    assert await each.offer_due() == 0
    clock.now = later - timedelta(seconds=1)
    assert await each.offer_due() == 0
    clock.now = later
    assert await each.offer_due() == 1

    assert dialer.offered == [
        DueCallback(
            callback_id=str(callback_id),
            queue="2003",
            number="+4930123",
            priority=3,
            skills={"English": 4},
            attached_data='<ItemAttachedData><Application id="SAP_BCM/OII"><Foo>Bar</Foo>'
            "</Application></ItemAttachedData>",
            cad={"Foo": "Bar"},
            gw_prefix="0",
        )
    ]
    # Held by the offer: not offered again while the call engine has it.
    clock.now = later + POLICY.offer_lease - timedelta(seconds=1)
    assert await each.offer_due() == 0
    assert len(dialer.offered) == 1


async def test_an_offer_nobody_reports_on_is_made_again_after_the_lease(
    engines: tuple[AsyncEngine, AsyncEngine], clock: Clock
) -> None:
    service = service_on(engines[0], clock)
    assert await service.create(new("+4930123")) is not None
    crashed, survivor = Dialer(), Dialer()

    await scheduler(engines[0], crashed, clock).offer_due()
    clock.now = START + POLICY.offer_lease
    await scheduler(engines[1], survivor, clock).offer_due()

    assert [len(crashed.offered), len(survivor.offered)] == [1, 1]
    # The same attempt: the call engine keeps the call it may still hold for it.
    assert survivor.offered == crashed.offered


async def test_the_holder_renews_its_offer_while_the_engine_keeps_the_callback(
    engines: tuple[AsyncEngine, AsyncEngine], clock: Clock
) -> None:
    service = service_on(engines[0], clock)
    callback_id = await service.create(new("+4930123"))
    holder_dialer, other_dialer = Dialer(), Dialer()
    holder = scheduler(engines[0], holder_dialer, clock)
    other = scheduler(engines[1], other_dialer, clock)
    await holder.offer_due()

    # An hour in the call engine's queue, the holder renewing as it runs.
    step = POLICY.offer_lease / 4
    for _ in range(4 * 30):
        clock.now += step
        await holder.renew_offers_when_due()
        assert await other.offer_due() == 0
    (row,) = await service.list_all()
    assert row.offered_by == holder.holder
    assert row.offered_until == clock.now + POLICY.offer_lease

    # The holder is gone: once its lease ran out, the other scheduler offers it.
    clock.now += POLICY.offer_lease
    assert await other.offer_due() == 1
    assert [callback.callback_id for callback in other_dialer.offered] == [callback_id]
    assert len(holder_dialer.offered) == 1
    # The old holder renews nothing it no longer holds.
    clock.now += step
    await holder.renew_offers_when_due()
    (row,) = await service.list_all()
    assert row.offered_by == other.holder


async def test_a_result_ends_the_offer_so_nothing_is_renewed(
    engines: tuple[AsyncEngine, AsyncEngine], clock: Clock
) -> None:
    service = service_on(engines[0], clock)
    callback_id = await service.create(new("+4930123"))
    assert callback_id is not None
    holder = scheduler(engines[0], Dialer(), clock)
    await holder.offer_due()

    await service.report(callback_id, CallbackOutcome.FAILED)
    clock.now += POLICY.offer_lease
    await holder.renew_offers_when_due()
    (row,) = await service.list_all()
    assert (row.offered_by, row.offered_until, row.failures) == (None, None, 1)


async def test_a_failed_call_is_offered_again_after_the_retry_delay(
    engines: tuple[AsyncEngine, AsyncEngine], clock: Clock
) -> None:
    service = service_on(engines[0], clock)
    callback_id = await service.create(new("+4930123"))
    assert callback_id is not None
    dialer = Dialer()
    each = scheduler(engines[1], dialer, clock)
    await each.offer_due()

    clock.now = START + timedelta(minutes=1)
    await service.report(callback_id, CallbackOutcome.FAILED)
    clock.now = START + timedelta(minutes=1) + POLICY.retry_delay - timedelta(seconds=1)
    assert await each.offer_due() == 0
    clock.now = START + timedelta(minutes=1) + POLICY.retry_delay
    assert await each.offer_due() == 1
    # Each attempt is a call of its own; a repeat offer of one attempt is the same call.
    assert [offered.attempt for offered in dialer.offered] == [0, 1]

    # Answered: handled, never offered again.
    await service.report(callback_id, CallbackOutcome.CONNECTED)
    clock.now = START + timedelta(days=1)
    assert await each.offer_due() == 0


async def test_an_offer_the_engine_refuses_is_tried_again_soon(
    engines: tuple[AsyncEngine, AsyncEngine], clock: Clock
) -> None:
    service = service_on(engines[0], clock)
    callback_id = await service.create(new("+4930123"))
    dialer = Dialer(refuse=True)
    each = scheduler(engines[1], dialer, clock)

    assert await each.offer_due() == 1
    rows = await service.list_all()
    assert (rows[0].offered_until, rows[0].offered_by) == (START + POLICY.refused_retry, None)
    assert rows[0].failures == 0

    dialer.refuse = False
    clock.now = START + POLICY.refused_retry
    assert await each.offer_due() == 1
    assert [callback.callback_id for callback in dialer.offered] == [callback_id]


async def test_more_due_callbacks_than_a_batch_are_all_offered_in_one_round(
    engines: tuple[AsyncEngine, AsyncEngine], clock: Clock
) -> None:
    service = service_on(engines[0], clock)
    for index in range(BATCH + 3):
        assert await service.create(new(f"+{index + 1000}")) is not None
    dialer = Dialer()
    each = scheduler(engines[1], dialer, clock)
    task = asyncio.create_task(each.run())
    try:
        async with asyncio.timeout(30):
            while len(dialer.offered) < BATCH + 3:
                await dialer.arrived.wait()
                dialer.arrived.clear()
    finally:
        task.cancel()
    assert len({callback.callback_id for callback in dialer.offered}) == BATCH + 3


async def test_a_new_callback_wakes_the_running_scheduler(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    # Real time: the poll interval is a minute, so only the wake-up can be in time.
    dialer = Dialer()
    each = CallbackScheduler(
        CallbackStore(engines[1]), dialer, POLICY, cad_application_id=cad_application_id
    )
    service = CallbackService(
        CallbackStore(engines[0]), POLICY, max_extra_data_bytes=65536, on_new=each.wake
    )
    task = asyncio.create_task(each.run())
    try:
        await asyncio.sleep(0.2)  # the scheduler found nothing and waits
        assert await service.create(new("+4930123")) is not None
        async with asyncio.timeout(10):
            await dialer.arrived.wait()
    finally:
        task.cancel()
    assert [callback.number for callback in dialer.offered] == ["+4930123"]
