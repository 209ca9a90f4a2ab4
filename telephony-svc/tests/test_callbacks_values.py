"""createCallBack's arguments: extraData (9.1.6.2), the number (1.2), callTime, results."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from oii_shared.ici.tables.enums import CallbackResult
from oii_shared.soap.faults import Errors, IciError, IciFault
from oii_telephony.callbacks.extra_data import ExtraData, known_skills, parse_extra_data
from oii_telephony.callbacks.lifecycle import parse_result
from oii_telephony.callbacks.scheduler import attached_data_xml
from oii_telephony.values import dial_prefix, phone_number, utc_datetime

MAX = 65536


def fault_of(error: IciError, call: object, *args: object) -> IciFault:
    with pytest.raises(IciFault) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.error == error, caught.value
    return caught.value


def test_extra_data_carries_skills_priority_and_any_cad() -> None:
    extra = parse_extra_data(
        "<XML><Skills>English=4;German=2</Skills><Priority>12345</Priority>"
        "<Foo>Bar</Foo><Order>A-17</Order></XML>",
        MAX,
    )
    assert extra == ExtraData(
        priority=12345,
        skills={"English": 4, "German": 2},
        attached_data={"Foo": "Bar", "Order": "A-17"},
    )


def test_no_extra_data_is_priority_one_and_nothing_else() -> None:
    assert parse_extra_data("", MAX) == ExtraData(priority=1)
    assert parse_extra_data("  ", MAX) == ExtraData(priority=1)
    assert parse_extra_data("<XML/>", MAX) == ExtraData(priority=1)


@pytest.mark.parametrize("text", ["0", "-3", "abc", "", "1.5", "99999999999999999999x"])
def test_an_invalid_priority_is_one(text: str) -> None:
    assert parse_extra_data(f"<XML><Priority>{text}</Priority></XML>", MAX).priority == 1


def test_bad_skill_entries_are_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    extra = parse_extra_data(
        "<XML><Skills>English=5;German=6;French;=3;Finnish=x;;Swedish = 1 </Skills></XML>", MAX
    )
    assert extra.skills == {"English": 5, "Swedish": 1}
    dropped = [record.getMessage() for record in caplog.records]
    assert len(dropped) == 4, dropped
    assert all("dropped" in message for message in dropped)


def test_unknown_skills_are_dropped_known_take_the_configured_spelling(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    guid = "5D1C8F4A2B7E4C399A610E8B3F2D7C15"
    configured = {"english": "English", "finnish": "Finnish", guid.casefold(): "German"}
    kept = known_skills({"ENGLISH": 3, "Klingon": 5, "finnish": 1}, configured)
    assert kept == {"English": 3, "Finnish": 1}
    # A skill's GUID, with or without dashes, in any case.
    dashed = "5d1c8f4a-2b7e-4c39-9a61-0e8b3f2d7c15"
    assert known_skills({dashed: 2}, configured) == {"German": 2}
    assert ["Klingon" in record.getMessage() for record in caplog.records] == [True]


@pytest.mark.parametrize(
    "text",
    ["not xml", "<XML>", "<Data><Foo>Bar</Foo></Data>", '<!DOCTYPE x [<!ENTITY a "b">]><XML/>'],
)
def test_extra_data_must_be_xml_rooted_at_xml(text: str) -> None:
    fault = fault_of(Errors.INVALID_ARGUMENT, parse_extra_data, text, MAX)
    assert "extraData" in fault.faultstring


def test_attached_data_is_item_attached_data_of_the_oii_application() -> None:
    xml = attached_data_xml({"Foo": "Bar & <baz>", "Order": "17"}, "SAP_BCM/OII")
    assert xml == (
        '<ItemAttachedData><Application id="SAP_BCM/OII"><Foo>Bar &amp; &lt;baz&gt;</Foo>'
        "<Order>17</Order></Application></ItemAttachedData>"
    )
    assert attached_data_xml({}, "SAP_BCM/OII") == ""


@pytest.mark.parametrize("number", ["+4930123456", "0301234", "5"])
def test_numbers_of_digits_with_a_leading_plus_are_accepted(number: str) -> None:
    assert phone_number("number", f" {number} ") == number


@pytest.mark.parametrize("number", ["+49 30 1234", "030-1234", "12+3", "+", "abc", "++49"])
def test_other_characters_are_the_spec_phone_number_fault(number: str) -> None:
    fault_of(Errors.INVALID_PHONE_NUMBER, phone_number, "number", number)


@pytest.mark.parametrize(("prefix", "dialled"), [(" 0 ", "0"), ("00", "00"), (None, ""), ("", "")])
def test_a_gateway_prefix_is_digits_or_nothing(prefix: str | None, dialled: str) -> None:
    assert dial_prefix("gwPrefix", prefix) == dialled


@pytest.mark.parametrize("prefix", ["X", "+", "0-", "\u0661", "9 9"])
def test_a_gateway_prefix_of_other_characters_is_the_spec_phone_number_fault(
    prefix: str,
) -> None:
    # Found by `make fuzz` (envelopes): createCallBack stored any gwPrefix; the call engine
    # then refused to dial gwPrefix + number, and retried and logged it every 30 s, forever.
    fault_of(Errors.INVALID_PHONE_NUMBER, dial_prefix, "gwPrefix", prefix)


@pytest.mark.parametrize("number", [None, "", "  "])
def test_a_missing_number_is_a_missing_argument(number: str | None) -> None:
    fault_of(Errors.MISSING_ARGUMENT, phone_number, "number", number)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 14:30:00", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01T14:30:00", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01T14:30:00Z", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01T16:30:00+02:00", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01T14:30:00.1234567Z", datetime(2026, 12, 1, 14, 30, 0, 123456, tzinfo=UTC)),
        ("2026-12-01 14:30", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01", datetime(2026, 12, 1, tzinfo=UTC)),
        ("01.12.2026 14:30:00", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("01.12.2026", datetime(2026, 12, 1, tzinfo=UTC)),
    ],
)
def test_call_times_in_the_allowed_formats_are_utc(text: str, expected: datetime) -> None:
    assert utc_datetime("callTime", text) == expected


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01 10:00:00", "12/01/2026 10:00", "2026"])
def test_a_bad_call_time_is_an_invalid_argument(text: str) -> None:
    fault = fault_of(Errors.INVALID_ARGUMENT, utc_datetime, "callTime", text)
    assert "callTime" in fault.faultstring


def test_no_call_time_is_none() -> None:
    assert utc_datetime("callTime", None) is None
    assert utc_datetime("callTime", " ") is None


def test_results_are_read_ignoring_case() -> None:
    assert parse_result("no_answer") is CallbackResult.NO_ANSWER
    assert parse_result(" Successful ") is CallbackResult.SUCCESSFUL
    fault_of(Errors.INVALID_ARGUMENT, parse_result, "DONE")
