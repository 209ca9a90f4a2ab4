"""Nothing confidential leaves the stack: credentials, personal data, health details, files.

An appUrl with user info and a password parameter, whose events fail, and a
customer's call: the stack's log, /healthz and the status page name neither the
credentials nor the caller's number (UseSecureLogging is on by default), internal
/healthz details are for the gateway's token only, and the data directory is the
owner's alone.
"""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from notifier_crm import event_bus, notifier_delivery, subscribe_user
from stacklib import Stack, free_port, own_stack, wait_for

from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import UserChanged
from oii_shared.paths import STATUS_PAGE

pytestmark = pytest.mark.stack

USER = {"userId": "HARRI", "currentWorkmode": {"id": "2", "description": "Logged on - ready"}}
CALLER = "+493055501234"
SECRETS = ("crm-secret-1", "sap-secret-2", CALLER, CALLER.lstrip("+"))


@pytest.fixture(scope="module")
def exposed_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # One attempt per event, so that a failed delivery is logged at once.
    env = {"OII_EVENT_RETRY_S": "0"}
    with own_stack(Path(tmp_path_factory.mktemp("exposure")), extra_env=env) as running:
        yield running


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


async def fail_events(stack: Stack, app_url: str) -> None:
    """Subscribe ``app_url``, send it an event, and wait until its delivery failed."""
    await subscribe_user(stack, app_url, "leaky", "HARRI")
    async with event_bus(stack) as js:
        await publish(js, UserChanged(user_id="harri", user=USER))

    async def failed() -> None:
        while True:
            if (await notifier_delivery(stack))["failed"] >= 1:
                return
            await asyncio.sleep(0.1)

    await asyncio.wait_for(failed(), 30)


def test_credentials_and_callers_stay_out_of_logs_health_and_status(exposed_stack: Stack) -> None:
    stack = exposed_stack
    port = free_port()  # nobody listens: every event fails
    app_url = f"http://crm:crm-secret-1@127.0.0.1:{port}/sap/bc/ici?sap-password=sap-secret-2"
    asyncio.run(fail_events(stack, app_url))
    call = httpx.post(
        f"{stack.base_url}/api/v1/sim/calls", json={"from": CALLER, "to": "2001"}, timeout=10
    )
    assert call.status_code < 300, call.text
    # Positive signals: the lines were written, in their redacted form.
    redacted_url = f"http://***@127.0.0.1:{port}/sap/bc/ici?sap-password=***"
    wait_for(lambda: redacted_url in stack.console(), 15, "no redacted delivery failure in the log")
    wait_for(lambda: "from <personal> to 2001 waits" in stack.console(), 15, "no call line")

    assert leaks(stack.console()) == []
    log_files = list((stack.data_dir / "logs").iterdir())
    assert log_files and all(leaks(file.read_text(errors="replace")) == [] for file in log_files)
    status, health = stack.health()
    assert status == 200 and leaks(str(health)) == []
    page = httpx.get(f"{stack.base_url}{STATUS_PAGE}", timeout=10)
    assert page.status_code == 200 and leaks(page.text) == []


def test_internal_health_details_need_the_gateways_token(exposed_stack: Stack) -> None:
    notifier = exposed_stack.info["services"]["notifier"]
    anonymous = httpx.get(f"{notifier}/healthz", timeout=10)
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "ok"}
    detailed = httpx.get(f"{notifier}/healthz", headers=exposed_stack.internal_headers, timeout=10)
    assert "components" in detailed.json() and "last_error" in detailed.json()


def test_the_data_directory_is_the_owners_alone(exposed_stack: Stack) -> None:
    readable_by_others = [
        str(path)
        for path in [exposed_stack.data_dir, *exposed_stack.data_dir.rglob("*")]
        if stat.S_IMODE(path.lstat().st_mode) & 0o077 and not path.is_symlink()
    ]
    assert readable_by_others == []
