"""The notifier process killed or stopped and started again; the operator's end of sessions.

These tests run what the stack runs for the notifier themselves, to kill and start
it at will: a nats-server, the init job (migrations and the demo configuration),
and ``python -m oii_notifier`` with the environment the stack's catalog gives it.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from nats.js import JetStreamContext
from nats.js.kv import KeyValue
from notifier_crm import phone_call
from stacklib import REPO_ROOT

from oii_shared.bus.connect import close, connect
from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import PhoneCallChanged
from oii_shared.bus.kv import live_count
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET, ensure_topology
from oii_shared.channels import container_key
from oii_shared.crm_stand_in import CrmStandIn
from oii_shared.embedded.catalog import StackAddresses, StackSecrets, default_catalog
from oii_shared.embedded.nats_server import start_nats_server
from oii_shared.embedded.ports import free_port
from oii_shared.headers import INTERNAL_TOKEN_HEADER
from oii_shared.paths import END_SESSIONS
from oii_shared.settings import Settings
from oii_shared.subscriptions.model import ContainerRef, Subscription

pytestmark = pytest.mark.stack

LINE = "+4930555"
SECRETS = StackSecrets.from_env({})
HEALTHY_TIMEOUT_S = 30.0


@dataclass
class NotifierProcess:
    env: dict[str, str]
    log_path: Path
    url: str
    process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "oii_notifier",
                cwd=REPO_ROOT, env=self.env, stdout=log, stderr=log,
                stdin=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
        deadline = time.monotonic() + HEALTHY_TIMEOUT_S
        async with aiohttp.ClientSession() as session:
            while True:
                assert self.process.returncode is None, f"notifier exited:\n{self.log()}"
                try:
                    async with session.get(f"{self.url}/healthz") as answer:
                        if answer.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                assert time.monotonic() < deadline, f"notifier not healthy:\n{self.log()}"
                await asyncio.sleep(0.1)

    async def signal(self, signum: signal.Signals) -> int:
        assert self.process is not None
        self.process.send_signal(signum)
        return await asyncio.wait_for(self.process.wait(), 20)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]


@dataclass
class MiniStack:
    notifier: NotifierProcess
    js: JetStreamContext
    subscriptions: KeyValue


@pytest.fixture
async def mini_stack(tmp_path: Path) -> AsyncIterator[MiniStack]:
    data_dir = tmp_path / "data"
    nats = await start_nats_server(data_dir / "nats", log_file=tmp_path / "nats.log")
    catalog = default_catalog()
    [spec] = [service for service in catalog.internal if service.name == "notifier"]
    port = free_port()
    addresses = StackAddresses(
        host="127.0.0.1",
        ports={"notifier": port},
        urls={},
        nats_url=nats.url,
        database_url=Settings(data_dir=data_dir).resolved_database_url,
        data_dir=str(data_dir),
        secrets=SECRETS,
    )
    base = {key: value for key, value in os.environ.items() if not key.startswith("OII_")}
    init = await asyncio.create_subprocess_exec(
        sys.executable, "-m", catalog.init.module, cwd=REPO_ROOT,
        env={**base, **catalog.job_environment(catalog.init, addresses)},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, errors = await init.communicate()
    assert init.returncode == 0, errors.decode()
    # Unfinished events come back 2 s after a crash instead of 30.
    env = {**base, **catalog.service_environment(spec, addresses), "OII_EVENT_ACK_WAIT_S": "2"}
    notifier = NotifierProcess(env, tmp_path / "notifier.log", f"http://127.0.0.1:{port}")
    nc = await connect(Settings(nats_url=nats.url), "test")
    js = nc.jetstream()
    await ensure_topology(js)
    try:
        yield MiniStack(notifier, js, await js.key_value(SUBSCRIPTIONS_BUCKET))
    finally:
        if notifier.process is not None and notifier.process.returncode is None:
            notifier.process.kill()
            await notifier.process.wait()
        await close(nc)
        await nats.stop()


async def subscribe(kv: KeyValue, url: str, app_id: str) -> None:
    ref = ContainerRef(channel_type="1", container=container_key(LINE))
    session = Subscription(app_url=url, app_id=app_id, containers=(ref,), created_at=time.time())
    await kv.put(session.key, session.model_dump_json().encode())


async def publish_calls(js: JetStreamContext, names: list[str]) -> None:
    for name in names:
        await publish(js, PhoneCallChanged(container_id=LINE, phone_call=phone_call(name, LINE)))


async def test_a_killed_notifier_started_again_loses_no_event(mini_stack: MiniStack) -> None:
    receiver = await CrmStandIn(delay_s=1.0).start()
    try:
        await subscribe(mini_stack.subscriptions, receiver.url(), "crm")
        await mini_stack.notifier.start()
        before = [f"before-{n}" for n in range(4)]
        await publish_calls(mini_stack.js, before)
        await receiver.wait_count(1)  # the first is being answered, the others wait in the lane
        assert await mini_stack.notifier.signal(signal.SIGKILL) == -signal.SIGKILL
        during = [f"during-{n}" for n in range(4)]
        await publish_calls(mini_stack.js, during)
        await mini_stack.notifier.start()
        wanted = set(before + during)
        await receiver.wait_for(
            lambda got: wanted <= {each.text("phoneCall/callHandle") for each in got},
            within_s=30,
            what=f"every one of {sorted(wanted)}",
        )
        # Killed, not stopped: CRM was not told, and the subscription is still there.
        assert not receiver.of("subscriptionEnded")
        assert await live_count(mini_stack.js, SUBSCRIPTIONS_BUCKET) == 1
    finally:
        await receiver.stop()


async def test_a_killed_notifier_never_sends_an_older_state_after_a_newer_one(
    mini_stack: MiniStack,
) -> None:
    """The states of one call, CRM slow to answer; the notifier dies mid-way and restarts."""
    receiver = await CrmStandIn(delay_s=0.5).start()
    try:
        await subscribe(mini_stack.subscriptions, receiver.url(), "crm")
        await mini_stack.notifier.start()
        states = [str(n) for n in range(1, 7)]  # processingStatus ids, in the call's order
        for state in states[:4]:
            call = phone_call("the-call", LINE)
            call["processingStatus"] = {"id": state, "description": f"state {state}"}
            await publish(mini_stack.js, PhoneCallChanged(container_id=LINE, phone_call=call))
        await receiver.wait_count(2)
        assert await mini_stack.notifier.signal(signal.SIGKILL) == -signal.SIGKILL
        for state in states[4:]:
            call = phone_call("the-call", LINE)
            call["processingStatus"] = {"id": state, "description": f"state {state}"}
            await publish(mini_stack.js, PhoneCallChanged(container_id=LINE, phone_call=call))
        await mini_stack.notifier.start()
        await receiver.wait_for(
            lambda got: got and got[-1].text("phoneCall/processingStatus/id") == states[-1],
            within_s=30,
            what="the call's last state",
        )
        seen = [each.text("phoneCall/processingStatus/id") for each in receiver.received]
        # Never a state older than one CRM had (the newest before the crash may come twice;
        # a state the dead notifier held but had not sent may be passed over for a newer one),
        # and every state published after the crash.
        assert all(int(a) <= int(b) for a, b in itertools.pairwise(seen)), seen
        assert {"1", "5", "6"} <= set(seen), seen
    finally:
        await receiver.stop()


async def test_a_notifier_stopped_in_order_keeps_every_session(mini_stack: MiniStack) -> None:
    receiver = await CrmStandIn().start()
    try:
        await subscribe(mini_stack.subscriptions, receiver.url(), "crm")
        await mini_stack.notifier.start()
        # uvicorn shuts down in order, then ends by the signal it caught.
        assert await mini_stack.notifier.signal(signal.SIGTERM) == -signal.SIGTERM
        assert await live_count(mini_stack.js, SUBSCRIPTIONS_BUCKET) == 1
        await mini_stack.notifier.start()
        await publish_calls(mini_stack.js, ["after-restart"])
        [event] = await receiver.wait_count(1)
        # The first thing CRM hears after the restart is the event, not a goodbye.
        assert event.operation == "phoneCallChanged"
    finally:
        await receiver.stop()


async def test_the_operators_end_of_sessions_ends_every_subscription(
    mini_stack: MiniStack,
) -> None:
    first = await CrmStandIn().start()
    second = await CrmStandIn().start()
    try:
        await subscribe(mini_stack.subscriptions, first.url(), "crm-b")
        await subscribe(mini_stack.subscriptions, first.url(), "crm-a")
        await subscribe(mini_stack.subscriptions, second.url(), "crm-c")
        await mini_stack.notifier.start()
        url = mini_stack.notifier.url + END_SESSIONS
        async with aiohttp.ClientSession() as session:
            async with session.post(url) as refused:
                assert refused.status == 403  # only the suite's own token may
            headers = {INTERNAL_TOKEN_HEADER: SECRETS.internal_token}
            async with session.post(url, headers=headers) as answer:
                assert answer.status == 200, await answer.text()
                assert (await answer.json()) == {"sessions_ended": 3}
        for receiver, app_ids in ((first, ("crm-a", "crm-b")), (second, ("crm-c",))):
            [ended] = receiver.received
            assert (ended.operation, ended.app_ids) == ("subscriptionEnded", app_ids)
            assert ended.text("reason/id") == "1"
        assert await live_count(mini_stack.js, SUBSCRIPTIONS_BUCKET) == 0
    finally:
        await first.stop()
        await second.stop()
