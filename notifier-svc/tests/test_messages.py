"""The IciEvent messages as CRM receives them (spec 9.3): registry-driven, unqualified parts."""

from __future__ import annotations

from lxml import etree

from oii_notifier.planner import event_operation
from oii_shared.bus.ici_events import ActionItemChanged, ContainerChanged, UserChanged
from oii_shared.soap.codec import encode_request

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
EVENT_NS = "urn:IciEventInterface"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def operation_element(body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    assert root.tag == f"{{{SOAP_ENV}}}Envelope"
    [soap_body] = root.findall(f"{{{SOAP_ENV}}}Body")
    [element] = list(soap_body)
    return element


def test_user_changed_is_shaped_like_the_sample() -> None:
    event = UserChanged(
        user_id="HARRI",
        user={"userId": "HARRI", "currentWorkmode": {"id": "1", "description": "Logged off"}},
    )
    body = encode_request(
        event_operation(event.operation), {"appIds": ["id-1", "id-2"], **event.parts()}
    )
    element = operation_element(body)
    assert element.tag == f"{{{EVENT_NS}}}userChanged"
    assert [item.text for item in element.findall("appIds/item")] == ["id-1", "id-2"]
    assert element.findtext("user/userId") == "HARRI"
    assert element.findtext("user/currentWorkmode/description") == "Logged off"


def test_subscription_ended_lists_app_ids_as_the_registry_says() -> None:
    body = encode_request(
        event_operation("subscriptionEnded"),
        {"appIds": ["a"], "reason": {"id": "2", "description": "paused"}},
    )
    element = operation_element(body)
    assert [child.tag for child in element] == ["appIds", "reason"]
    assert element.findtext("reason/id") == "2"


def test_container_changed_and_action_item_changed_parts_in_order() -> None:
    container = ContainerChanged(
        container_type="1", container_id="+129", status={"id": "1", "description": "OK"}
    )
    element = operation_element(
        encode_request(event_operation(container.operation), {"appIds": ["a"], **container.parts()})
    )
    assert [child.tag for child in element] == [
        "appIds",
        "channelType",
        "containerId",
        "containerStatus",
    ]
    action = ActionItemChanged(
        container_id="box", action_session={"title": "t"}, action_item_id="7"
    )
    element = operation_element(
        encode_request(event_operation(action.operation), {"appIds": ["a"], **action.parts()})
    )
    assert element.findtext("actionItemId") == "7"
    assert element.find("userIds").get(XSI_NIL) == "true"  # type: ignore[union-attr]
