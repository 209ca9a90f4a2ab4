"""Callbacks in the real engine across replicas: a repeat offer of a held callback attempt
changes nothing, and a callback settled while it waits leaves its queue undialled."""

from __future__ import annotations

import asyncio

from telephony_harness import LINES, Harness, another_engine

from oii_shared.ici.tables.enums import CallbackResult
from oii_shared.routing.waiting import QueueState, Target
from oii_telephony.callback_port import CallbackOutcome, DueCallback
from oii_telephony.callbacks.lifecycle import CallbackPolicy
from oii_telephony.callbacks.service import CallbackService, NewCallback
from oii_telephony.callbacks.store import CallbackStore
from oii_telephony.calls.callback_calls import callback_handle, report_outcomes
from oii_telephony.calls.model import Phase


class Results:
    def __init__(self) -> None:
        self.reports: list[tuple[str, CallbackOutcome]] = []

    async def report(self, callback_id: str, outcome: CallbackOutcome) -> None:
        self.reports.append((callback_id, outcome))


async def queued(h: Harness, queue: str = "3001") -> list[str]:
    state: QueueState = await h.telephony.ctx.waiting.update(Target(queue), lambda s: s)
    return [entry.handle for entry in state.entries]


async def test_a_repeat_offer_of_a_held_callback_is_the_same_call(harness: Harness) -> None:
    """Schedulers of two replicas offer one attempt (a lease ran out): one call, dialled once."""
    tel = harness.telephony
    results = Results()
    tel.ctx.core.listen(report_outcomes(results))
    due = DueCallback("cb-7", "3001", "+4930123", attempt=0)
    async with another_engine(harness, "telephony-2") as other:
        # Either replica's dispatcher may dial it; each reports to the callback list.
        other.ctx.core.listen(report_outcomes(results))
        await asyncio.gather(*(engine.callbacks.offer_callback(due) for engine in (tel, other)))
        await tel.callbacks.offer_callback(due)
        handle = callback_handle("cb-7", 0)
        assert await queued(harness) == [handle]
        waiting = await harness.leg(handle)
        assert waiting is not None and waiting.phase is Phase.NEW

        await harness.ready("C", queues=("3001",))
        await harness.wait(lambda: results.reports, "the callback call connected")
        # Offered again while its call talks: still the one call.
        await other.callbacks.offer_callback(due)
        await asyncio.sleep(0.2)
        on_c = await harness.on_line("C")
        assert [leg.handle for leg in on_c] == [handle]
        assert await queued(harness) == []
        assert results.reports == [("cb-7", CallbackOutcome.CONNECTED)]
        # The next attempt (a failure was counted meanwhile) is a call of its own.
        assert callback_handle("cb-7", 1) != handle


async def test_a_withdrawn_callback_is_never_dialled(harness: Harness) -> None:
    tel = harness.telephony
    results = Results()
    tel.ctx.core.listen(report_outcomes(results))
    await tel.callbacks.offer_callback(DueCallback("cb-8", "3001", "+4930123"))
    handle = callback_handle("cb-8", 0)
    assert await queued(harness) == [handle]

    await tel.callbacks.withdraw_callback("cb-8", 0)
    assert await harness.leg(handle) is None
    await harness.wait(lambda: _empty(harness), "the queue without the callback")
    await harness.ready("C", queues=("3001",))
    await asyncio.sleep(0.3)
    assert await harness.on_line("C") == []
    assert results.reports == []
    agent = await harness.agent("C")
    assert agent is not None and agent.contacts == ()

    # Once dialled, withdrawing changes nothing: that call goes on.
    await tel.callbacks.offer_callback(DueCallback("cb-9", "3001", "+4930123"))
    dialled = await harness.wait_leg(
        callback_handle("cb-9", 0), lambda c: c.phase is not Phase.NEW, "dialled for C"
    )
    await tel.callbacks.withdraw_callback("cb-9", 0)
    still = await harness.leg(dialled.handle)
    assert still is not None and still.phase is not Phase.ENDED and still.line == LINES["C"]


async def _empty(h: Harness) -> bool:
    return await queued(h) == []


async def _only(h: Harness, handle: str) -> bool:
    return await queued(h) == [handle]


async def test_update_call_back_withdraws_a_queued_callback(harness: Harness) -> None:
    """updateCallBack HANDLED while the callback waits in its queue (the real scheduler offered
    it): the call leaves the queue and nobody dials it."""
    tel = harness.telephony
    results = Results()
    tel.ctx.core.listen(report_outcomes(results))
    service = CallbackService(
        CallbackStore(harness.infra.engine),
        CallbackPolicy(),
        max_extra_data_bytes=65536,
        dialer=tel.callbacks,
    )
    callback_id = await service.create(NewCallback("+4930123", "3001", None, "", "", ""))
    assert callback_id is not None
    handle = callback_handle(callback_id, 0)
    # The offer writes the call, then queues it: wait for the second step, not the first.
    await harness.wait(lambda: _only(harness, handle), "the scheduler queued the callback")
    assert await harness.leg(handle) is not None

    await service.update(callback_id, CallbackResult.HANDLED, None)
    assert await harness.leg(handle) is None
    await harness.wait(lambda: _empty(harness), "the queue without the callback")
    await harness.ready("C", queues=("3001",))
    await asyncio.sleep(0.3)
    assert await harness.on_line("C") == []
    assert results.reports == []


async def test_a_callback_dropped_before_its_dial_stays_as_the_drop_left_it(
    harness: Harness,
) -> None:
    """The dispatcher read the call back while IDLE; the agent dropped it before the dial
    (a fuzz finding): the dial fails quietly, the call is not ended a second time."""
    tel = harness.telephony
    results = Results()
    tel.ctx.core.listen(report_outcomes(results))
    await tel.callbacks.offer_callback(DueCallback("cb-11", "3001", "+4930123"))
    handle = callback_handle("cb-11", 0)
    await harness.ready("C", queues=("3001",))
    dialled = await harness.wait_leg(handle, lambda c: c.phase is not Phase.NEW, "dialled for C")
    read_while_idle = dialled.model_copy(update={"phase": Phase.IDLE})
    await tel.endings.drop(LINES["C"], handle)
    dropped = await harness.leg(handle)
    reports = list(results.reports)

    await tel.dialing.dial_callback_leg(read_while_idle, "+4930123")
    assert await harness.leg(handle) == dropped
    assert results.reports == reports
