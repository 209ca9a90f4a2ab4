"""Inbound calls on the real engine (NATS KV, SQLite): queueing, offering, accept, wrap-up,
reroute, the alert timeout, agent contacts and queue statistics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from telephony_harness import LINES, Harness

from oii_shared.agents.state import ContactState
from oii_shared.bus.kv import ModelCodec
from oii_shared.bus.topology import QUEUES_BUCKET, SYSTEM_BUCKET
from oii_shared.channels import Channel
from oii_shared.ici.tables import PhoneCallStatus
from oii_shared.items.ids import channel_of_item
from oii_shared.items.store import live_items
from oii_shared.queue_stats import QueueStats
from oii_shared.routing import waiting
from oii_shared.routing.waiting import queue_waiting_key
from oii_shared.run_state import RunMode, set_run_mode
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.model import Phase
from oii_telephony.calls.states import status_of
from oii_telephony.network.port import UnknownDestination


async def queue_stats(harness: Harness, queue_id: str) -> QueueStats:
    queues = await harness.infra.js.key_value(QUEUES_BUCKET)
    entry = await queues.get(queue_waiting_key(Channel.PHONE, queue_id))
    return ModelCodec(QueueStats).decode(entry.value or b"")


async def test_inbound_queue_call_from_alerting_to_gone(harness: Harness) -> None:
    tel = harness.telephony
    await harness.ready("A")
    leg = await tel.arrivals.incoming("0301234", "3001")
    assert leg.caller_number == "+49301234" and leg.remote_numbers == ("+49301234",)
    alerting = await harness.alerting_on("A")
    assert alerting.handle == leg.handle and alerting.user_id == "A"
    # The gateway routes IciItem by the id alone: the phone channel's digit comes first.
    assert channel_of_item(leg.handle) is Channel.PHONE
    assert [item for item in await live_items(harness.infra.js) if item[1] == leg.handle] == [
        (Channel.PHONE, leg.handle)
    ]
    agent = await harness.agent("A")
    assert agent is not None and [c.state for c in agent.contacts] == [ContactState.ALERTING]

    await tel.arrivals.accept(LINES["A"], leg.handle)
    connected = await harness.leg(leg.handle)
    assert connected is not None and status_of(connected) is PhoneCallStatus.CONNECTED
    agent = await harness.agent("A")
    assert agent is not None and [c.state for c in agent.contacts] == [ContactState.ACTIVE]

    assert await tel.endings.remote_hung_up(leg.handle)
    ended = await harness.leg(leg.handle)
    assert ended is not None and (ended.phase, ended.processing) == (Phase.ENDED, 3)
    agent = await harness.agent("A")
    assert agent is not None and [c.state for c in agent.contacts] == [ContactState.WRAP_UP]

    await tel.endings.wrap_up_ended(leg.handle)
    assert await harness.leg(leg.handle) is None
    assert await harness.on_line("A") == []
    agent = await harness.agent("A")
    assert agent is not None and agent.contacts == () and agent.last_idle_at > 0
    assert leg.handle not in {item_id for _, item_id in await live_items(harness.infra.js)}
    await harness.wait(lambda: len(harness.call_events(leg.handle)) >= 4, "four events")
    events = [(e.phone_call["callStatus"]["id"], e.phone_call["processingStatus"]["id"])
              for e in harness.call_events(leg.handle)]  # fmt: skip
    # 7.6: Alerting - Accept - Connected - Wrap Up - End - Ended
    assert events == [("3", "1"), ("101", "2"), ("4", "3"), ("4", "1")]

    stats = await queue_stats(harness, "3001")
    assert (stats.pending, stats.answered) == (0, 1)


async def test_longest_idle_agent_first_and_reroute_never_back(harness: Harness) -> None:
    tel = harness.telephony
    await harness.ready("C", "B", "A", queues=("3001",))  # C idle longest, then B, then A
    leg = await tel.arrivals.incoming("0301", "3001")
    first = await harness.alerting_on("C")
    assert first.handle == leg.handle
    await tel.arrivals.reroute(LINES["C"], leg.handle)
    second = await harness.alerting_on("B")
    assert second.handle == leg.handle
    await tel.arrivals.reroute(LINES["B"], leg.handle)
    third = await harness.alerting_on("A")
    await tel.arrivals.reroute(LINES["A"], third.handle)
    waiting = await harness.wait_leg(leg.handle, lambda c: c.phase is Phase.NEW, "waiting again")
    assert waiting.line == ""
    # Nobody left who did not refuse it: it waits, and C stays free.
    for name in "ABC":
        agent = await harness.agent(name)
        assert agent is not None and agent.contacts == ()
    # C's line saw it alerting, then ended there (taken away).
    seen = [e.phone_call["callStatus"]["id"] for e in harness.call_events(leg.handle)
            if e.container_id == LINES["C"]]  # fmt: skip
    assert seen == ["3", "4"]


async def test_disabled_queue_and_skills(harness: Harness) -> None:
    tel = harness.telephony
    await harness.ready("C", "A", queues=("3001", "3002", "3003"))
    closed = await tel.arrivals.incoming("0301", "3003")  # queue parameter OII=0
    german = await tel.arrivals.incoming("0302", "3002")  # needs German 3: only A, B
    alerted = await harness.alerting_on("A")
    assert alerted.handle == german.handle
    agent_c = await harness.agent("C")
    assert agent_c is not None and agent_c.contacts == ()
    still = await harness.leg(closed.handle)
    assert still is not None and still.phase is Phase.NEW


async def test_alert_timeout_puts_the_call_back(harness: Harness) -> None:
    tel = harness.telephony
    await harness.set_parameters()
    tel.ctx.settings = tel.ctx.settings.model_copy(update={"alert_timeout_ms": 300})
    await harness.ready("A", queues=("3001",))
    leg = await tel.arrivals.incoming("0301", "3001")
    await harness.alerting_on("A")
    # Back in the queue, and (A being the only agent) offered to A again.
    await harness.wait(
        lambda: (
            [e.phone_call["callStatus"]["id"] for e in harness.call_events(leg.handle)]
            == ["3", "4", "3"]
        ),
        "alerting, taken away, alerting again",
    )


async def test_unknown_destination(harness: Harness) -> None:
    with pytest.raises(UnknownDestination):
        await harness.telephony.arrivals.incoming("0301", "9999")


async def test_accept_on_the_wrong_line_or_twice(harness: Harness) -> None:
    tel = harness.telephony
    await harness.ready("A", queues=("3001",))
    leg = await tel.arrivals.incoming("0301", "3001")
    await harness.alerting_on("A")
    with pytest.raises(IciFault) as raised:
        await tel.arrivals.accept(LINES["B"], leg.handle)
    assert raised.value.error is Errors.CALL_NOT_ON_LINE
    await tel.arrivals.accept(LINES["A"], leg.handle)
    with pytest.raises(IciFault) as raised:
        await tel.arrivals.accept(LINES["A"], leg.handle)
    assert raised.value.error is Errors.NOT_ALLOWED_IN_STATUS


async def test_caller_hangs_up_while_waiting(harness: Harness) -> None:
    tel = harness.telephony
    leg = await tel.arrivals.incoming("0301", "3001")
    assert await tel.endings.remote_hung_up(leg.handle)
    assert await harness.leg(leg.handle) is None
    assert not await tel.endings.remote_hung_up(leg.handle)
    stats = await queue_stats(harness, "3001")
    assert stats.pending == 0


async def test_an_offer_a_stopped_replica_left_half_made_is_tidied(harness: Harness) -> None:
    """Claimed for an agent (entry offered, contact added) but never alerted: after the
    alert timeout the agent is freed and the call offered again."""
    tel = harness.telephony
    tel.ctx.settings = tel.ctx.settings.model_copy(update={"alert_timeout_ms": 300})
    leg = await tel.arrivals.incoming("0301", "3001")
    target = waiting.Target("3001")
    await tel.ctx.waiting.update(target, waiting.claim(leg.handle, "A", 1.0))
    await harness.ready("A", queues=("3001",))
    await tel.ctx.core.contacts.set("A", leg.handle, ContactState.ALERTING, "3001", 1.0)
    alerted = await harness.alerting_on("A")
    assert alerted.handle == leg.handle
    agent = await harness.agent("A")
    assert agent is not None and [c.state for c in agent.contacts] == [ContactState.ALERTING]


async def test_while_oii_is_stopped_calls_wait_in_their_queue_until_start(
    harness: Harness,
) -> None:
    system = await harness.infra.js.key_value(SYSTEM_BUCKET)
    await harness.ready("A")
    await set_run_mode(system, RunMode.STOPPED)

    async def routing() -> dict[str, object]:
        return (await harness.infra.health.collect())["call_routing"].data

    await harness.wait(lambda: routing_holds(routing), "routing follows the stop")
    leg = await harness.telephony.arrivals.incoming("0301234", "3001")
    looks = (await routing())["held_looks"]
    # Positive signal: the dispatcher looked at the waiting call twice more and held it.
    await harness.wait(
        lambda: held_more(routing, looks + 2), "two more looks that held the call", within=10
    )
    assert (await harness.leg(leg.handle)).phase is Phase.NEW  # type: ignore[union-attr]
    agent = await harness.agent("A")
    assert agent is not None and agent.contacts == ()
    assert not harness.call_events(leg.handle) or all(
        e.phone_call["callStatus"]["id"] != str(int(PhoneCallStatus.ALERTING))
        for e in harness.call_events(leg.handle)
    )

    await set_run_mode(system, RunMode.RUNNING)
    alerting = await harness.alerting_on("A")
    assert alerting.handle == leg.handle


async def routing_holds(routing: Callable[[], Awaitable[dict[str, object]]]) -> bool:
    return bool((await routing())["holding"])


async def held_more(routing: Callable[[], Awaitable[dict[str, object]]], looks: object) -> bool:
    return int((await routing())["held_looks"]) >= int(looks)  # type: ignore[call-overload]
