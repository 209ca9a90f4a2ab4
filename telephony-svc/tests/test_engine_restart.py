"""telephony-svc restarted in the middle of calls: engines on the same nats-server and database
stop and start, and the calls they left dialling, ringing, busy or alerting still complete."""

from __future__ import annotations

import asyncio

import pytest
from telephony_harness import LINES, Harness, another_engine

from oii_telephony.calls.model import Phase

ANSWER_MS = 1500
RING_TIMEOUT_MS = 1000
BUSY_MS = 1500


TIMINGS = {"sim_answer_ms": ANSWER_MS, "sim_ring_timeout_ms": RING_TIMEOUT_MS * 10}


async def test_a_call_left_ringing_is_answered_once_by_the_engines_that_start(
    harness: Harness,
) -> None:
    async with another_engine(harness, "telephony-1", **TIMINGS) as first:
        leg = await first.dialing.create(LINES["A"])
        await first.dialing.dial(LINES["A"], leg.handle, "+4930123")
        await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.RINGING, "ringing")
    # Stopped before the answer: nobody else has its timer.
    await asyncio.sleep(ANSWER_MS / 1000 + 0.3)
    ringing = await harness.leg(leg.handle)
    assert ringing is not None and ringing.phase is Phase.RINGING

    async with (
        another_engine(harness, "telephony-2", **TIMINGS),
        another_engine(harness, "telephony-3", **TIMINGS),
    ):
        connected = await harness.wait_leg(
            leg.handle, lambda c: c.phase is Phase.CONNECTED, "answered after the restart"
        )
        await harness.wait(lambda: "101" in _statuses(harness, leg.handle), "Connected sent")
        await asyncio.sleep(0.3)
    statuses = _statuses(harness, leg.handle)
    assert statuses.count("101") == 1, statuses
    assert connected.dialed_at and connected.connected_at >= connected.dialed_at


async def test_a_restarted_engine_answers_on_the_schedule_of_the_dial(harness: Harness) -> None:
    async with another_engine(harness, "telephony-1", **TIMINGS) as first:
        leg = await first.dialing.create(LINES["A"])
        await first.dialing.dial(LINES["A"], leg.handle, "+4930123")
        await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.RINGING, "ringing")
    async with another_engine(harness, "telephony-2", **TIMINGS):
        connected = await harness.wait_leg(
            leg.handle, lambda c: c.phase is Phase.CONNECTED, "answered after the restart"
        )
    waited = connected.connected_at - connected.dialed_at
    assert ANSWER_MS / 1000 - 0.05 <= waited < ANSWER_MS / 1000 + 1.0


@pytest.mark.parametrize(
    ("number", "settings"),
    [
        ("+4930555111", {"sim_ring_timeout_ms": RING_TIMEOUT_MS}),  # no answer: gives up
        ("+4930123", {"sim_answer_ms": 60_000, "sim_ring_timeout_ms": RING_TIMEOUT_MS}),
    ],
)
async def test_a_call_whose_ring_timeout_passes_during_the_restart_ends(
    harness: Harness, number: str, settings: dict[str, int]
) -> None:
    async with another_engine(harness, "telephony-1", **settings) as first:
        leg = await first.dialing.create(LINES["A"])
        await first.dialing.dial(LINES["A"], leg.handle, number)
        await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.RINGING, "ringing")
    await asyncio.sleep(RING_TIMEOUT_MS / 1000 + 0.2)
    async with another_engine(harness, "telephony-2", **settings):
        await harness.wait(lambda: _gone(harness, leg.handle), "given up after the restart")
    await harness.wait(lambda: _statuses(harness, leg.handle)[-1:] == ["4"], "Ended announced")


async def test_a_busy_call_ends_after_a_restart(harness: Harness) -> None:
    await harness.set_parameters(OII_ShowBusyStatus="1", OII_BusyStatusDuration=str(BUSY_MS))
    async with another_engine(harness, "telephony-1", **TIMINGS) as first:
        leg = await first.dialing.create(LINES["A"])
        await first.dialing.dial(LINES["A"], leg.handle, "+4930555000")
        busy = await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.BUSY, "busy")
    assert busy.busy_at
    async with another_engine(harness, "telephony-2", **TIMINGS):
        await harness.wait(lambda: _gone(harness, leg.handle), "ended after the restart")
    await harness.wait(
        lambda: _statuses(harness, leg.handle)[-2:] == ["105", "4"], "Busy, then Ended"
    )


async def test_an_alert_outlives_its_timeout_across_a_restart(harness: Harness) -> None:
    """The alert timeout is kept in the queue's KV state: the next engine's dispatcher ends it."""
    fast = {"alert_timeout_ms": 1000}
    async with another_engine(harness, "telephony-1", **fast) as first:
        await harness.ready("A", queues=("3001",))
        leg = await first.arrivals.incoming("0301234", "3001")
        alerting = await harness.wait_leg(
            leg.handle, lambda c: c.phase is Phase.ALERTING, "alerting"
        )
    async with another_engine(harness, "telephony-2", **fast):
        await harness.wait_leg(
            leg.handle,
            lambda c: c.alerted_at > alerting.alerted_at or c.phase is Phase.NEW,
            "back in its queue after the alert timeout",
        )


async def _gone(h: Harness, handle: str) -> bool:
    return await h.leg(handle) is None


def _statuses(h: Harness, handle: str) -> list[str]:
    return [event.phone_call["callStatus"]["id"] for event in h.call_events(handle)]
