"""IciSystem's callback and recording operations through the gateway to telephony-svc.

Callbacks created here are due in 2099, so the call engine of the shared stack
never dials them.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from stacklib import Stack, assert_fault, assert_response, envelope, soap, soap_action

from oii_shared.db.engine import create_engine_for_url
from oii_shared.soap.faults import Errors, IciError
from oii_telephony.recordings.log import Direction, RecordedCall, record_calls

pytestmark = pytest.mark.stack

SYSTEM = "IciSystem"
NS = "urn:IciSystemInterface"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def call(stack: Stack, operation: str, operation_xml: str) -> etree._Element:
    """POST to the one CRM URL with IciSystem's SOAPAction; the ``<operationResponse>``."""
    answer = soap(stack.base_url, "/OII/OII.asmx", envelope(operation_xml), soap_action(SYSTEM))
    return assert_response(answer, SYSTEM, operation)


def unique_number() -> str:
    return "+49" + str(uuid.uuid4().int)[:10]


def listed(stack: Stack) -> dict[str, etree._Element]:
    response = call(stack, "getCallbacks", f'<getCallbacks xmlns="{NS}"/>')
    return {item.findtext("id") or "": item for item in response.findall(f"{{{NS}}}response/item")}


def test_create_update_and_list_callbacks(stack: Stack) -> None:
    number = unique_number()
    created = call(
        stack,
        "createCallback",
        f'<createCallback xmlns="{NS}"><number>{number}</number><queue>Q 2002</queue>'
        "<callTime>2099-06-01 12:00:00</callTime>"
        "<extraData>&lt;XML&gt;&lt;Skills&gt;English=3&lt;/Skills&gt;"
        "&lt;Order&gt;17&lt;/Order&gt;&lt;/XML&gt;</extraData>"
        "<gwPrefix>0</gwPrefix><notes>from the web shop</notes></createCallback>",
    )
    callback_id = created.findtext(f"{{{NS}}}response")
    assert callback_id and len(callback_id) == 36, etree.tostring(created)

    # The same number in the same queue again: NULL (9.1.6).
    again = call(
        stack,
        "createCallBack",
        f'<createCallBack xmlns="{NS}"><number>{number}</number><queue>2002</queue>'
        "</createCallBack>",
    )
    (response,) = again
    assert response.get(f"{{{XSI}}}nil") == "true", etree.tostring(again)

    item = listed(stack)[callback_id]
    assert item.findtext("number") == number
    assert item.findtext("queueNumber") == "2002"
    assert item.findtext("nextCallTime") == "2099-06-01T12:00:00+00:00"
    assert (item.findtext("failures"), item.findtext("maxCalls")) == ("0", "3")
    assert item.find("lastResult") is None
    assert item.find("handledTime").get(f"{{{XSI}}}nil") == "true"  # type: ignore[union-attr]
    assert item.findtext("extraData") == ("<XML><Skills>English=3</Skills><Order>17</Order></XML>")
    assert (item.findtext("notes"), item.findtext("gwPrefix")) == ("from the web shop", "0")

    updated = call(
        stack,
        "updateCallBack",
        f'<updateCallBack xmlns="{NS}"><id>{callback_id}</id><result>NO_ANSWER</result>'
        "<notes>rang twice</notes></updateCallBack>",
    )
    assert len(updated) == 0
    item = listed(stack)[callback_id]
    assert (item.findtext("failures"), item.findtext("lastResult")) == ("1", "NO_ANSWER")
    assert item.findtext("notes") == "rang twice"

    call(
        stack,
        "updateCallBack",
        f'<updateCallBack xmlns="{NS}"><id>{callback_id}</id><result>HANDLED</result>'
        "</updateCallBack>",
    )
    item = listed(stack)[callback_id]
    assert item.findtext("lastResult") == "HANDLED"
    assert item.findtext("handledTime")
    assert item.find("nextCallTime").get(f"{{{XSI}}}nil") == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("operation_xml", "error"),
    [
        (
            f'<createCallBack xmlns="{NS}"><number>+49 (30) 123</number><queue>2001</queue>'
            "</createCallBack>",
            Errors.INVALID_PHONE_NUMBER,
        ),
        (
            f'<createCallBack xmlns="{NS}"><number>+4930</number><queue>Nowhere</queue>'
            "</createCallBack>",
            Errors.UNKNOWN_QUEUE,
        ),
        (
            f'<createCallBack xmlns="{NS}"><number>+4930</number><queue>2001</queue>'
            "<callTime>31/31/2026</callTime></createCallBack>",
            Errors.INVALID_ARGUMENT,
        ),
        (
            f'<updateCallBack xmlns="{NS}"><id>C2DE7EC4-7886-466D-8A04-1120845D5E57</id>'
            "<result>BUSY</result></updateCallBack>",
            Errors.UNKNOWN_CALLBACK,
        ),
    ],
)
def test_bad_requests_get_ici_faults(stack: Stack, operation_xml: str, error: IciError) -> None:
    answer = soap(stack.base_url, "/OII/OII.asmx", envelope(operation_xml), soap_action(SYSTEM))
    assert_fault(answer, error)


def test_call_recordings_are_found_by_every_filter(stack: Stack) -> None:
    handle = uuid.uuid4().hex.upper()
    saved = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    recording = RecordedCall(
        call_handle=handle,
        user_id="ANNA",
        line="+123",
        remote_number="+4930123456",
        direction=Direction.OUTBOUND,
        file_path="/var/rec/2026_11",
        file_name=f"{handle}.wav",
        start_time=datetime(2026, 11, 26, 9, 20, tzinfo=UTC),
        end_time=datetime(2026, 11, 26, 9, 29, tzinfo=UTC),
        creation_time=saved,
    )
    asyncio.run(_record(stack.data_dir / "oii.sqlite3", recording))

    response = call(
        stack,
        "getCallRecordings",
        f'<getCallRecordings xmlns="{NS}"><callHandle>{handle.lower()}</callHandle>'
        "<userId>anna</userId><dateTimeFrom>2026-11-26 09:30:00</dateTimeFrom>"
        "<dateTimeTo>2026-11-26T09:30:00Z</dateTimeTo><filePath>/var/rec</filePath>"
        f"<fileName>{handle}.wav</fileName><maxhits>1</maxhits></getCallRecordings>",
    )
    (item,) = response.findall(f"{{{NS}}}response/item")
    assert [child.tag for child in item] == [
        "callHandle",
        "userId",
        "creationTime",
        "startTime",
        "endTime",
        "source",
        "destination",
        "fileName",
    ]
    assert {child.tag: child.text for child in item} == {
        "callHandle": handle,
        "userId": "ANNA",
        "creationTime": "2026-11-26T09:30:00+00:00",
        "startTime": "2026-11-26T09:20:00+00:00",
        "endTime": "2026-11-26T09:29:00+00:00",
        "source": "+123",
        "destination": "+4930123456",
        "fileName": f"/var/rec/2026_11/{handle}.wav",
    }

    nothing = call(
        stack,
        "getCallRecordings",
        f'<getCallRecordings xmlns="{NS}"><callHandle>{handle}</callHandle>'
        "<userId>HARRI</userId></getCallRecordings>",
    )
    assert nothing.findall(f"{{{NS}}}response/item") == []


async def _record(database: Path, recording: RecordedCall) -> None:
    engine = create_engine_for_url(f"sqlite+aiosqlite:///{database}")
    try:
        await record_calls(engine, [recording])
    finally:
        await engine.dispose()
