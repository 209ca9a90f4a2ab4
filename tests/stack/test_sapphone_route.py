"""SAPphone over SOAP reaches sapphone-svc through the gateway, which answers honestly."""

from __future__ import annotations

import pytest
from stacklib import Stack, assert_fault, envelope, soap

from oii_shared.soap.faults import Errors

pytestmark = pytest.mark.stack

MAKE_CALL = envelope(
    '<rfc:SPS_MAKE_CALL xmlns:rfc="urn:sap-com:document:sap:rfc:functions">'
    "<EXT>+129</EXT><DESTINATION>+4930123</DESTINATION></rfc:SPS_MAKE_CALL>"
)


def test_sapphone_functions_are_not_supported_yet(stack: Stack) -> None:
    answer = soap(stack.base_url, "/OII/SAPphone.asmx", MAKE_CALL)
    fault = assert_fault(answer, Errors.NOT_SUPPORTED_YET)
    assert "SPS_MAKE_CALL" in fault.faultstring


def test_bad_sapphone_requests_stop_at_the_gateway(stack: Stack) -> None:
    assert_fault(soap(stack.base_url, "/OII/SAPphone.asmx", b"<rfc:"), Errors.MALFORMED_XML)
