"""The callback list on a real database: create, duplicates, results, failure counting, reports.

Runs on SQLite files; with OII_TEST_POSTGRES_URL (a database the tests may wipe)
on PostgreSQL too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.config.loader import demo_config_path, load_config
from oii_shared.db.models import Callback
from oii_shared.db.repository import upsert_config
from oii_shared.ici.tables.enums import CallbackResult
from oii_shared.soap.faults import Errors, IciError, IciFault
from oii_telephony.callback_port import CallbackOutcome, DueCallback
from oii_telephony.callbacks.lifecycle import CallbackPolicy
from oii_telephony.callbacks.service import CallbackService, NewCallback
from oii_telephony.callbacks.store import CallbackStore

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
POLICY = CallbackPolicy(max_calls=3, retry_delay=timedelta(minutes=5))


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def engine(engine: AsyncEngine) -> AsyncEngine:
    """The root conftest's migrated database, with the demo contact center loaded."""
    await upsert_config(engine, load_config(demo_config_path()))
    return engine


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(engine: AsyncEngine, clock: Clock) -> CallbackService:
    return CallbackService(CallbackStore(engine), POLICY, max_extra_data_bytes=65536, clock=clock)


def request(number: str = "+4930123456", queue: str = "2001", **more: object) -> NewCallback:
    values: dict[str, object] = {
        "call_time": None,
        "extra_data": "",
        "gw_prefix": "",
        "notes": "",
        **more,
    }
    return NewCallback(number=number, queue=queue, **values)  # type: ignore[arg-type]


async def only(service: CallbackService, callback_id: str) -> Callback:
    found = [row for row in await service.list_all() if row.id == callback_id]
    assert len(found) == 1, found
    return found[0]


async def fault_of(error: IciError, awaitable: object) -> IciFault:
    with pytest.raises(IciFault) as caught:
        await awaitable  # type: ignore[misc]
    assert caught.value.error == error, caught.value
    return caught.value


async def test_create_stores_what_the_request_and_its_extra_data_ask(
    service: CallbackService,
) -> None:
    callback_id = await service.create(
        request(
            queue="2003",
            call_time=START + timedelta(hours=2),
            extra_data="<XML><Skills>english=4;Klingon=2</Skills><Priority>7</Priority>"
            "<Foo>Bar</Foo></XML>",
            gw_prefix="9",
            notes="Call about order 17",
        )
    )
    assert callback_id is not None
    assert callback_id == callback_id.upper() and len(callback_id) == 36

    row = await only(service, callback_id)
    assert (row.number, row.queue_id, row.gw_prefix, row.notes) == (
        "+4930123456",
        "2003",
        "9",
        "Call about order 17",
    )
    assert row.created_at == START
    assert row.next_call_time == START + timedelta(hours=2)
    assert (row.failures, row.max_calls, row.last_result) == (0, 3, None)
    assert (row.handled_time, row.last_call_time) == (None, None)
    # Skills take the configured spelling; the unknown one is dropped (9.1.6.2).
    assert row.skills == {"English": 4}
    assert (row.priority, row.attached_data) == (7, {"Foo": "Bar"})
    assert row.extra_data.startswith("<XML><Skills>english=4")


async def test_skills_are_named_by_guid_or_external_name_as_in_the_catalog(
    service: CallbackService,
) -> None:
    # The demo's catalog: English has a GUID and the external name ENGLISH; German is
    # implied by the users' skills (its name is its external name).
    extra = "<XML><Skills>5d1c8f4a-2b7e-4c39-9a61-0e8b3f2d7c15=2;GERMAN=3</Skills></XML>"
    callback_id = await service.create(request(number="+4930999000", extra_data=extra))
    assert callback_id is not None
    assert (await only(service, callback_id)).skills == {"English": 2, "German": 3}


async def test_without_call_time_the_callback_is_due_now(service: CallbackService) -> None:
    callback_id = await service.create(request())
    assert callback_id is not None
    assert (await only(service, callback_id)).next_call_time == START


async def test_a_second_callback_for_the_number_in_the_queue_is_null(
    service: CallbackService,
) -> None:
    first = await service.create(request(number="+111", queue="2001"))
    assert first is not None
    assert await service.create(request(number="+111", queue="2001")) is None
    # The queue given by name is the same queue.
    assert await service.create(request(number="+111", queue="q 2001")) is None
    other_queue = await service.create(request(number="+111", queue="2002"))
    other_number = await service.create(request(number="+112", queue="2001"))
    assert other_queue is not None and other_number is not None
    assert len(await service.list_all()) == 3

    # Once handled, the number may ask again.
    await service.update(first, CallbackResult.HANDLED, None)
    again = await service.create(request(number="+111", queue="2001"))
    assert again is not None and again != first


async def test_the_queue_is_found_by_number_or_name(service: CallbackService) -> None:
    callback_id = await service.create(request(queue="Q 2002"))
    assert callback_id is not None
    assert (await only(service, callback_id)).queue_id == "2002"


@pytest.mark.parametrize(
    ("queue", "error"),
    [
        ("9999", Errors.UNKNOWN_QUEUE),
        ("service@example.com", Errors.UNKNOWN_QUEUE),  # an e-mail queue
        ("ACTION", Errors.UNKNOWN_QUEUE),
        ("", Errors.MISSING_ARGUMENT),
    ],
)
async def test_a_queue_that_is_no_phone_queue_is_a_fault(
    service: CallbackService, queue: str, error: IciError
) -> None:
    await fault_of(error, service.create(request(queue=queue)))
    assert await service.list_all() == []


async def test_bad_extra_data_creates_nothing(service: CallbackService) -> None:
    await fault_of(Errors.INVALID_ARGUMENT, service.create(request(extra_data="<Data/>")))
    assert await service.list_all() == []


async def test_failures_count_until_max_calls_then_handled(
    service: CallbackService, clock: Clock
) -> None:
    callback_id = await service.create(request())
    assert callback_id is not None

    clock.now = START + timedelta(minutes=1)
    await service.update(callback_id, CallbackResult.BUSY, None)
    row = await only(service, callback_id)
    assert (row.failures, row.last_result) == (1, "BUSY")
    assert row.last_call_time == clock.now
    assert row.next_call_time == clock.now + POLICY.retry_delay
    assert row.handled_time is None

    clock.now = START + timedelta(minutes=10)
    await service.update(callback_id, CallbackResult.NO_ANSWER, None)
    row = await only(service, callback_id)
    assert (row.failures, row.last_result, row.handled_time) == (2, "NO_ANSWER", None)

    clock.now = START + timedelta(minutes=20)
    await service.update(callback_id, CallbackResult.VOICEMAIL, None)
    row = await only(service, callback_id)
    # The failure that reaches maxCalls makes the result HANDLED (9.1.7).
    assert (row.failures, row.last_result) == (3, "HANDLED")
    assert row.handled_time == clock.now
    assert row.next_call_time is None

    fault = await fault_of(
        Errors.CALLBACK_HANDLED, service.update(callback_id, CallbackResult.OTHER, None)
    )
    assert callback_id in fault.faultstring
    assert (await only(service, callback_id)).failures == 3


async def test_successful_and_handled_end_the_callback(
    service: CallbackService, clock: Clock
) -> None:
    won = await service.create(request(number="+1"))
    removed = await service.create(request(number="+2"))
    assert won is not None and removed is not None
    clock.now = START + timedelta(minutes=3)

    await service.update(won, CallbackResult.SUCCESSFUL, None)
    await service.update(removed, CallbackResult.HANDLED, None)

    row = await only(service, won)
    assert (row.last_result, row.handled_time, row.next_call_time) == (
        "SUCCESSFUL",
        clock.now,
        None,
    )
    assert row.last_call_time == clock.now
    row = await only(service, removed)
    assert (row.last_result, row.handled_time, row.last_call_time) == ("HANDLED", clock.now, None)

    # HANDLED again changes nothing; SUCCESSFUL after the fact is recorded.
    clock.now = START + timedelta(minutes=9)
    await service.update(removed, CallbackResult.HANDLED, None)
    assert (await only(service, removed)).handled_time == START + timedelta(minutes=3)
    await service.update(removed, CallbackResult.SUCCESSFUL, None)
    row = await only(service, removed)
    assert (row.last_result, row.handled_time) == ("SUCCESSFUL", START + timedelta(minutes=3))


async def test_notes_change_only_when_given(service: CallbackService) -> None:
    callback_id = await service.create(request(notes="first"))
    assert callback_id is not None

    await service.update(callback_id, None, "second")
    assert (await only(service, callback_id)).notes == "second"
    await service.update(callback_id, CallbackResult.BUSY, None)
    row = await only(service, callback_id)
    assert (row.notes, row.failures) == ("second", 1)
    await service.update(callback_id, None, "")
    assert (await only(service, callback_id)).notes == ""


async def test_ids_are_matched_without_case_and_braces(service: CallbackService) -> None:
    callback_id = await service.create(request())
    assert callback_id is not None
    await service.update("{" + callback_id.lower() + "}", CallbackResult.BUSY, None)
    assert (await only(service, callback_id)).failures == 1


async def test_an_unknown_id_is_a_fault(service: CallbackService) -> None:
    await fault_of(
        Errors.UNKNOWN_CALLBACK,
        service.update("C2DE7EC4-7886-466D-8A04-1120845D5E57", CallbackResult.BUSY, None),
    )


async def offer(engine: AsyncEngine, callback_id: str, until: datetime) -> None:
    """Mark ``callback_id`` offered, as a scheduler's claim does."""
    store = CallbackStore(engine)
    row = await store.get(callback_id)
    assert row is not None
    assert await store.compare_and_set(row.id, row.version, {"offered_until": until})


async def test_engine_reports_count_only_for_an_offered_callback(
    service: CallbackService, engine: AsyncEngine, clock: Clock
) -> None:
    callback_id = await service.create(request())
    assert callback_id is not None

    # Not offered: the report changes nothing.
    await service.report(callback_id, CallbackOutcome.FAILED)
    assert (await only(service, callback_id)).failures == 0

    await offer(engine, callback_id, START + timedelta(minutes=30))
    clock.now = START + timedelta(minutes=2)
    await service.report(callback_id, CallbackOutcome.FAILED)
    row = await only(service, callback_id)
    assert (row.failures, row.last_result, row.offered_until) == (1, "OTHER", None)
    assert row.next_call_time == clock.now + POLICY.retry_delay
    # The same attempt reported twice counts once.
    await service.report(callback_id, CallbackOutcome.FAILED)
    assert (await only(service, callback_id)).failures == 1

    await offer(engine, callback_id, START + timedelta(minutes=60))
    clock.now = START + timedelta(minutes=12)
    await service.report(callback_id, CallbackOutcome.CONNECTED)
    row = await only(service, callback_id)
    assert (row.failures, row.last_result, row.handled_time) == (1, "SUCCESSFUL", clock.now)
    assert row.next_call_time is None


async def test_a_result_over_soap_ends_the_attempt_so_the_report_is_not_counted_twice(
    service: CallbackService, engine: AsyncEngine
) -> None:
    callback_id = await service.create(request())
    assert callback_id is not None
    await offer(engine, callback_id, START + timedelta(minutes=30))

    await service.update(callback_id, CallbackResult.BUSY, None)
    await service.report(callback_id, CallbackOutcome.FAILED)

    row = await only(service, callback_id)
    assert (row.failures, row.last_result, row.offered_until) == (1, "BUSY", None)


async def test_reports_for_unknown_callbacks_are_ignored(service: CallbackService) -> None:
    await service.report("C2DE7EC4-7886-466D-8A04-1120845D5E57", CallbackOutcome.CONNECTED)
    assert await service.list_all() == []


async def test_new_callbacks_wake_the_scheduler(engine: AsyncEngine, clock: Clock) -> None:
    woken: list[bool] = []
    service = CallbackService(
        CallbackStore(engine),
        POLICY,
        max_extra_data_bytes=65536,
        clock=clock,
        on_new=lambda: woken.append(True),
    )
    assert await service.create(request()) is not None
    assert await service.create(request()) is None
    assert woken == [True]


class Withdrawals:
    """The call engine's side of the port, as far as the callback list uses it."""

    def __init__(self) -> None:
        self.withdrawn: list[tuple[str, int]] = []

    async def offer_callback(self, callback: DueCallback) -> None:
        raise AssertionError("the callback list never offers")

    async def withdraw_callback(self, callback_id: str, attempt: int) -> None:
        self.withdrawn.append((callback_id, attempt))


async def test_a_result_for_an_offered_callback_withdraws_that_attempt(
    engine: AsyncEngine, clock: Clock
) -> None:
    dialer = Withdrawals()
    service = CallbackService(
        CallbackStore(engine), POLICY, max_extra_data_bytes=65536, clock=clock, dialer=dialer
    )
    callback_id = await service.create(request())
    assert callback_id is not None
    # Not offered: nothing of it is queued.
    await service.update(callback_id, None, "note")
    await service.update(callback_id, CallbackResult.BUSY, None)
    assert dialer.withdrawn == []

    # Offered as attempt 1: notes leave the offer alone; a result ends it.
    await offer(engine, callback_id, START + timedelta(minutes=30))
    await service.update(callback_id, None, "another note")
    assert dialer.withdrawn == []
    await service.update(callback_id, CallbackResult.HANDLED, None)
    assert dialer.withdrawn == [(callback_id, 1)]
    # Handled and not offered any more: a second HANDLED withdraws nothing.
    await service.update(callback_id, CallbackResult.HANDLED, None)
    assert dialer.withdrawn == [(callback_id, 1)]
