"""Event delivery to CRM through the whole stack (spec 4.4, 9.3), with real HTTP receivers.

CRM subscribes through the gateway (IciContainer.subscribe) as it would; the
events are published to the stack's JetStream as a channel service publishes
them. Each test watches phone lines of its own, so other tests' events never
reach its receivers, and unsubscribes at the end (the status page test expects
no subscriptions).
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import AsyncIterator

import aiohttp
import pytest
from notifier_crm import (
    event_bus,
    notifier_delivery,
    phone_call,
    subscribe_container,
    unsubscribe_container,
)
from stacklib import Stack

from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import ContainerChanged, PhoneCallChanged
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET
from oii_shared.channels import container_key
from oii_shared.crm_stand_in import CrmStandIn
from oii_shared.embedded.ports import free_port
from oii_shared.subscriptions.model import ContainerRef, Subscription

pytestmark = pytest.mark.stack

_lines = itertools.count(1)


def new_line() -> str:
    """A phone line no other test watches."""
    return f"+4999{uuid.uuid4().int % 10**6:06d}{next(_lines)}"


def handles(received: list[object]) -> list[str | None]:
    return [each.text("phoneCall/callHandle") for each in received]  # type: ignore[attr-defined]


@pytest.fixture
async def receivers() -> AsyncIterator[list[CrmStandIn]]:
    started: list[CrmStandIn] = []
    yield started
    for receiver in started:
        await receiver.stop()


async def start(receivers: list[CrmStandIn], **options: float) -> CrmStandIn:
    receiver = await CrmStandIn(**options).start()  # type: ignore[arg-type]
    receivers.append(receiver)
    return receiver


async def test_app_ids_at_one_url_share_one_post(stack: Stack, receivers: list[CrmStandIn]) -> None:
    receiver = await start(receivers)
    url, line = receiver.url(), new_line()
    for app_id in ("session-b", "session-a", "session-a"):
        await subscribe_container(stack, url, app_id, line)
    try:
        async with event_bus(stack) as js:
            await publish(
                js, PhoneCallChanged(container_id=line, phone_call=phone_call("h1", line))
            )
            await publish(
                js,
                ContainerChanged(
                    container_type="1", container_id=line, status={"id": "1", "description": "OK"}
                ),
            )
        posts = await receiver.wait_count(2)
        await asyncio.sleep(0.5)  # nothing more comes
        assert [(p.operation, p.app_ids) for p in receiver.received] == [
            ("phoneCallChanged", ("session-a", "session-b")),
            ("containerChanged", ("session-a", "session-b")),
        ]
        first = posts[0]
        assert first.namespace == "urn:IciEventInterface"
        assert first.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert first.headers["SOAPAction"].strip('"').endswith("/IciEventBean")
        assert first.text("phoneCall/lineNumber") == line
        assert posts[1].text("containerStatus/id") == "1"
    finally:
        for app_id in ("session-a", "session-b"):
            await unsubscribe_container(stack, url, app_id)


async def test_a_slow_receiver_gets_its_events_in_order_soap_wait_ms_apart(
    stack: Stack, receivers: list[CrmStandIn]
) -> None:
    receiver = await start(receivers, delay_s=1.0)
    url, line = receiver.url(), new_line()
    await subscribe_container(stack, url, "slow", line)
    try:
        async with event_bus(stack) as js:
            for number in range(5):
                await publish(
                    js,
                    PhoneCallChanged(container_id=line, phone_call=phone_call(f"c{number}", line)),
                )
        got = await receiver.wait_count(5)
        assert handles(got) == ["c0", "c1", "c2", "c3", "c4"]
        arrivals = [each.received_perf for each in got]
        # SOAP_WAIT_MS (250 ms by default): each waited for the previous answer that long...
        assert all(later - earlier >= 0.2 for earlier, later in itertools.pairwise(arrivals))
        # ...and no longer: the second went before the first was answered.
        assert arrivals[1] < arrivals[0] + receiver.delay_s
    finally:
        await unsubscribe_container(stack, url, "slow")


async def test_a_slow_receiver_does_not_delay_another(
    stack: Stack, receivers: list[CrmStandIn]
) -> None:
    slow = await start(receivers, delay_s=6.0)
    fast = await start(receivers)
    slow_line, fast_line = new_line(), new_line()
    await subscribe_container(stack, slow.url(), "slow", slow_line)
    await subscribe_container(stack, fast.url(), "fast", fast_line)
    try:
        async with event_bus(stack) as js:
            for number in range(3):
                call = phone_call(f"s{number}", slow_line)
                await publish(js, PhoneCallChanged(container_id=slow_line, phone_call=call))
            for number in range(10):
                call = phone_call(f"f{number}", fast_line)
                await publish(js, PhoneCallChanged(container_id=fast_line, phone_call=call))
        await fast.wait_count(10, within_s=5.0)
        assert handles(fast.received) == [f"f{n}" for n in range(10)]
        assert not slow.answered_at, "the fast receiver had to wait for the slow one"
        await slow.wait_count(3)
    finally:
        await unsubscribe_container(stack, slow.url(), "slow")
        await unsubscribe_container(stack, fast.url(), "fast")


async def test_a_receiver_down_then_up_loses_nothing(
    stack: Stack, receivers: list[CrmStandIn]
) -> None:
    receiver = CrmStandIn(port=free_port())
    url, line = receiver.url(), new_line()
    await subscribe_container(stack, url, "restarting", line)
    try:
        async with event_bus(stack) as js:
            for number in range(4):
                call = phone_call(f"d{number}", line)
                await publish(js, PhoneCallChanged(container_id=line, phone_call=call))
            await asyncio.sleep(1.5)  # connection refused, retried with backoff
            receivers.append(await receiver.start())
            got = await receiver.wait_count(4)
        assert handles(got) == ["d0", "d1", "d2", "d3"]
    finally:
        await unsubscribe_container(stack, url, "restarting")


async def test_a_url_refused_by_the_guard_at_delivery_gets_nothing(
    stack: Stack, receivers: list[CrmStandIn]
) -> None:
    """The gateway refuses such a URL at subscribe time; this one got in another way."""
    receiver = await start(receivers)
    line = new_line()
    await subscribe_container(stack, receiver.url(), "honest", line)
    metadata = Subscription(
        app_url="http://169.254.169.254/latest/meta-data/",
        app_id="sneaky",
        containers=(ContainerRef(channel_type="1", container=container_key(line)),),
        created_at=time.time(),
    )
    before = (await notifier_delivery(stack))["refused"]
    async with event_bus(stack) as js:
        kv = await js.key_value(SUBSCRIPTIONS_BUCKET)
        await kv.put(metadata.key, metadata.model_dump_json().encode())
        try:
            await publish(js, PhoneCallChanged(container_id=line, phone_call=phone_call("x", line)))
            [post] = await receiver.wait_count(1)
            assert post.app_ids == ("honest",)
            assert (await notifier_delivery(stack))["refused"] == before + 1
        finally:
            await kv.delete(metadata.key)
            await unsubscribe_container(stack, receiver.url(), "honest")


async def test_the_statistics_line_is_on_the_status_page(stack: Stack) -> None:
    delivery = await notifier_delivery(stack)
    assert delivery["status"] == "ok"
    assert delivery["line"].startswith("[SOAP:")
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{stack.base_url}/OII/default.aspx") as answer,
    ):
        page = await answer.text()
    assert "[SOAP:" in page and "latency p50=" in page, page
