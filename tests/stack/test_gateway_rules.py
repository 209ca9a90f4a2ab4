"""The gateway's rules (spec 7.1, ARCHITECTURE "SOAP rules"), checked over HTTP as CRM calls.

Bad requests are aimed at the telephony service (SOAPAction IciPhoneCallBean, path
IciPhoneCallService.asmx). That they never reach it is shown in a stack whose
telephony process is frozen (SIGSTOP): a request that got through would hang until
the forward timeout and come back as "Service timed out", not as its Client fault.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pytest
from stacklib import (
    Stack,
    assert_fault,
    assert_response,
    check_product_information,
    envelope,
    own_stack,
    process_state,
    soap,
    soap_action,
    wait_for,
)

from oii_shared.channels import Channel
from oii_shared.items.ids import new_item_id
from oii_shared.soap.faults import Errors, IciError

pytestmark = pytest.mark.stack

OII_ASMX = "/OII/OII.asmx"
PHONE_CALL_PATH = "/OII/IciPhoneCallService.asmx"
PHONE_CALL_ACTION = soap_action("IciPhoneCall")
MAX_BODY_BYTES = 1_048_576  # OII_MAX_BODY_BYTES default
FORWARD_TIMEOUT_MS = 1000

DIAL_XML = (
    '<dial xmlns="urn:IciPhoneCallInterface"><lineNumber>+129</lineNumber>'
    "<callHandle>A163FDACEE7A476BAB59E15C81B6D4F2</callHandle>"
    "<dialNumber>{number}</dialNumber></dial>"
)
DIAL = envelope(DIAL_XML.format(number="+130"))
PRODUCT_INFORMATION = envelope(
    '<exchangeProductInformation xmlns="urn:IciSystemInterface">'
    '<iciVersion xmlns="">3.00</iciVersion></exchangeProductInformation>'
)
# A request too large by one byte: a valid dial if the size were not checked.
_PADDING = MAX_BODY_BYTES + 1 - len(DIAL_XML.format(number="")) - len(envelope(""))
OVERSIZED_DIAL = envelope(DIAL_XML.format(number="1" * _PADDING))
assert len(OVERSIZED_DIAL) == MAX_BODY_BYTES + 1

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'.encode()
        for n in range(1, 10)
    )
    + b"]>\n"
    + envelope(DIAL_XML.format(number="&lol9;")).split(b"?>", 1)[1]
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + envelope(DIAL_XML.format(number="&xxe;")).split(b"?>", 1)[1]
)
# The same DTD in UTF-16: no "<!DOCTYPE" bytes for a naive filter to see.
UTF16_DTD = (
    '<?xml version="1.0" encoding="utf-16"?>\n<!DOCTYPE d [<!ENTITY n "+130">]>\n'
    + envelope(DIAL_XML.format(number="&n;")).decode().split("?>", 1)[1]
).encode("utf-16")


def chunks(data: bytes, size: int = 64 * 1024) -> Callable[[], Iterable[bytes]]:
    """A body sent with Transfer-Encoding: chunked, no Content-Length."""

    def body() -> Iterator[bytes]:
        for start in range(0, len(data), size):
            yield data[start : start + size]

    return body


@dataclass(frozen=True)
class BadRequest:
    name: str
    path: str
    soap_action: str | None
    body: bytes | Callable[[], Iterable[bytes]]
    error: IciError

    def send(self, base_url: str) -> None:
        body = self.body() if callable(self.body) else self.body
        assert_fault(soap(base_url, self.path, body, self.soap_action), self.error)


BAD_REQUESTS = [
    BadRequest("malformed", OII_ASMX, PHONE_CALL_ACTION, DIAL[:-30], Errors.MALFORMED_XML),
    BadRequest("malformed-direct", PHONE_CALL_PATH, None, DIAL[:-30], Errors.MALFORMED_XML),
    BadRequest("not-xml", OII_ASMX, PHONE_CALL_ACTION, b"dial +130", Errors.MALFORMED_XML),
    BadRequest("empty", OII_ASMX, PHONE_CALL_ACTION, b"", Errors.MALFORMED_XML),
    BadRequest(
        "not-soap", OII_ASMX, PHONE_CALL_ACTION, DIAL_XML.format(number="1").encode(),
        Errors.NOT_SOAP,
    ),
    BadRequest("billion-laughs", OII_ASMX, PHONE_CALL_ACTION, BILLION_LAUGHS, Errors.DTD_FORBIDDEN),
    BadRequest(
        "billion-laughs-direct", PHONE_CALL_PATH, None, BILLION_LAUGHS, Errors.DTD_FORBIDDEN
    ),
    BadRequest(
        "external-entity", OII_ASMX, PHONE_CALL_ACTION, EXTERNAL_ENTITY, Errors.DTD_FORBIDDEN
    ),
    BadRequest("utf16-dtd", OII_ASMX, PHONE_CALL_ACTION, UTF16_DTD, Errors.DTD_FORBIDDEN),
    BadRequest(
        "unknown-soap-action", OII_ASMX, soap_action("IciPhoneCallz"), DIAL,
        Errors.UNKNOWN_SOAP_ACTION,
    ),
    BadRequest("no-soap-action", OII_ASMX, None, DIAL, Errors.UNKNOWN_SOAP_ACTION),
    BadRequest(
        "unknown-path", "/OII/IciPhoneCallzService.asmx", PHONE_CALL_ACTION, DIAL,
        Errors.UNKNOWN_PATH,
    ),
    BadRequest("unknown-path-2", "/OII/phone", PHONE_CALL_ACTION, DIAL, Errors.UNKNOWN_PATH),
    BadRequest(
        "unknown-operation", OII_ASMX, PHONE_CALL_ACTION,
        envelope('<fly xmlns="urn:IciPhoneCallInterface"><lineNumber>+129</lineNumber></fly>'),
        Errors.UNKNOWN_OPERATION,
    ),
    BadRequest(
        "unknown-operation-direct", PHONE_CALL_PATH, None,
        envelope('<fly xmlns="urn:IciPhoneCallInterface"/>'), Errors.UNKNOWN_OPERATION,
    ),
    BadRequest(
        "oversized", OII_ASMX, PHONE_CALL_ACTION, OVERSIZED_DIAL, Errors.BODY_TOO_LARGE
    ),
    BadRequest(
        "oversized-chunked", OII_ASMX, PHONE_CALL_ACTION, chunks(OVERSIZED_DIAL),
        Errors.BODY_TOO_LARGE,
    ),
    BadRequest(
        "oversized-chunked-direct", PHONE_CALL_PATH, None, chunks(OVERSIZED_DIAL),
        Errors.BODY_TOO_LARGE,
    ),
]  # fmt: skip


# --------------------------------------------------------------------------- default stack


@pytest.mark.parametrize("bad", [pytest.param(bad, id=bad.name) for bad in BAD_REQUESTS])
def test_bad_request_gets_its_client_fault(stack: Stack, bad: BadRequest) -> None:
    bad.send(stack.base_url)


def test_crm_style_prefix_and_unqualified_children(stack: Stack) -> None:
    # As SAP CRM writes it. iciVersion is only echoed when the child is read:
    # otherwise the answer would carry the newest version OII implements.
    body = envelope(
        '<n0:exchangeProductInformation xmlns:n0="urn:IciSystemInterface">'
        "<iciVersion>3.00</iciVersion></n0:exchangeProductInformation>"
    )
    answer = soap(stack.base_url, OII_ASMX, body, soap_action("IciSystem"))
    check_product_information(answer, "3.00")


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(soap_action("IciSystem"), id="unquoted"),
        pytest.param(f'"{soap_action("IciSystem")}"', id="quoted"),
    ],
)
def test_soap_action_quoted_or_not(stack: Stack, header: str) -> None:
    check_product_information(soap(stack.base_url, OII_ASMX, PRODUCT_INFORMATION, header), "3.00")


def test_body_of_exactly_the_limit_is_accepted(stack: Stack) -> None:
    padding = b" " * (MAX_BODY_BYTES - len(PRODUCT_INFORMATION))
    body = PRODUCT_INFORMATION.replace(b"<soap:Body>", b"<soap:Body>" + padding)
    assert len(body) == MAX_BODY_BYTES
    answer = soap(stack.base_url, OII_ASMX, body, soap_action("IciSystem"))
    check_product_information(answer, "3.00")


@pytest.mark.parametrize(
    ("path", "action"),
    [
        pytest.param(OII_ASMX, soap_action("IciItem"), id="oii-asmx"),
        pytest.param("/OII/IciItemService.asmx", None, id="direct"),
    ],
)
@pytest.mark.parametrize("operation", ["accept", "getAttachedData", "wrapUpEnded"])
# A call id telephony never made (telephony says so), and an id no channel makes (the gateway).
@pytest.mark.parametrize("item_id", [new_item_id(Channel.PHONE), "0" + uuid.uuid4().hex[1:]])
def test_item_operation_on_unknown_item(
    stack: Stack, path: str, action: str | None, operation: str, item_id: str
) -> None:
    body = envelope(
        f'<{operation} xmlns="urn:IciItemInterface"><itemId>{item_id}</itemId>'
        f"<containerId>+129</containerId></{operation}>"
    )
    fault = assert_fault(soap(stack.base_url, path, body, action), Errors.UNKNOWN_ITEM)
    assert fault.faultcode == "Client"


def create_item(channel_type: str) -> bytes:
    return envelope(
        '<create xmlns="urn:IciItemInterface">'
        f"<channelType>{channel_type}</channelType><containerId>+129</containerId></create>"
    )


def test_item_create_goes_to_the_channel_service(stack: Stack) -> None:
    # Telephony creates the call (the gateway itself would answer "not served here"). Which
    # service answered is shown with telephony frozen, in
    # test_requests_for_a_hanging_service_time_out.
    answer = soap(stack.base_url, OII_ASMX, create_item("1"), soap_action("IciItem"))
    response = assert_response(answer, "IciItem", "create").find("{urn:IciItemInterface}response")
    assert response is not None, answer
    item_id = response.findtext("itemId") or ""
    assert re.fullmatch(r"[0-9A-F]{32}", item_id), answer
    assert response.findtext("status/id") == "1", answer
    # The created call is dropped again: the session's stack is shared.
    drop = envelope(
        '<drop xmlns="urn:IciPhoneCallInterface"><lineNumber>+129</lineNumber>'
        f"<callHandle>{item_id}</callHandle></drop>"
    )
    assert_response(soap(stack.base_url, OII_ASMX, drop, PHONE_CALL_ACTION), "IciPhoneCall", "drop")


def test_item_create_with_unknown_channel_type(stack: Stack) -> None:
    answer = soap(stack.base_url, OII_ASMX, create_item("9"), soap_action("IciItem"))
    assert_fault(answer, Errors.INVALID_ARGUMENT)


# --------------------------------------------------------------------------- telephony frozen


@pytest.fixture(scope="module")
def short_timeout_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own: its telephony process gets frozen, the forward timeout is short."""
    with own_stack(
        tmp_path_factory.mktemp("short-timeout"),
        extra_env={"OII_FORWARD_TIMEOUT_MS": str(FORWARD_TIMEOUT_MS)},
    ) as running:
        yield running


@contextlib.contextmanager
def frozen(pid: int) -> Iterator[None]:
    """SIGSTOP: the process keeps its sockets (connections are accepted) but answers nothing."""
    os.kill(pid, signal.SIGSTOP)
    try:
        wait_for(lambda: process_state(pid) == "T", 5, f"pid {pid} did not stop")
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def test_requests_for_a_hanging_service_time_out(short_timeout_stack: Stack) -> None:
    base_url = short_timeout_stack.base_url
    # Positive control: telephony answers while it runs (the gateway does not know call
    # handles: "Unknown item" for the dial of a call that does not exist is telephony's).
    assert_fault(soap(base_url, OII_ASMX, DIAL, PHONE_CALL_ACTION), Errors.UNKNOWN_ITEM)
    with frozen(short_timeout_stack.pid_of("telephony")):
        answer = soap(base_url, OII_ASMX, DIAL, PHONE_CALL_ACTION)
        fault = assert_fault(answer, Errors.SERVICE_TIMEOUT)
        assert fault.retry, answer
        # Well under the default forward timeout of 10 s: the setting is honoured.
        assert answer.elapsed_s < FORWARD_TIMEOUT_MS / 1000 + 3, answer.elapsed_s
        # IciItem.create goes by channel type: 1 to the frozen telephony, 2 to messaging.
        created = soap(base_url, OII_ASMX, create_item("1"), soap_action("IciItem"))
        assert_fault(created, Errors.SERVICE_TIMEOUT)
        assert "telephony" in created.fault().faultstring, created
        created = soap(base_url, OII_ASMX, create_item("2"), soap_action("IciItem"))
        assert_fault(created, Errors.NOT_SUPPORTED_YET)
        # The gateway's own operations do not depend on telephony.
        check_product_information(
            soap(base_url, OII_ASMX, PRODUCT_INFORMATION, soap_action("IciSystem")), "3.00"
        )


def test_bad_requests_never_reach_the_service(short_timeout_stack: Stack) -> None:
    # A bad request forwarded to the frozen telephony would come back as "Service timed out".
    failures = []
    with frozen(short_timeout_stack.pid_of("telephony")):
        for bad in BAD_REQUESTS:
            try:
                bad.send(short_timeout_stack.base_url)
            except AssertionError as failure:
                failures.append(f"{bad.name}: {failure}")
    assert not failures, "\n".join(failures)


def test_health_names_the_hanging_service_and_recovers(short_timeout_stack: Stack) -> None:
    running = short_timeout_stack
    with frozen(running.pid_of("telephony")):
        _, body = wait_for(
            lambda: (health := running.health())[0] == 503 and health,
            10,
            "/healthz did not turn 503",
        )
        assert body["status"] != "ok" and body["down"] == ["telephony"], body
        assert body["components"]["telephony"]["status"] != "ok", body
    wait_for(lambda: running.health()[0] == 200, 10, "/healthz did not recover after SIGCONT")
    assert_fault(soap(running.base_url, OII_ASMX, DIAL, PHONE_CALL_ACTION), Errors.UNKNOWN_ITEM)


# --------------------------------------------------------------------------- allowlist


def test_soap_allow_refuses_other_addresses(start_extra_stack: Callable[..., Stack]) -> None:
    running = start_extra_stack({"OII_SOAP_ALLOW": "10.0.0.0/8"})
    product = soap(running.base_url, OII_ASMX, PRODUCT_INFORMATION, soap_action("IciSystem"))
    assert_fault(product, Errors.FORBIDDEN)
    # Refused before forwarding: telephony would have answered "Unknown item".
    assert_fault(soap(running.base_url, OII_ASMX, DIAL, PHONE_CALL_ACTION), Errors.FORBIDDEN)
    assert_fault(soap(running.base_url, PHONE_CALL_PATH, DIAL), Errors.FORBIDDEN)
