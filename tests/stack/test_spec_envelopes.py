"""Every request envelope printed in spec chapter 9, sent verbatim, gets an ICI answer.

An answer is an ``<opResponse>`` in the interface's namespace or a SOAP Fault with
the ICI error fields: never an HTML page, never a hang. The samples that are not
well-formed as printed get the Client fault "Malformed XML request".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from stacklib import (
    SoapAnswer,
    Stack,
    assert_fault,
    assert_response,
    assert_soap_content_type,
    check_product_information,
    check_workcenter_capability,
    soap,
)

from oii_shared.soap.faults import Errors

pytestmark = pytest.mark.stack

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "spec_requests"
# IciEvent samples are requests OII sends to CRM, not ones it receives.
INBOUND = [
    entry
    for entry in json.loads((SAMPLES / "index.json").read_text())
    if entry["direction"] == "inbound"
]
# The spec's sample asks for ICI 3.00 (9.1.1.2).
SAMPLE_ICI_VERSION = "3.00"
# Faults that would mean the gateway misread or misrouted a well-formed sample, or that
# something broke. Argument errors stay possible: some samples print placeholder values
# ("int", "boolean") where CRM sends real ones.
NEVER_FOR_A_SPEC_SAMPLE = {
    (int(error.area), error.code)
    for error in (
        Errors.MALFORMED_XML,
        Errors.DTD_FORBIDDEN,
        Errors.BODY_TOO_LARGE,
        Errors.NOT_SOAP,
        Errors.UNKNOWN_SOAP_ACTION,
        Errors.UNKNOWN_OPERATION,
        Errors.UNKNOWN_PATH,
        Errors.FORBIDDEN,
        Errors.SERVICE_UNAVAILABLE,
        Errors.SERVICE_TIMEOUT,
        Errors.STOPPED,
        Errors.INTERNAL,
    )
}


def sample_cases() -> list[Any]:
    return [pytest.param(entry, id=entry["file"]) for entry in INBOUND]


def check_answer(answer: SoapAnswer, entry: dict[str, Any]) -> None:
    assert answer.status in (200, 500), f"{entry['file']}: {answer}"
    assert_soap_content_type(answer)
    interface, operation = entry["interface"], entry["operation"]
    if not entry["well_formed"]:
        assert_fault(answer, Errors.MALFORMED_XML)
    elif (interface, operation) == ("IciSystem", "exchangeProductInformation"):
        check_product_information(answer, SAMPLE_ICI_VERSION)
    elif (interface, operation) == ("IciSystem", "getWorkcenterCapability"):
        check_workcenter_capability(answer)
    elif answer.is_fault:
        fault = answer.fault()  # checks every ICI field
        assert (fault.area, fault.code) not in NEVER_FOR_A_SPEC_SAMPLE, (
            f"{entry['file']}: {fault.text} is no answer to a well-formed spec sample: {answer}"
        )
    else:
        assert_response(answer, interface, operation)


def test_index_covers_the_samples() -> None:
    """Guards the parametrization: all 63 samples, 54 of them inbound, each file present."""
    everything = json.loads((SAMPLES / "index.json").read_text())
    assert len(everything) == 63
    assert len(INBOUND) == 54
    assert {entry["interface"] for entry in INBOUND} == {
        "IciSystem", "IciUser", "IciContainer", "IciItem", "IciPhoneLine", "IciPhoneCall",
        "IciFolder", "IciMessage", "IciChatLine", "IciChatSession", "IciActionItem",
    }  # fmt: skip
    for entry in everything:
        assert (SAMPLES / entry["file"]).is_file(), entry["file"]


@pytest.mark.parametrize("entry", sample_cases())
def test_sample_through_oii_asmx(stack: Stack, entry: dict[str, Any]) -> None:
    body = (SAMPLES / entry["file"]).read_bytes()
    answer = soap(stack.base_url, "/OII/OII.asmx", body, entry["soap_action"])
    check_answer(answer, entry)


@pytest.mark.parametrize("entry", sample_cases())
def test_sample_to_its_service_without_soap_action(stack: Stack, entry: dict[str, Any]) -> None:
    body = (SAMPLES / entry["file"]).read_bytes()
    answer = soap(stack.base_url, f"/OII/{entry['interface']}Service.asmx", body)
    check_answer(answer, entry)
