"""Inside the suite: internal ports answer the gateway only, NATS wants the stack's credentials."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest
from nats.aio.client import Client as NatsClient
from nats.errors import Error as NatsError
from stacklib import Stack, assert_fault, assert_response, envelope, soap, soap_action

from oii_shared.bus.connect import close, connect
from oii_shared.soap.faults import Errors

pytestmark = pytest.mark.stack

LINE_CALLS = envelope(
    '<getCalls xmlns="urn:IciPhoneLineInterface"><lineNumber>+129</lineNumber></getCalls>'
)
PATH = "/OII/IciPhoneLineService.asmx"


def test_an_internal_port_refuses_a_soap_client_that_is_not_the_gateway(stack: Stack) -> None:
    telephony = stack.info["services"]["telephony"]
    action = soap_action("IciPhoneLine")
    assert_fault(soap(telephony, PATH, LINE_CALLS, action), Errors.FORBIDDEN)
    wrong = {"X-OII-Internal-Token": "guess"}
    assert_fault(soap(telephony, PATH, LINE_CALLS, action, headers=wrong), Errors.FORBIDDEN)
    # The gateway's token is what passes, and the gateway itself forwards with it.
    direct = soap(telephony, PATH, LINE_CALLS, action, headers=stack.internal_headers)
    assert_response(direct, "IciPhoneLine", "getCalls")
    assert_response(soap(stack.base_url, PATH, LINE_CALLS, action), "IciPhoneLine", "getCalls")


def test_an_internal_port_refuses_its_json_routes_but_answers_health_probes(stack: Stack) -> None:
    telephony = stack.info["services"]["telephony"]
    call = httpx.post(f"{telephony}/api/v1/sim/calls", json={"from": "+4930", "to": "2001"})
    assert call.status_code == 403 and "gateway" in call.json()["error"]
    for name, url in stack.info["services"].items():
        if name != "gateway":
            assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200, name
            assert httpx.get(f"{url}/docs", timeout=10).status_code == 403, name


async def test_nats_refuses_a_client_without_the_stacks_credentials(stack: Stack) -> None:
    anonymous = NatsClient()
    with pytest.raises((NatsError, OSError)):
        await anonymous.connect(
            servers=[stack.info["nats_url"]], allow_reconnect=False, connect_timeout=5
        )
    await anonymous.close()
    settings = stack.nats_settings()
    wrong = settings.model_copy(update={"nats_password": "not-it"})
    with pytest.raises((NatsError, OSError)):
        await connect(wrong, "intruder", first_connect_timeout=5)
    client = await connect(settings, "stack-test")
    try:
        assert client.is_connected
    finally:
        await close(client)


def test_the_nats_password_is_in_no_command_line_and_its_file_is_the_owners(stack: Stack) -> None:
    password = stack.env["OII_NATS_PASSWORD"].encode()
    for pid in stack.info["pids"].values():
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        assert password not in cmdline, pid
    conf = stack.data_dir / "nats" / "authorization.conf"
    assert stat.S_IMODE(conf.stat().st_mode) == 0o600
    assert b"password" not in Path(stack.data_dir / "stack.json").read_bytes()
