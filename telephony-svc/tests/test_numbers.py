"""Phone numbers: the examples of spec 4.3.1, the fault of spec 1.2, OII.RemovePlusPrefix."""

from __future__ import annotations

import pytest

from oii_shared.config.parameters import ModuleParameters
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.numbers import NumberRules, checked_dial_number


@pytest.mark.parametrize(
    ("idd", "country", "number", "expected"),
    [
        ("00", "49", "001234567", "+1234567"),  # 4.3.1 OII.IDD example
        ("00", "49", "01234567", "+491234567"),  # 4.3.1 OII.Country example
        ("011", "1", "0114930123", "+4930123"),  # USA prefix
        ("011", "1", "0123", "+1123"),  # a single zero, not the IDD
        ("001", "358", "001358401", "+358401"),  # Asia prefix
        ("00", "358", "0401234", "+358401234"),
        ("00", "49", "+49301234", "+49301234"),  # already international
        ("00", "49", "2001", "2001"),  # an internal number stays
        ("00", "49", "0", "0"),
        ("00", "49", "00", "00"),
    ],
)
def test_incoming_numbers(idd: str, country: str, number: str, expected: str) -> None:
    assert NumberRules(idd=idd, country=country).incoming(number) == expected


def test_rules_come_from_the_parameters() -> None:
    rules = NumberRules.from_parameters(
        ModuleParameters({"OII.IDD": "011", "OII.Country": "1", "OII.RemovePlusPrefix": "1"})
    )
    assert rules == NumberRules(idd="011", country="1", remove_plus_prefix=True)
    assert NumberRules.from_parameters(ModuleParameters({})) == NumberRules("00", "49", False)


@pytest.mark.parametrize(
    ("remove", "number", "dialled"),
    [(False, "+4930123", "+4930123"), (True, "+4930123", "004930123"), (True, "030123", "030123")],
)
def test_remove_plus_prefix(remove: bool, number: str, dialled: str) -> None:
    assert NumberRules(remove_plus_prefix=remove).outgoing(number) == dialled


@pytest.mark.parametrize("number", ["+4930123", "0301234", "130", " +130 "])
def test_dialable_numbers(number: str) -> None:
    assert checked_dial_number(number) == number.strip()


@pytest.mark.parametrize("number", ["+49 30 123", "030-123", "abc", "+49(30)", "12#", "1*2"])
def test_other_characters_are_the_fault_of_spec_1_2(number: str) -> None:
    with pytest.raises(IciFault) as raised:
        checked_dial_number(number)
    assert raised.value.error is Errors.INVALID_PHONE_NUMBER
    error = raised.value.error
    assert (int(error.area), error.code) == (5, 2)
    assert error.text == "SAP BCB:Other characters than +1234567890 in phone number"


def test_an_empty_number_is_missing() -> None:
    with pytest.raises(IciFault) as raised:
        checked_dial_number("  ")
    assert raised.value.error is Errors.MISSING_ARGUMENT
