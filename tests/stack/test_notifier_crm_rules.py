"""URL rules (spec 4.4.1, 4.4.2), subscriptionEnded on admin Stop and on shut-down (9.3.2).

A stack of its own, configured by a contact-center YAML with OII.MapSubscribeUrl
and OII.ReverseDnsSubscribeUrl; CRM subscribes through the gateway.
"""

from __future__ import annotations

import asyncio
import re
import signal
import sqlite3
from pathlib import Path

import aiohttp
import pytest
import yaml
from notifier_crm import (
    event_bus,
    notifier_delivery,
    phone_call,
    subscribe_container,
    subscribe_user,
)
from stacklib import Stack, StartStack, stop_stack

from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import PhoneCallChanged, UserChanged
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET
from oii_shared.crm_stand_in import CrmStandIn
from oii_shared.subscriptions.model import ContainerRef, Subscription
from oii_shared.subscriptions.store import SubscriptionStore

pytestmark = pytest.mark.stack

DEMO = Path(__file__).resolve().parents[2] / "shared" / "oii_shared" / "config" / "demo.yaml"
# CRM names an address OII cannot reach; the mapping sends the events to the receiver.
SUBSCRIBED_URL = "http://127.0.0.2:9/sap/bc/srt/IciEvent?sap-client=100"
# Mapped onto the cloud metadata address: refused at subscribe, and at delivery for a
# session that was stored before such a mapping was configured.
SNEAKY_URL = "http://127.0.0.3:9/x"
USER = {"userId": "HARRI", "currentWorkmode": {"id": "2", "description": "Logged on - ready"}}


def config_file(tmp_path: Path, receiver_port: int) -> Path:
    config = yaml.safe_load(DEMO.read_text())
    config["parameters"].update(
        {
            "OII.MapSubscribeUrl": f"127.0.0.2:9, 127.0.0.1:{receiver_port}, "
            "127.0.0.3:9, 169.254.169.254:80",
            "OII.ReverseDnsSubscribeUrl": 1,
            "SOAP_WAIT_MS": 100,
        }
    )
    path = tmp_path / "contact-center.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


async def admin(stack: Stack, operation: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{stack.base_url}/OII/OII.asmx/{operation}",
            data=b"",
            headers={
                "Authorization": f"Bearer {stack.admin_token}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        ) as answer,
    ):
        assert answer.status == 200, await answer.text()
        return await answer.text()


def reason(received: object) -> tuple[str | None, str | None]:
    return (received.text("reason/id"), received.text("reason/description"))  # type: ignore[attr-defined]


async def test_mapped_and_named_url_then_paused_then_shut_down(
    start_extra_stack: StartStack, tmp_path: Path
) -> None:
    receiver = await CrmStandIn().start()
    try:
        stack = start_extra_stack({"OII_CONFIG": str(config_file(tmp_path, receiver.port))})
        await subscribe_user(stack, SUBSCRIBED_URL, "crm-1", "HARRI")
        await subscribe_container(stack, SUBSCRIBED_URL, "crm-1", "+129")
        with pytest.raises(AssertionError, match="appUrl refused"):
            await subscribe_container(stack, SNEAKY_URL, "crm-2", "+129")

        async with event_bus(stack) as js:
            sneaky = Subscription(
                app_url=SNEAKY_URL,
                app_id="crm-2",
                containers=(ContainerRef(channel_type="1", container="+129"),),
            )
            store = SubscriptionStore(await js.key_value(SUBSCRIPTIONS_BUCKET))
            await store.update(sneaky.key, lambda _: sneaky)
            await publish(js, UserChanged(user_id="harri", user=USER))
            await publish(
                js, PhoneCallChanged(container_id="+129", phone_call=phone_call("c", "+129"))
            )
        user, call = await receiver.wait_count(2)
        assert (user.operation, user.app_ids) == ("userChanged", ("crm-1",))
        assert (call.operation, call.app_ids) == ("phoneCallChanged", ("crm-1",))
        # Mapped to the receiver's port, then 127.0.0.1 named by reverse DNS.
        assert user.headers["Host"] == f"localhost:{receiver.port}"
        assert user.path == "/sap/bc/srt/IciEvent"
        delivery = await notifier_delivery(stack)
        assert delivery["refused"] == 1, delivery  # crm-2's URL, once mapped

        # UpdateSettings: the notifier reads the parameters again (here: the mapping).
        moved = await CrmStandIn().start()
        try:
            with sqlite3.connect(stack.data_dir / "oii.sqlite3") as database:
                database.execute(
                    "UPDATE module_parameters SET value = ? WHERE name = 'OII.MapSubscribeUrl'",
                    (f"127.0.0.2:9,127.0.0.1:{moved.port}",),
                )
            assert "OK" in await admin(stack, "UpdateSettings")
            async with event_bus(stack) as js:
                for attempt in range(50):
                    await publish(js, UserChanged(user_id="HARRI", user=USER))
                    if moved.received:
                        break
                    await asyncio.sleep(0.1)
            [moved_user, *_] = await moved.wait_count(1)
            assert moved_user.headers["Host"] == f"localhost:{moved.port}"
        finally:
            await moved.stop()
        moved_to_first = f"127.0.0.2:9,127.0.0.1:{receiver.port}"
        with sqlite3.connect(stack.data_dir / "oii.sqlite3") as database:
            database.execute(
                "UPDATE module_parameters SET value = ? WHERE name = 'OII.MapSubscribeUrl'",
                (moved_to_first,),
            )
        assert "OK" in await admin(stack, "UpdateSettings")
        await asyncio.sleep(0.5)  # the reload is asynchronous
        receiver.received.clear()

        assert "Stopped" in await admin(stack, "Stop")
        got = await receiver.wait_for(
            lambda got: any(each.operation == "subscriptionEnded" for each in got)
        )
        [paused] = got
        assert paused.app_ids == ("crm-1",)
        assert reason(paused)[0] == "2"
        assert "Connected" in await admin(stack, "Start")

        # SIGTERM, as a service manager stops it; the receiver must keep answering meanwhile.
        stack.process.send_signal(signal.SIGTERM)
        for _ in range(300):
            if stack.process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        stop_stack(stack)
        ended = receiver.of("subscriptionEnded")
        assert [(each.app_ids, reason(each)[0]) for each in ended] == [
            (("crm-1",), "2"),
            (("crm-1",), "1"),
        ]
        assert reason(ended[1])[1]
        assert re.search(r"subscriptionEnded \(1\) sent for 2 session\(s\); 2 subscription",
                         stack.console()), stack.console_tail()  # fmt: skip
    finally:
        await receiver.stop()
