"""IciUser and IciContainer through the gateway, as IC WebClient drives them at login.

A real HTTP server in this process stands in for CRM's event endpoint
(IciEventService): it records every IciEvent the notifier posts to it.
The stack runs its own contact center (YAML below) so no other test's agents
interfere.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator

import pytest
from crm_stand_in_thread import QUIET_S, CrmStandInThread
from lxml import etree
from stacklib import (
    Stack,
    assert_fault,
    assert_response,
    envelope,
    own_stack,
    soap,
    soap_action,
)

from oii_shared.bus.connect import close, connect
from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import ContainerChanged, PhoneCallChanged
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET
from oii_shared.crm_stand_in import CrmEvent
from oii_shared.soap.faults import Errors
from oii_shared.subscriptions.model import ContainerRef, session_key
from oii_shared.subscriptions.store import SubscriptionStore

pytestmark = pytest.mark.stack

CONFIG = """
parameters:
  OII.Email: 1
  OII.SetCurrentQueues: 1
queues:
  - {id: "4001", name: "Sales", channel: phone}
  - {id: "4002", name: "Support", channel: phone}
  - {id: "4003", name: "Closed", channel: phone, enabled: false}
  - {id: "mail@example.com", name: "Mail", channel: email}
users:
  - id: Ulla
    name: "Ulla Agent"
    phone: "+4101"
    email: "ulla@example.com"
    queues: ["4001", "4002", "4003", "mail@example.com"]
  - id: VEIKKO
    name: "Veikko Agent"
    phone: "+4102"
    queues: ["4001"]
not_ready_reasons:
  - {id: 1001, description: "Lunch"}
  - {id: 1005, description: "Training"}
"""
USER = "IciUser"
CONTAINER = "IciContainer"


@pytest.fixture(scope="module")
def users_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(tmp_path_factory.mktemp("users"), CONFIG) as running:
        yield running


# --------------------------------------------------------------------------- SOAP helpers


def call(stack: Stack, interface: str, operation_xml: str) -> etree._Element:
    name = etree.QName(etree.fromstring(operation_xml)).localname
    answer = soap(stack.base_url, "/OII/OII.asmx", envelope(operation_xml), soap_action(interface))
    return assert_response(answer, interface, name)


def fault(stack: Stack, interface: str, operation_xml: str, error: object) -> None:
    answer = soap(stack.base_url, "/OII/OII.asmx", envelope(operation_xml), soap_action(interface))
    assert_fault(answer, error)  # type: ignore[arg-type]


def user_op(name: str, user_id: str, inner: str = "") -> str:
    return (
        f'<{name} xmlns="urn:IciUserInterface"><userId xmlns="">{user_id}</userId>{inner}</{name}>'
    )


def items(values: list[str]) -> str:
    return "".join(f"<item>{value}</item>" for value in values)


def get_attributes(stack: Stack, user_id: str, ping: bool = False) -> tuple[etree._Element, str]:
    extra = "<cmsPing>TRUE</cmsPing>" if ping else ""
    wrapper = call(stack, USER, user_op("getAttributes", user_id, extra))
    response = wrapper.find("{urn:IciUserInterface}response")
    host = wrapper.findtext("{urn:IciUserInterface}cmsHostId")
    assert response is not None and host is not None
    return response, host


def set_workmode(stack: Stack, user_id: str, workmode: str) -> None:
    call(stack, USER, user_op("setCurrentWorkmode", user_id, f"<workmode>{workmode}</workmode>"))


def subscribe(stack: Stack, app_url: str, app_id: str, user_id: str) -> None:
    call(
        stack,
        USER,
        f'<subscribe xmlns="urn:IciUserInterface"><appUrl xmlns="">\n{app_url}</appUrl>'
        f'<appId xmlns="">{app_id}</appId><userId xmlns="">{user_id}</userId></subscribe>',
    )


def workmode_of(event: CrmEvent) -> str | None:
    return event.element.findtext(".//user/currentWorkmode/id")


def text_elements(element: etree._Element, path: str) -> list[tuple[str, str]]:
    return [
        (i.findtext("id") or "", i.findtext("description") or "") for i in element.findall(path)
    ]


def sessions(stack: Stack, app_url: str, app_id: str) -> object:
    async def read() -> object:
        nc = await connect(stack.nats_settings(), "test")
        try:
            store = SubscriptionStore(await nc.jetstream().key_value(SUBSCRIPTIONS_BUCKET))
            return await store.get(session_key(app_url, app_id))
        finally:
            await close(nc)

    return asyncio.run(read())


# --------------------------------------------------------------------------- tests


def test_login_sequence_then_each_workmode_change_reaches_crm_once_in_order(
    users_stack: Stack, crm: CrmStandInThread
) -> None:
    stack, app_id = users_stack, f"login-{uuid.uuid4()}"
    response, host = get_attributes(stack, "ulla")
    assert len(host) == 32 and int(host, 16) >= 0
    assert response.findtext("userId") == "Ulla"
    assert text_elements(response, "currentWorkmode") == [("1", "Logged off")]
    assert text_elements(response, "workmodes/item") == [
        ("1", "Logged off"),
        ("2", "Logged on - ready"),
        ("3", "Logged on - not ready"),
        ("1000", "No Phone"),
        ("1001", "Lunch"),
        ("1005", "Training"),
    ]
    assert response.findtext("wrapUpMode") == "1"
    assert text_elements(response, "channels/item") == [("1", "Telephony"), ("2", "E-mail")]
    # The disabled queue 4003 is not offered; login made the others active.
    configured = [("4001", "Sales"), ("4002", "Support"), ("mail@example.com", "Mail")]
    assert text_elements(response, "queues/item") == configured
    assert text_elements(response, "currentQueues/item") == configured
    assert [
        (a.findtext("address"), a.findtext("channel")) for a in response.findall("addresses/item")
    ] == [("+4101", "1"), ("ulla@example.com", "2")]
    assert response.findtext("cmsHostId") == host

    # The rest of IC WebClient's login sequence, then the subscription.
    set_workmode(stack, "ULLA", "3")
    call(stack, USER, user_op("setCurrentChannels", "ULLA", f"<channels>{items(['1'])}</channels>"))
    queues = items(["4002", "4003", "nope"])
    call(stack, USER, user_op("setCurrentQueues", "ULLA", f"<queues>{queues}</queues>"))
    addresses = "<item><address>+4999</address><channel>1</channel></item>"
    call(stack, USER, user_op("setAddresses", "ULLA", f"<addresses>{addresses}</addresses>"))
    subscribe(stack, crm.url, app_id, "ULLA")
    response, _ = get_attributes(stack, "ULLA", ping=True)
    assert response.findtext("cmsHostId") == host

    for workmode in ("2", "1001", "1001", "3", "2", "1"):
        set_workmode(stack, "ulla", workmode)
    received = crm.wait("userChanged", app_id, 5)
    assert [workmode_of(event) for event in received] == ["2", "1001", "3", "2", "1"]
    last = received[-1].element.find("user")
    assert last is not None
    assert text_elements(last, "currentChannels/item") == [("1", "Telephony")]
    assert text_elements(last, "currentQueues/item") == [("4002", "Support")]
    assert [a.findtext("address") for a in last.findall("addresses/item")] == ["+4999"]


def test_the_next_login_unsubscribes_the_old_session(
    users_stack: Stack, crm: CrmStandInThread
) -> None:
    stack = users_stack
    old, new = f"old-{uuid.uuid4()}", f"new-{uuid.uuid4()}"
    get_attributes(stack, "VEIKKO")
    subscribe(stack, crm.url, old, "VEIKKO")
    set_workmode(stack, "VEIKKO", "2")
    assert [workmode_of(e) for e in crm.wait("userChanged", old, 1)] == ["2"]

    get_attributes(stack, "veikko")  # IC WebClient started again: a new session follows
    assert sessions(stack, crm.url, old) is None
    subscribe(stack, crm.url, new, "VEIKKO")
    set_workmode(stack, "VEIKKO", "3")
    assert [workmode_of(e) for e in crm.wait("userChanged", new, 1)] == ["3"]
    assert [workmode_of(e) for e in crm.of("userChanged", old)] == ["2"]

    call(
        stack,
        USER,
        f'<unsubscribe xmlns="urn:IciUserInterface"><appUrl>{crm.url}</appUrl>'
        f"<appId>{new}</appId></unsubscribe>",
    )
    assert sessions(stack, crm.url, new) is None
    set_workmode(stack, "VEIKKO", "2")
    time.sleep(QUIET_S)
    assert len(crm.of("userChanged", new)) == 1


def test_container_subscription_gets_the_container_and_its_item_events(
    users_stack: Stack, crm: CrmStandInThread
) -> None:
    stack, app_id = users_stack, f"line-{uuid.uuid4()}"

    def container_subscribe(channel_type: str, container_id: str) -> str:
        return (
            f'<subscribe xmlns="urn:IciContainerInterface"><appUrl>{crm.url}</appUrl>'
            f"<appId>{app_id}</appId><channelType>{channel_type}</channelType>"
            f"<containerId>{container_id}</containerId></subscribe>"
        )

    call(stack, CONTAINER, container_subscribe("1", "+4101"))
    call(stack, CONTAINER, container_subscribe("2", "Ulla@Example.com"))
    fault(stack, CONTAINER, container_subscribe("5", "+4101"), Errors.INVALID_ARGUMENT)
    fault(stack, CONTAINER, container_subscribe("1", ""), Errors.MISSING_ARGUMENT)
    session = sessions(stack, crm.url, app_id)
    assert getattr(session, "containers", None) == (
        ContainerRef(channel_type="1", container="+4101"),
        ContainerRef(channel_type="2", container="ulla@example.com"),
    )

    # telephony-svc's events of line +4101, as it publishes them.
    async def line_events() -> None:
        nc = await connect(stack.nats_settings(), "telephony stand-in")
        try:
            js = nc.jetstream()
            await publish(
                js,
                ContainerChanged(
                    container_type="1",
                    container_id="+4101",
                    status={"id": "1", "description": "OK"},
                ),
            )
            await publish(
                js, PhoneCallChanged(container_id="+4101", phone_call={"callHandle": "C1"})
            )
        finally:
            await close(nc)

    asyncio.run(line_events())
    assert len(crm.wait("containerChanged", app_id, 1)) == 1
    assert len(crm.wait("phoneCallChanged", app_id, 1)) == 1

    call(
        stack,
        CONTAINER,
        f'<unsubscribe xmlns="urn:IciContainerInterface"><appUrl>{crm.url}</appUrl>'
        f"<appId>{app_id}</appId></unsubscribe>",
    )
    assert sessions(stack, crm.url, app_id) is None
    asyncio.run(line_events())
    time.sleep(QUIET_S)
    assert len(crm.of("phoneCallChanged", app_id)) == 1


def test_faults_for_unknown_users_bad_workmodes_and_refused_urls(users_stack: Stack) -> None:
    stack = users_stack
    fault(stack, USER, user_op("getAttributes", "NOBODY"), Errors.UNKNOWN_USER)
    fault(
        stack,
        USER,
        user_op("setCurrentWorkmode", "nobody", "<workmode>2</workmode>"),
        Errors.UNKNOWN_USER,
    )
    for workmode in ("4", "1002", "ready"):
        inner = f"<workmode>{workmode}</workmode>"
        fault(stack, USER, user_op("setCurrentWorkmode", "ULLA", inner), Errors.INVALID_ARGUMENT)
    refused = (
        '<subscribe xmlns="urn:IciUserInterface"><appUrl>http://169.254.169.254/latest</appUrl>'
        "<appId>a</appId><userId>ULLA</userId></subscribe>"
    )
    fault(stack, USER, refused, Errors.SUBSCRIBER_URL_REFUSED)
    assert sessions(stack, "http://169.254.169.254/latest", "a") is None
    # Unsubscribing what was never subscribed is fine (9.2.7).
    call(
        stack,
        USER,
        '<unsubscribe xmlns="urn:IciUserInterface"><appUrl>http://crm.invalid/x</appUrl>'
        "<appId>never</appId></unsubscribe>",
    )


def test_the_cms_host_id_is_stable_and_a_ping_answers_it_alone(users_stack: Stack) -> None:
    _, host = get_attributes(users_stack, "ULLA")
    response, pinged = get_attributes(users_stack, "nobody at all", ping=True)
    assert pinged == host == response.findtext("cmsHostId")
    # Nothing but the CMS id: every other part of the User is nil.
    filled = [
        etree.QName(child).localname
        for child in response
        if child.get("{http://www.w3.org/2001/XMLSchema-instance}nil") != "true"
    ]
    assert filled == ["cmsHostId"]
