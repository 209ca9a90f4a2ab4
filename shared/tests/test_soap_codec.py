"""The SOAP codec: hardened parsing, local-name matching, response shapes, faults."""

from __future__ import annotations

import pytest
from lxml import etree

from oii_shared.ici.registry import ici_registry, interface_for_soap_action
from oii_shared.ici.schema import Interface
from oii_shared.soap.codec import encode_response, read_operation
from oii_shared.soap.faults import Errors, IciFault, fault_envelope
from oii_shared.soap.namespaces import ICI_ERRORS, SOAP_ENV, XSI

LIMIT = 64 * 1024
ENV = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}</soap:Body></soap:Envelope>'


def envelope(body: str) -> bytes:
    return ENV.format(body).encode()


def read(interface: Interface, data: bytes):  # type: ignore[no-untyped-def]
    return read_operation(data, interface, ici_registry(), LIMIT)


def fault_of(interface: Interface, data: bytes) -> IciFault:
    with pytest.raises(IciFault) as caught:
        read(interface, data)
    return caught.value


def test_prefixed_operation_with_unqualified_children() -> None:
    call = read(
        Interface.USER,
        envelope(
            '<n0:getAttributes xmlns:n0="urn:IciUserInterface">'
            "<userId>HARRI</userId><cmsPing>TRUE</cmsPing></n0:getAttributes>"
        ),
    )
    assert call.operation.name == "getAttributes"
    assert call.args["userId"] == "HARRI"
    assert call.args["cmsPing"] == "TRUE"


def test_default_namespace_with_empty_namespace_children() -> None:
    call = read(
        Interface.SYSTEM,
        envelope(
            '<exchangeProductInformation xmlns="urn:IciSystemInterface">'
            '<iciVersion xmlns="">3.00</iciVersion></exchangeProductInformation>'
        ),
    )
    assert call.args == {"iciVersion": "3.00"}


def test_children_in_another_namespace_still_match() -> None:
    call = read(
        Interface.SYSTEM,
        envelope(
            '<getPresenceQueueInfo xmlns="urn:IciSystemInterface">'
            '<userId xmlns="urn:IciUserInterface">HARRI</userId>'
            "<channelType>1</channelType></getPresenceQueueInfo>"
        ),
    )
    assert call.args["userId"] == "HARRI"
    assert call.args["channelType"] == "1"


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        ("createCallback", "createCallBack"),
        ("createCallBack", "createCallBack"),
        ("getCallbacks", "getCallBacks"),
        ("getCallBacks", "getCallBacks"),
    ],
)
def test_spelling_variants_of_the_spec(sent: str, canonical: str) -> None:
    call = read(Interface.SYSTEM, envelope(f'<{sent} xmlns="urn:IciSystemInterface"/>'))
    assert call.operation.name == canonical
    assert call.requested_name == sent
    answer = encode_response(call.operation, call.requested_name, None)
    root = etree.fromstring(answer)
    assert root[0][0].tag == f"{{urn:IciSystemInterface}}{sent}Response"


def test_chat_line_get_session_alias() -> None:
    call = read(Interface.CHAT_LINE, envelope('<getSession xmlns="urn:IciChatLineInterface"/>'))
    assert call.operation.name in {"getSessions", "getSession"}
    assert {"getSessions", "getSession"} <= call.operation.names


def test_arrays_accept_item_and_Item_entries() -> None:
    call = read(
        Interface.SYSTEM,
        envelope(
            '<getUserPresence xmlns="urn:IciSystemInterface"><users>'
            "<Item>HARRI</Item><item>SALLY</item></users></getUserPresence>"
        ),
    )
    assert call.args["users"] == ["HARRI", "SALLY"]
    assert call.args["searchterm"] is None


def test_nil_is_none() -> None:
    call = read(
        Interface.USER,
        envelope(
            f'<getAttributes xmlns="urn:IciUserInterface" xmlns:xsi="{XSI}">'
            '<userId xsi:nil="true"/></getAttributes>'
        ),
    )
    assert call.args["userId"] is None


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"<soap:Envelope", Errors.MALFORMED_XML),
        (b"", Errors.MALFORMED_XML),
        (b"<Envelope/>", Errors.NOT_SOAP),
        (b"<x/>", Errors.NOT_SOAP),
        (
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            + envelope(
                '<getAttributes xmlns="urn:IciUserInterface">'
                "<userId>&lol2;</userId></getAttributes>"
            ),
            Errors.DTD_FORBIDDEN,
        ),
        (
            b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd">' + envelope("<getAttributes/>"),
            Errors.DTD_FORBIDDEN,
        ),
        (b"<a>" + b"x" * LIMIT + b"</a>", Errors.BODY_TOO_LARGE),
        (envelope('<frobnicate xmlns="urn:IciUserInterface"/>'), Errors.UNKNOWN_OPERATION),
    ],
    ids=[
        "truncated",
        "empty",
        "bare-envelope",
        "not-envelope",
        "entities",
        "external-dtd",
        "too-large",
        "unknown-op",
    ],
)
def test_bad_requests_are_client_faults(data: bytes, error: object) -> None:
    fault = fault_of(Interface.USER, data)
    assert fault.error is error
    assert fault.error.faultcode.value == "Client"


def test_dtd_in_another_encoding_is_refused_too() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    assert fault_of(Interface.USER, data.encode("utf-16")).error is Errors.DTD_FORBIDDEN


def test_int_argument_must_be_an_integer() -> None:
    fault = fault_of(
        Interface.PHONE_CALL,
        envelope(
            '<consult xmlns="urn:IciPhoneCallInterface"><callHandle>A</callHandle>'
            "<nextStep>soon</nextStep></consult>"
        ),
    )
    assert fault.error is Errors.INVALID_ARGUMENT


def test_response_shape_follows_the_spec_sample() -> None:
    operation = ici_registry().find(Interface.SYSTEM, "exchangeProductInformation")
    assert operation is not None
    answer = encode_response(
        operation,
        "exchangeProductInformation",
        {
            "response": {
                "message": None,
                "productName": "OII",
                "iciMessageGroups": ["IciGroupBasic", "IciGroupUser"],
                "productVersion": "1 & 2 <3>",
                "iciVersion": "3.00",
            }
        },
    )
    root = etree.fromstring(answer)
    body = root.find(f"{{{SOAP_ENV}}}Body")
    assert body is not None
    wrapper = body[0]
    assert wrapper.tag == "{urn:IciSystemInterface}exchangeProductInformationResponse"
    response = wrapper[0]
    assert response.tag == "{urn:IciSystemInterface}response"
    children = {child.tag: child for child in response}
    assert children["message"].get(f"{{{XSI}}}nil") == "true"
    assert children["productName"].text == "OII"
    assert [item.tag for item in children["iciMessageGroups"]] == ["item", "item"]
    assert [item.text for item in children["iciMessageGroups"]] == ["IciGroupBasic", "IciGroupUser"]
    assert children["productVersion"].text == "1 & 2 <3>"


def test_void_operation_answers_an_empty_response_element() -> None:
    operation = ici_registry().find(Interface.USER, "setCurrentWorkmode")
    assert operation is not None
    root = etree.fromstring(encode_response(operation, "setCurrentWorkmode", None))
    wrapper = root[0][0]
    assert [child.tag for child in wrapper] == ["{urn:IciUserInterface}response"]
    assert len(wrapper[0]) == 0


def test_get_attributes_has_cms_host_id_beside_response() -> None:
    operation = ici_registry().find(Interface.USER, "getAttributes")
    assert operation is not None
    answer = encode_response(
        operation,
        "getAttributes",
        {"response": {"userId": "HARRI", "wrapUpMode": 1}, "cmsHostId": "AB" * 16},
    )
    wrapper = etree.fromstring(answer)[0][0]
    assert [child.tag.rpartition("}")[2] for child in wrapper] == ["response", "cmsHostId"]
    user = {child.tag: child for child in wrapper[0]}
    assert user["userId"].text == "HARRI"
    assert user["wrapUpMode"].text == "1"


def test_optional_sub_elements_left_unnamed_are_left_out() -> None:
    operation = ici_registry().find(Interface.USER, "getAttributes")
    assert operation is not None
    answer = encode_response(
        operation,
        "getAttributes",
        {"response": {"userId": "HARRI", "currentWorkmode": {"id": "1"}, "channels": None}},
    )
    user = etree.fromstring(answer)[0][0][0]
    tags = [child.tag for child in user]
    # cmsHostId (minOccurs 1) stays, as nil; the unnamed optional ones do not appear.
    assert tags == ["userId", "currentWorkmode", "channels", "cmsHostId"]
    assert [child.tag for child in user[1]] == ["id"]
    assert user[2].get(f"{{{XSI}}}nil") == "true"
    assert user[3].get(f"{{{XSI}}}nil") == "true"


def test_control_characters_never_break_the_xml() -> None:
    operation = ici_registry().find(Interface.SYSTEM, "exchangeProductInformation")
    assert operation is not None
    answer = encode_response(
        operation, "exchangeProductInformation", {"response": {"productName": "a\x00b\x1bc"}}
    )
    assert b"abc" in answer
    etree.fromstring(answer)


def test_fault_carries_the_ici_error_fields() -> None:
    data = fault_envelope(IciFault(Errors.INVALID_PHONE_NUMBER, "number +12a"))
    root = etree.fromstring(data)
    fault = root[0][0]
    assert fault.tag == f"{{{SOAP_ENV}}}Fault"
    assert fault.findtext("faultcode") == "soap:Client"
    assert fault.findtext("faultstring") == "number +12a"
    codes = fault.find(f"detail/{{{ICI_ERRORS}}}IciErrorCodes")
    assert codes is not None
    assert codes.findtext("message") == "number +12a"
    assert codes.findtext("areaCode") == "5"
    assert codes.findtext("errorCode") == "2"
    assert (
        codes.findtext("errorText") == "SAP BCB:Other characters than +1234567890 in phone number"
    )
    assert codes.findtext("errorRetry") == "false"


def test_server_faults_say_whether_to_retry() -> None:
    root = etree.fromstring(fault_envelope(IciFault(Errors.SERVICE_UNAVAILABLE)))
    fault = root[0][0]
    assert fault.findtext("faultcode") == "soap:Server"
    assert fault.findtext(f"detail/{{{ICI_ERRORS}}}IciErrorCodes/errorRetry") == "true"


@pytest.mark.parametrize(
    ("header", "interface"),
    [
        ('"http://inqmy.com/soapdispatcher/rpc/bcbici/IciUserBean"', Interface.USER),
        ("http://inqmy.com/soapdispatcher/rpc/bcbici/IciItemBean", Interface.ITEM),
        (' "http://inqmy.com/soapdispatcher/rpc/bcbici/IciMonitorBean" ', Interface.MONITOR),
        ('"http://inqmy.com/soapdispatcher/rpc/bcbici/IciEventBean"', None),
        ("", None),
        (None, None),
    ],
)
def test_soap_action_table_of_spec_7_1(header: str | None, interface: Interface | None) -> None:
    assert interface_for_soap_action(header) is interface
