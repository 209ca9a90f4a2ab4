"""A CRM session cannot drive the admin operations through its event URL (issue: SSRF into admin).

The attack: subscribe with ``appUrl`` = the gateway's own ``/OII/OII.asmx/Stop`` and
change a workmode, so that the notifier's event POST (from loopback, which
OII_ADMIN_ALLOW trusts) stops OII. It fails at each layer: the subscribe, the
notifier's guard at delivery, and the gateway, which refuses the notifier's POST even
where an operator opened the guard for that URL.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from notifier_crm import event_bus, notifier_delivery, subscribe_user
from stacklib import Stack, StartStack, admin, free_port, wait_for

from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import UserChanged
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET
from oii_shared.subscriptions.model import Subscription
from oii_shared.subscriptions.store import SubscriptionStore

pytestmark = pytest.mark.stack

USER = {"userId": "HARRI", "currentWorkmode": {"id": "2", "description": "Logged on - ready"}}


def asmx_text(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text
    return answer.text


async def store_session(stack: Stack, app_url: str, app_id: str) -> None:
    """A session that never went through subscribe (stored before a rule changed, say)."""
    async with event_bus(stack) as js:
        session = Subscription(app_url=app_url, app_id=app_id, users=("harri",))
        store = SubscriptionStore(await js.key_value(SUBSCRIPTIONS_BUCKET))
        await store.update(session.key, lambda _: session)


async def test_event_urls_into_the_suite_are_refused_everywhere(
    start_extra_stack: StartStack, tmp_path: Path
) -> None:
    port = free_port()
    allowed_by_operator = f"http://127.0.0.1:{port}/OII/OII.asmx/Stop"
    stack = start_extra_stack(
        {"OII_GATEWAY_PORT": str(port), "OII_EVENT_ALLOW_SUITE": allowed_by_operator}
    )
    monitoring = stack.info["nats_monitoring_url"]
    telephony = stack.info["services"]["telephony"]

    # 1. At subscribe: every spelling of the suite's own listeners.
    for url in (
        f"http://127.0.0.1:{port}/OII/OII.asmx/Start",
        f"http://localhost:{port}/OII/OII.asmx/Stop",
        f"http://127.0.0.9:{port}/OII/OII.asmx/SetLogLevel?level=DEBUG",
        f"http://[::ffff:127.0.0.1]:{port}/OII/OII.asmx/Stop",
        f"{monitoring}/connz",
        f"{telephony}/api/v1/sim/calls",
    ):
        with pytest.raises(AssertionError, match="appUrl refused"):
            await subscribe_user(stack, url, "attacker", "HARRI")

    # 2. At delivery: a session that points into the suite gets nothing.
    await store_session(stack, f"http://localhost:{port}/OII/OII.asmx/Stop", "sneaky")
    # 3. The URL the operator allowed reaches the gateway, which refuses the event POST.
    await subscribe_user(stack, allowed_by_operator, "allowed", "HARRI")
    async with event_bus(stack) as js:
        await publish(js, UserChanged(user_id="harri", user=USER))

    async def refused_and_rejected() -> dict[str, int]:
        while True:
            delivery = await notifier_delivery(stack)
            if delivery["refused"] >= 1 and delivery["rejected"] >= 1:
                return delivery
            await asyncio.sleep(0.1)

    delivery = await asyncio.wait_for(refused_and_rejected(), 20)
    assert delivery["refused"] == 1 and delivery["rejected"] == 1, delivery
    wait_for(
        lambda: "refused by CRM: HTTP 403" in stack.console(),
        10,
        "the gateway's refusal in the notifier's log",
        explain=stack.console_tail,
    )
    assert asmx_text(admin(stack, "GetState")).endswith(">Connected</string>")
    _, health = stack.health()
    assert health["log_level"] == "INFO"
