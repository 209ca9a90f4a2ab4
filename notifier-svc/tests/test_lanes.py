"""Lanes and sender against a real local HTTP server: order, SOAP_WAIT_MS, isolation, retries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from oii_notifier.config import ConfigHolder, delivery_config
from oii_notifier.delivery import Delivery, Outcome
from oii_notifier.lanes import Lanes
from oii_notifier.sender import Result, Sender, client_session
from oii_notifier.settings import NotifierSettings
from oii_notifier.stats import DeliveryStats
from oii_notifier.url_rules import ReverseDns
from oii_shared.config.parameters import ModuleParameters
from oii_shared.crm_stand_in import CrmStandIn
from oii_shared.embedded.ports import free_port
from oii_shared.ici.registry import event_registry
from oii_shared.ici.schema import Interface
from oii_shared.soap.codec import encode_request


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with client_session() as session:
        yield session


def make_lanes(
    http: aiohttp.ClientSession, wait_ms: int = 250, retry_s: float = 10.0
) -> tuple[Lanes, DeliveryStats]:
    parameters = ModuleParameters.from_values({"SOAP_WAIT_MS": str(wait_ms)})
    config = ConfigHolder(
        delivery_config(NotifierSettings(event_retry_s=retry_s), parameters, ReverseDns())
    )
    stats = DeliveryStats()
    return Lanes(Sender(http, config, stats), stats), stats


def delivery(url: str, number: int, app_ids: tuple[str, ...] = ("app",)) -> Delivery:
    """A containerChanged whose containerId carries ``number``, to see the order."""
    operation = event_registry().find(Interface.EVENT, "containerChanged")
    assert operation is not None
    body = encode_request(
        operation, {"appIds": app_ids, "channelType": "1", "containerId": str(number)}
    )
    retry_until = asyncio.get_running_loop().time() + 10.0
    return Delivery(url, app_ids, operation.name, body, None, retry_until)


def numbers(receiver: CrmStandIn) -> list[str | None]:
    return [each.text("containerId") for each in receiver.received]


async def submit_all(lanes: Lanes, deliveries: list[Delivery]) -> list[Outcome]:
    outcomes: list[asyncio.Future[Outcome]] = []
    for each in deliveries:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        each.on_done = future.set_result
        outcomes.append(future)
        lanes.submit(each)
    return list(await asyncio.gather(*outcomes))


async def test_a_fast_lane_sends_one_event_after_the_other() -> None:
    receiver = await CrmStandIn().start()
    try:
        async with client_session() as http:
            lanes, stats = make_lanes(http)
            outcomes = await submit_all(lanes, [delivery(receiver.url(), n) for n in range(20)])
    finally:
        await receiver.stop()
    assert outcomes == [Outcome.DELIVERED] * 20
    assert numbers(receiver) == [str(n) for n in range(20)]
    assert receiver.max_in_flight == 1
    assert (stats.delivered, stats.errors, stats.lanes, stats.max_lanes) == (20, 0, 0, 1)
    assert stats.line().startswith("[SOAP:0/1/0/1 q=0/")


class TimedSender(Sender):
    """Notes when the lane hands each event to the sender: where SOAP_WAIT_MS is counted from."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.sent_at: list[float] = []

    async def send(self, delivery: Delivery) -> Result:
        self.sent_at.append(asyncio.get_running_loop().time())
        return await super().send(delivery)


async def test_a_slow_answer_holds_the_next_event_only_soap_wait_ms(
    http: aiohttp.ClientSession,
) -> None:
    receiver = await CrmStandIn(delay_s=1.5).start()
    parameters = ModuleParameters.from_values({"SOAP_WAIT_MS": "200"})
    config = ConfigHolder(delivery_config(NotifierSettings(), parameters, ReverseDns()))
    stats = DeliveryStats()
    sender = TimedSender(http, config, stats)
    try:
        await submit_all(Lanes(sender, stats), [delivery(receiver.url(), n) for n in range(3)])
    finally:
        await receiver.stop()
    assert numbers(receiver) == ["0", "1", "2"]
    # Each waited SOAP_WAIT_MS for the previous answer, then went without it. (Measured
    # where the rule applies: arrival times also carry each request's own network time.)
    first, second, third = sender.sent_at
    assert second - first >= 0.2 and third - second >= 0.2
    _, second_in, third_in = (each.received_perf for each in receiver.received)
    assert second_in < receiver.answered_at[0] and third_in < receiver.answered_at[0]
    assert receiver.max_in_flight == 3


async def test_a_slow_endpoint_does_not_delay_another_lane(http: aiohttp.ClientSession) -> None:
    slow = await CrmStandIn(delay_s=3.0).start()
    fast = await CrmStandIn().start()
    try:
        lanes, stats = make_lanes(http)
        slow_done = asyncio.ensure_future(
            submit_all(lanes, [delivery(slow.url(), n) for n in range(2)])
        )
        await submit_all(lanes, [delivery(fast.url(), n) for n in range(10)])
        assert numbers(fast) == [str(n) for n in range(10)]
        assert not slow.answered_at, "the fast lane finished before the slow endpoint answered"
        assert stats.max_lanes == 2
        await slow_done
    finally:
        await slow.stop()
        await fast.stop()


async def test_the_same_url_with_other_app_ids_is_another_lane(
    http: aiohttp.ClientSession,
) -> None:
    receiver = await CrmStandIn(delay_s=1.0).start()
    try:
        lanes, stats = make_lanes(http, wait_ms=5000)
        await submit_all(
            lanes,
            [delivery(receiver.url(), 1, ("a",)), delivery(receiver.url(), 2, ("b",))],
        )
    finally:
        await receiver.stop()
    # Two sessions: the second did not wait for the first one's answer.
    assert receiver.max_in_flight == 2
    assert stats.max_lanes == 2


async def test_5xx_is_retried_with_backoff_until_the_retry_time_is_over(
    http: aiohttp.ClientSession,
) -> None:
    receiver = await CrmStandIn(statuses=[503] * 1000).start()
    try:
        lanes, stats = make_lanes(http, retry_s=1.0)
        loop = asyncio.get_running_loop()
        started = loop.time()
        one = delivery(receiver.url(), 1)
        one.retry_until = started + 1.0
        [outcome] = await submit_all(lanes, [one])
        elapsed = loop.time() - started
    finally:
        await receiver.stop()
    assert outcome is Outcome.FAILED
    # Backoff 0.1, 0.2, 0.4... with jitter: a handful of attempts, never a tight loop.
    assert 2 <= len(receiver.received) <= 8
    assert elapsed < 2.0
    assert (stats.failed, stats.retries) == (1, len(receiver.received) - 1)


async def test_a_soap_fault_is_not_retried(http: aiohttp.ClientSession) -> None:
    receiver = await CrmStandIn(statuses=[500]).start()
    try:
        lanes, stats = make_lanes(http)
        outcomes = await submit_all(
            lanes, [delivery(receiver.url(), 1), delivery(receiver.url(), 2)]
        )
    finally:
        await receiver.stop()
    assert outcomes == [Outcome.REJECTED, Outcome.DELIVERED]
    assert numbers(receiver) == ["1", "2"]
    assert (stats.rejected, stats.delivered, stats.retries) == (1, 1, 0)


async def test_an_endpoint_down_then_up_gets_every_event_in_order(
    http: aiohttp.ClientSession,
) -> None:
    port = free_port()
    receiver = CrmStandIn(port=port)
    lanes, stats = make_lanes(http, wait_ms=50)
    pending = asyncio.ensure_future(
        submit_all(lanes, [delivery(receiver.url(), n) for n in range(5)])
    )
    await asyncio.sleep(1.0)
    assert stats.retries >= 2
    await receiver.start()
    try:
        outcomes = await pending
    finally:
        await receiver.stop()
    assert outcomes == [Outcome.DELIVERED] * 5
    # The lane held while its first event waited to be retried: the order survived.
    assert numbers(receiver) == ["0", "1", "2", "3", "4"]


async def test_events_queued_behind_a_dead_endpoint_past_their_time_are_given_up(
    http: aiohttp.ClientSession,
) -> None:
    url = f"http://127.0.0.1:{free_port()}/ici"
    lanes, stats = make_lanes(http, retry_s=0.3)
    deliveries = [delivery(url, n) for n in range(50)]
    for each in deliveries:
        each.retry_until = asyncio.get_running_loop().time() + 0.3
    outcomes = await asyncio.wait_for(submit_all(lanes, deliveries), 10)
    assert outcomes == [Outcome.FAILED] * 50
    assert stats.failed == 50
