"""The status page (spec 3.4.2) and the local-only admin operations of OII.asmx (spec 3.4.1)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from lxml import etree
from stacklib import (
    Stack,
    StartStack,
    admin,
    assert_fault,
    assert_response,
    envelope,
    soap,
    soap_action,
    wait_for,
)

from oii_shared.soap.faults import Errors

pytestmark = pytest.mark.stack

EXCHANGE = envelope(
    '<n0:exchangeProductInformation xmlns:n0="urn:IciSystemInterface">'
    "<iciVersion>3.00</iciVersion></n0:exchangeProductInformation>"
)
SERVICES = ("telephony", "messaging", "chat", "action", "sapphone", "notifier")


def asmx_string(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(answer.content)
    assert root.tag == "{http://tempuri.org/}string"
    return root.text or ""


def test_status_page_shows_the_fields_of_spec_3_4_2(stack: Stack) -> None:
    answer = httpx.get(f"{stack.base_url}/OII/default.aspx", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    page = answer.text
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>(.*?)</td></tr>", page))
    for field in (
        "Title",
        "Version",
        "Application state",
        "NATS state",
        "Objects",
        "Services",
        "Server time",
        "Server UTC time",
        "Log level",
        "Last Err",
    ):
        assert field in rows, f"status page has no {field} row: {page}"
    assert rows["Application state"] == "Connected"
    assert rows["NATS state"].startswith("Connected")
    # The demo configuration: 4 users, no items and no subscriptions yet.
    assert re.fullmatch(r"Users:4 Queues:\d+ Items:0 Subs:0", rows["Objects"]), rows["Objects"]
    for service in SERVICES:
        assert f"{service} UP" in rows["Services"], rows["Services"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", rows["Server UTC time"])


def test_read_only_admin_operations(stack: Stack) -> None:
    assert asmx_string(admin(stack, "GetState")) == "Connected"
    users = asmx_string(admin(stack, "EnumUsers"))
    assert [line.split("\t")[0] for line in users.splitlines()] == ["ANNA", "BERT", "CARL", "HARRI"]
    assert "phone=+129" in users
    assert asmx_string(admin(stack, "EnumItems")) == ""
    assert asmx_string(admin(stack, "EnumClients")) == ""
    index = httpx.get(f"{stack.base_url}/OII/OII.asmx", timeout=10)
    assert index.status_code == 200 and "GetState" in index.text and "SetLogLevel" in index.text


def test_log_path_names_the_file_every_service_writes_to(stack: Stack) -> None:
    path = Path(asmx_string(admin(stack, "getlogpath")))
    assert path == stack.data_dir / "logs" / "oii.log"
    text = path.read_text()
    for service in ("gateway", *SERVICES):
        assert re.search(rf"^{service}\s+\| ", text, re.MULTILINE), f"no {service} line in {path}"


def test_operations_that_change_state_want_post(stack: Stack) -> None:
    for operation in ("Stop", "Start", "UpdateSettings", "SetLogLevel"):
        answer = admin(stack, operation)
        assert answer.status_code == 405
        assert "POST" in answer.json()["error"]
    assert asmx_string(admin(stack, "GetState")) == "Connected"


def test_unknown_operation_and_bad_level_are_json_errors(stack: Stack) -> None:
    unknown = admin(stack, "Unload")
    assert unknown.status_code == 404 and "GetState" in unknown.json()["error"]
    bad = admin(stack, "SetLogLevel", "POST", level="LOUD")
    assert bad.status_code == 400 and "LOUD" in bad.json()["error"]


def test_set_log_level_reaches_every_service(stack: Stack) -> None:
    try:
        assert asmx_string(admin(stack, "SetLogLevel", "POST", level="debug")) == "DEBUG"

        def all_debug() -> bool:
            _, body = stack.health()
            levels = {
                name: component.get("health", {}).get("log_level")
                for name, component in body["components"].items()
                if name in SERVICES
            }
            return set(levels.values()) == {"DEBUG"} and body["log_level"] == "DEBUG"

        wait_for(all_debug, 10, "every service at DEBUG", explain=lambda: str(stack.health()))
    finally:
        assert asmx_string(admin(stack, "SetLogLevel", "POST", level="INFO")) == "INFO"


def test_update_settings_is_acknowledged(stack: Stack) -> None:
    assert asmx_string(admin(stack, "UpdateSettings", "POST")) == "OK"


def test_stop_pauses_the_integration_until_start(stack: Stack) -> None:
    action = soap_action("IciSystem")
    try:
        assert asmx_string(admin(stack, "Stop", "POST")) == "Stopped"
        assert asmx_string(admin(stack, "GetState")) == "Stopped"
        assert_fault(soap(stack.base_url, "/OII/OII.asmx", EXCHANGE, action), Errors.STOPPED)
    finally:
        assert asmx_string(admin(stack, "Start", "POST")) == "Connected"
    answer = soap(stack.base_url, "/OII/OII.asmx", EXCHANGE, action)
    assert_response(answer, "IciSystem", "exchangeProductInformation")


def test_admin_and_status_refuse_clients_outside_their_allowlists(
    start_extra_stack: StartStack,
) -> None:
    stack = start_extra_stack({"OII_ADMIN_ALLOW": "10.0.0.0/8", "OII_SOAP_ALLOW": "10.0.0.0/8"})
    for operation in ("GetState", "EnumUsers"):
        answer = admin(stack, operation)
        assert answer.status_code == 403
        assert "local" in answer.json()["error"]
    assert admin(stack, "Stop", "POST").status_code == 403
    assert httpx.get(f"{stack.base_url}/OII/OII.asmx", timeout=10).status_code == 403
    status = httpx.get(f"{stack.base_url}/OII/default.aspx", timeout=10)
    assert status.status_code == 403 and "error" in status.json()
    # Health stays readable for the supervisor and orchestrators.
    assert stack.health()[0] == 200
