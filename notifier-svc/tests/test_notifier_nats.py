"""The notifier's parts wired as main.py wires them, against a real nats-server and HTTP server.

No FastAPI and no database: the configuration is built from parameters here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from oii_notifier.config import ConfigHolder, delivery_config
from oii_notifier.consumer import CONSUMER_NAME
from oii_notifier.main import assemble, client_session
from oii_notifier.service import Notifier
from oii_notifier.settings import NotifierSettings
from oii_notifier.url_rules import ReverseDns
from oii_shared.bus.connect import close, connect
from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import EVENT_TIME_HEADER, PhoneCallChanged, UserChanged
from oii_shared.bus.topology import EVENTS_STREAM, SUBSCRIPTIONS_BUCKET, ensure_topology
from oii_shared.channels import container_key
from oii_shared.config.parameters import ModuleParameters
from oii_shared.crm_stand_in import CrmStandIn
from oii_shared.subscriptions.model import ContainerRef, Subscription

USER = {"userId": "T1", "currentWorkmode": {"id": "2", "description": "Logged on - ready"}}


@dataclass
class Running:
    notifier: Notifier
    nc: NATS
    js: JetStreamContext
    subscriptions: KeyValue


@pytest.fixture
async def bus(nats_url: str) -> AsyncIterator[tuple[NATS, JetStreamContext]]:
    from oii_shared.settings import Settings

    nc = await connect(Settings(nats_url=nats_url), "test")
    js = nc.jetstream()
    await ensure_topology(js)
    yield nc, js
    await close(nc)


async def start_notifier(
    nats_url: str, tmp_path: Path, parameters: dict[str, str], **settings: object
) -> tuple[Notifier, aiohttp.ClientSession, NATS]:

    config_settings = NotifierSettings(nats_url=nats_url, **settings)  # type: ignore[arg-type]
    nc = await connect(config_settings, "notifier-test")
    await ensure_topology(nc.jetstream())
    reverse_dns = ReverseDns()
    config = ConfigHolder(
        delivery_config(config_settings, ModuleParameters.from_values(parameters), reverse_dns)
    )
    session = client_session()
    notifier = await assemble(config_settings, nc, config, session)
    try:
        await notifier.start()
    except BaseException:
        await stop_notifier(notifier, session, nc)
        raise
    return notifier, session, nc


async def stop_notifier(notifier: Notifier, session: aiohttp.ClientSession, nc: NATS) -> None:
    await notifier.stop()
    await session.close()
    await close(nc)


async def subscribe(kv: KeyValue, url: str, app_id: str, **watching: object) -> None:
    subscription = Subscription(app_url=url, app_id=app_id, created_at=time.time(), **watching)  # type: ignore[arg-type]
    await kv.put(subscription.key, subscription.model_dump_json().encode())


async def test_an_event_published_right_after_a_subscription_reaches_it(
    nats_url: str, tmp_path: Path, bus: tuple[NATS, JetStreamContext]
) -> None:
    _, js = bus
    kv = await js.key_value(SUBSCRIPTIONS_BUCKET)
    receiver = await CrmStandIn().start()
    notifier, session, nc = await start_notifier(nats_url, tmp_path, {})
    try:
        # A burst of other sessions keeps the notifier's watch busy while the target's
        # subscription is stored and its event published at once: without the catch-up
        # the event would overtake its subscription and reach nobody.
        others = [
            subscribe(kv, "http://127.0.0.1:9/other", f"other-{n}", users=(f"other{n}",))
            for n in range(3000)
        ]
        burst = asyncio.gather(*others)
        for n in range(10):
            await subscribe(kv, receiver.url(), f"app-{n}", users=(f"u{n}",))
            await publish(js, UserChanged(user_id=f"U{n}", user=USER))
        await burst
        got = await receiver.wait_count(10)
        assert sorted(each.app_ids for each in got) == sorted((f"app-{n}",) for n in range(10))
    finally:
        await stop_notifier(notifier, session, nc)
        await receiver.stop()


async def test_app_ids_of_one_url_share_one_post_and_a_message_is_acked_after_it(
    nats_url: str, tmp_path: Path, bus: tuple[NATS, JetStreamContext]
) -> None:
    _, js = bus
    kv = await js.key_value(SUBSCRIPTIONS_BUCKET)
    receiver = await CrmStandIn(delay_s=2.5).start()
    line = ContainerRef(channel_type="1", container=container_key("+4930123"))
    # ack wait 1.5 s: the 2.5 s answer would be redelivered without the in-progress acks.
    notifier, session, nc = await start_notifier(nats_url, tmp_path, {}, event_ack_wait_s=1.5)
    try:
        await subscribe(kv, receiver.url(), "app-b", containers=(line,))
        await subscribe(kv, receiver.url(), "app-a", containers=(line,), users=("t1",))
        event = PhoneCallChanged(container_id="+4930123", phone_call={"callHandle": "c1"})
        await publish(js, event)
        [post] = await receiver.wait_count(1)
        assert post.app_ids == ("app-a", "app-b")
        # When the change happened, so that the receiver can tell the event's latency.
        assert float(post.headers[EVENT_TIME_HEADER]) == round(event.occurred_at, 6)
        assert post.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert (
            post.headers["SOAPAction"]
            == '"http://inqmy.com/soapdispatcher/rpc/bcbici/IciEventBean"'
        )
        assert post.text("phoneCall/callHandle") == "c1"
        info = await js.consumer_info(EVENTS_STREAM, CONSUMER_NAME)
        assert info.num_ack_pending == 1
        await asyncio.sleep(3.0)
        info = await js.consumer_info(EVENTS_STREAM, CONSUMER_NAME)
        assert (info.num_ack_pending, info.num_redelivered) == (0, 0)
        assert len(receiver.received) == 1
        health = await notifier.health()
        assert health.ok and health.data["delivered"] == 1 and health.data["sessions"] == 2
    finally:
        await stop_notifier(notifier, session, nc)
        await receiver.stop()


async def test_a_second_notifier_cannot_bind_while_one_runs(
    nats_url: str, tmp_path: Path, bus: tuple[NATS, JetStreamContext]
) -> None:
    _, js = bus
    kv = await js.key_value(SUBSCRIPTIONS_BUCKET)
    receiver = await CrmStandIn().start()
    notifier, session, nc = await start_notifier(nats_url, tmp_path, {})
    try:
        await subscribe(kv, receiver.url(), "app-1", users=("t1",))
        with pytest.raises(RuntimeError, match="another notifier"):
            await asyncio.wait_for(start_notifier(nats_url, tmp_path / "b", {}), 30)
        # The failed one ended nobody's subscription: the active one still delivers.
        assert not receiver.received
        assert (await kv.get(Subscription(app_url=receiver.url(), app_id="app-1").key)).value
        await publish(js, UserChanged(user_id="T1", user=USER))
        [post] = await receiver.wait_count(1)
        assert post.operation == "userChanged"
    finally:
        await stop_notifier(notifier, session, nc)
        await receiver.stop()
