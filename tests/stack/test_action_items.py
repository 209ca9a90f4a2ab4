"""Action items through the gateway as CRM routes and handles them, with a real CRM endpoint.

A stack of its own whose contact center gives each test its own agents and e-mail
queues (action items wait in e-mail queues chosen by TO_ADDRESS, 4.7.3), so tests
do not see each other's items; only ACT1 serves the ACTION queue. CRM routes
with IciActionItem.route, subscribes to the agents' inboxes (channelType 4, the
user id) and handles the items with IciItem and IciMessage.end.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from crm_stand_in_thread import CrmStandInThread
from lxml import etree
from stacklib import (
    SoapAnswer,
    Stack,
    assert_fault,
    assert_response,
    envelope,
    health_status,
    own_stack,
    soap,
    soap_action,
    wait_for,
)
from telephony_lib import OII_ASMX, Ici

from oii_shared.crm_stand_in import CrmEvent
from oii_shared.soap.faults import Errors

pytestmark = pytest.mark.stack

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "action" / "route_9_12_1_4.xml"
GERMAN_GUID = "6F9619FF8B86D011B42D00C04FC964FF"
RQ2_GUID = "0A1B2C3D4E5F60718293A4B5C6D7E8F9"
# status ids of 10.16.3 and processing ids of 10.16.1
NEW, ALERTING, ENDED, ACCEPTED = 2, 3, 4, 401
NOT_IN_PROCESS, ACTIVE, WRAP_UP = 1, 2, 3

CONFIG = f"""
parameters:
  OII.Action: 1
  OII.CheckDuplicateActionItem: 1
skills:
  - {{id: German, guid: {GERMAN_GUID}, external_name: GERMAN}}
queues:
  - {{id: TO@ERMS.EXAMPLE, channel: email}}
  - {{id: Z@ERMS.EXAMPLE, channel: email}}
  - {{id: SKILL@ERMS.EXAMPLE, channel: email}}
  - {{id: REQ@ERMS.EXAMPLE, channel: email}}
  - {{id: DUP@ERMS.EXAMPLE, channel: email}}
  - {{id: DEL@ERMS.EXAMPLE, channel: email}}
  - {{id: RST@ERMS.EXAMPLE, channel: email}}
  - {{id: FWD@ERMS.EXAMPLE, channel: email}}
  - {{id: BAD@ERMS.EXAMPLE, channel: email}}
users:
  - {{id: ACT1, queues: [ACTION]}}
  - {{id: TO1, queues: [TO@ERMS.EXAMPLE]}}
  - {{id: Z1, queues: [Z@ERMS.EXAMPLE]}}
  - {{id: SK1, queues: [SKILL@ERMS.EXAMPLE]}}
  - {{id: SK2, queues: [SKILL@ERMS.EXAMPLE], skills: {{German: 4}}}}
  - {{id: RQ1, queues: [REQ@ERMS.EXAMPLE]}}
  - {{id: RQ2, queues: [REQ@ERMS.EXAMPLE], guid: {RQ2_GUID}, crm_login: CRM-RQ2}}
  - {{id: DUP1, queues: [DUP@ERMS.EXAMPLE]}}
  - {{id: DEL1, queues: [DEL@ERMS.EXAMPLE]}}
  - {{id: RST1, queues: [RST@ERMS.EXAMPLE]}}
  - {{id: RST2, queues: [RST@ERMS.EXAMPLE]}}
  - {{id: FW1, queues: [FWD@ERMS.EXAMPLE]}}
  - {{id: FW2, queues: []}}
  - {{id: BAD1, queues: [BAD@ERMS.EXAMPLE]}}
"""
INBOXES = ("ACT1", "TO1", "Z1", "SK1", "SK2", "RQ1", "RQ2", "DUP1", "DEL1", "RST1", "RST2")
INBOXES += ("FW1", "FW2", "BAD1")
RESTART_S = 45.0


@pytest.fixture(scope="module")
def action_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(tmp_path_factory.mktemp("actions"), CONFIG) as stack:
        yield stack


@pytest.fixture(scope="module")
def ici(action_stack: Stack, crm: CrmStandInThread) -> Ici:
    client = Ici(action_stack.base_url)
    for inbox in INBOXES:
        client.ok(
            "IciContainer",
            "subscribe",
            appUrl=crm.url,
            appId="ic-webclient",
            channelType=4,
            containerId=inbox,
        )
    return client


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Seen:
    """One actionItemChanged as CRM read it."""

    inbox: str
    item_id: str
    status: int
    processing: int
    capabilities: tuple[int, ...]
    participants: tuple[str, ...]
    process_id: str
    attributes: dict[str, str]

    @classmethod
    def of(cls, event: CrmEvent) -> Seen | None:
        if event.operation != "actionItemChanged":
            return None
        session = event.element.find("actionSession")
        data = event.element.find("itemData")
        assert session is not None and data is not None, event.line()
        return cls(
            inbox=session.findtext("actionLineId") or "",
            item_id=event.text("actionItemId") or "",
            status=int(session.findtext("actionStatus/id") or 0),
            processing=int(session.findtext("processingStatus/id") or 0),
            capabilities=tuple(int(i.text or 0) for i in session.findall("capabilityList/item")),
            participants=tuple(i.text or "" for i in session.findall("actionParticipants/item")),
            process_id=data.findtext("processId") or "",
            attributes={
                item.findtext("id") or "": item.findtext("description") or ""
                for item in data.findall("actionItemAttributes/item")
            },
        )


def seen(crm: CrmStandInThread, item_id: str) -> list[Seen]:
    return [s for e in crm.snapshot() if (s := Seen.of(e)) is not None and s.item_id == item_id]


def wait_seen(
    crm: CrmStandInThread, item_id: str, inbox: str, status: int, timeout: float = 10
) -> Seen:
    def found() -> Seen | None:
        return next(
            (s for s in seen(crm, item_id) if s.status == status and s.inbox == inbox), None
        )

    return wait_for(
        found,
        timeout,
        f"action item {item_id} in status {status} in {inbox}",
        explain=lambda: "\n".join(map(str, seen(crm, item_id))),
    )


def attributes_xml(attributes: list[tuple[str, str]]) -> str:
    return "".join(
        f"<item><id>{name}</id><description>{value}</description></item>"
        for name, value in attributes
    )


def route(
    ici: Ici,
    attributes: list[tuple[str, str]] = (),  # type: ignore[assignment]
    *,
    process_id: str = "",
    routing: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> SoapAnswer:
    body = (
        '<route xmlns="urn:IciActionItemInterface"><itemData>'
        f"<requestId>R-{process_id}</requestId><processId>{process_id}</processId>"
        f"<actionItemAttributes>{attributes_xml(list(attributes))}</actionItemAttributes>"
        f"</itemData><routingAttributes>{attributes_xml(list(routing))}</routingAttributes>"
        "</route>"
    )
    return soap(ici.base_url, OII_ASMX, envelope(body), soap_action("IciActionItem"))


def route_id(answer: SoapAnswer) -> str:
    wrapper = assert_response(answer, "IciActionItem", "route")
    # The part is qualified, the types' fields are not (docs/design.md, SOAP).
    found = wrapper.findtext("{urn:IciActionItemInterface}response/actionItemID")
    assert found is not None, etree.tostring(wrapper)
    return found


def routed(ici: Ici, *attributes: tuple[str, str], process_id: str = "") -> str:
    return route_id(route(ici, list(attributes), process_id=process_id))


def ok(answer: SoapAnswer) -> None:
    assert answer.status == 200 and not answer.is_fault, answer


def item(ici: Ici, operation: str, item_id: str, **args: object) -> SoapAnswer:
    return ici.request("IciItem", operation, itemId=item_id, **args)


def end(ici: Ici, item_id: str) -> SoapAnswer:
    return ici.request("IciMessage", "end", messageId=item_id)


def handle_to_the_end(ici: Ici, crm: CrmStandInThread, item_id: str, inbox: str) -> None:
    ok(item(ici, "accept", item_id, containerId=inbox))
    wait_seen(crm, item_id, inbox, ACCEPTED)
    ok(end(ici, item_id))
    wait_seen(crm, item_id, inbox, ENDED)
    ok(item(ici, "wrapUpEnded", item_id))


def pending(ici: Ici, user_id: str, channel: str) -> dict[str, int]:
    """getPresenceQueueInfo: the contacts waiting in each of the user's queues of ``channel``."""
    part = ici.response("IciSystem", "getPresenceQueueInfo", userId=user_id, channelType=channel)
    return {
        item.findtext("id") or "": int(item.findtext("pending") or 0)
        for item in part.findall("queueInfo/item")
    }


def restart_action_service(stack: Stack) -> None:
    info = json.loads((stack.data_dir / "stack.json").read_text())
    old = info["pids"]["action"]
    os.kill(old, signal.SIGKILL)

    def restarted() -> bool:
        assert stack.process.poll() is None, f"the stack stopped\n{stack.console_tail()}"
        try:
            pid = json.loads((stack.data_dir / "stack.json").read_text())["pids"]["action"]
        except (FileNotFoundError, ValueError, KeyError):
            return False
        return pid != old and health_status(stack.base_url) == 200

    wait_for(restarted, RESTART_S, "action-svc restarted")


# --------------------------------------------------------------------------- the tests


def test_the_spec_sample_reaches_an_agent_who_accepts_and_ends_it(
    ici: Ici, crm: CrmStandInThread
) -> None:
    ici.login("ACT1")
    answer = soap(ici.base_url, OII_ASMX, SAMPLE.read_bytes(), soap_action("IciActionItem"))
    item_id = route_id(answer)
    assert len(item_id) == 32 and item_id.startswith("4")
    # No e-mail queue has the sample's TO_ADDRESS: it waits in ACTION, served by ACT1.
    alerting = wait_seen(crm, item_id, "ACT1", ALERTING)
    assert alerting.capabilities == (1, 2, 3, 6) and alerting.participants == ("ACT1",)
    assert alerting.process_id == "FOL2900000000004RAW3300000002161"
    assert alerting.attributes["FROM_ADDRESS"] == "sudhir.thambala@sap.com"
    assert alerting.attributes["SUBJECT"] == "Action item test"

    ok(item(ici, "accept", item_id, containerId="ACT1"))
    accepted = wait_seen(crm, item_id, "ACT1", ACCEPTED)
    assert accepted.capabilities == (3, 4, 6, 7, 8, 403) and accepted.processing == ACTIVE
    document = "<ItemAttachedData><Application id='CRM'><A>1</A></Application></ItemAttachedData>"
    ok(item(ici, "setAttachedData", item_id, attachedData=document.replace("<", "&lt;")))
    got = assert_response(item(ici, "getAttachedData", item_id), "IciItem", "getAttachedData")
    assert "<A>1</A>" in (got.findtext("{urn:IciItemInterface}response") or "")

    ok(end(ici, item_id))
    ended = wait_seen(crm, item_id, "ACT1", ENDED)
    assert ended.capabilities == (5,) and ended.processing == WRAP_UP
    ok(item(ici, "wrapUpEnded", item_id))
    wait_for(
        lambda: any(
            s.status == ENDED and s.processing == NOT_IN_PROCESS for s in seen(crm, item_id)
        ),
        10,
        "the item over after wrap-up",
    )
    assert_fault(end(ici, item_id), Errors.UNKNOWN_ITEM)


def test_to_address_and_z_to_address_choose_the_email_queue(
    ici: Ici, crm: CrmStandInThread
) -> None:
    ici.login("TO1")
    ici.login("Z1")
    to_item = routed(ici, ("TO_ADDRESS", "to@erms.example"), ("SUBJECT", "by TO"))
    wait_seen(crm, to_item, "TO1", ALERTING)
    z_item = routed(
        ici,
        ("TO_ADDRESS", "to@erms.example"),
        ("Z_TO_ADDRESS", "Z@ERMS.example"),
        ("Z_TO_ADDRESS_DIS", "shown@erms.example"),
    )
    wait_seen(crm, z_item, "Z1", ALERTING)
    for item_id, inbox in ((to_item, "TO1"), (z_item, "Z1")):
        handle_to_the_end(ici, crm, item_id, inbox)


def test_skills_choose_the_agent(ici: Ici, crm: CrmStandInThread) -> None:
    ici.login("SK1")  # idle longest, but without the skill
    ici.login("SK2")
    by_name = routed(ici, ("TO_ADDRESS", "skill@erms.example"), ("SKILL", "GERMAN=3"))
    wait_seen(crm, by_name, "SK2", ALERTING)
    handle_to_the_end(ici, crm, by_name, "SK2")
    by_guid = routed(ici, ("TO_ADDRESS", "skill@erms.example"), ("SKILL", GERMAN_GUID))
    wait_seen(crm, by_guid, "SK2", ALERTING)
    assert all(s.inbox == "SK2" for s in seen(crm, by_guid))
    handle_to_the_end(ici, crm, by_guid, "SK2")


def test_a_required_agent_gets_the_item_and_anyone_after_the_expiry(
    ici: Ici, crm: CrmStandInThread
) -> None:
    ici.login("RQ1")  # idle longest
    ici.login("RQ2")
    reserved = routed(ici, ("TO_ADDRESS", "req@erms.example"), ("REQUIRED_AGENT", "crm-rq2"))
    wait_seen(crm, reserved, "RQ2", ALERTING)
    routed_at = time.time()
    expiring = routed(
        ici,
        ("TO_ADDRESS", "req@erms.example"),
        ("REQUIRED_AGENT", "NOBODY-AT-ALL"),
        ("REQUIRED_AGENT_EXPIRY_TIME", "2"),
    )
    wait_seen(crm, expiring, "RQ1", ALERTING)
    assert time.time() - routed_at >= 2.0
    handle_to_the_end(ici, crm, reserved, "RQ2")
    handle_to_the_end(ici, crm, expiring, "RQ1")


def test_duplicates_by_process_id_and_delete(ici: Ici, crm: CrmStandInThread) -> None:
    ici.login("DUP1")
    first = routed(ici, ("TO_ADDRESS", "dup@erms.example"), process_id="P-DUP-1")
    again = routed(ici, ("TO_ADDRESS", "dup@erms.example"), process_id="P-DUP-1")
    assert again == first
    wait_seen(crm, first, "DUP1", ALERTING)
    ok(item(ici, "accept", first, containerId="DUP1"))
    wait_seen(crm, first, "DUP1", ACCEPTED)

    # DELETE=X: nothing new, the duplicate's id; the agent handling it sees it Ended.
    deleted = route_id(
        route(ici, [("TO_ADDRESS", "dup@erms.example"), ("DELETE", "X")], process_id="P-DUP-1")
    )
    assert deleted == first
    gone = wait_seen(crm, first, "DUP1", ENDED)
    assert gone.processing == NOT_IN_PROCESS
    assert_fault(end(ici, first), Errors.UNKNOWN_ITEM)
    # Without a duplicate there is nothing to delete: an empty id.
    assert route_id(route(ici, [("DELETE", "X")], process_id="P-NEVER-ROUTED")) == ""
    # The process may be routed anew once its item is over.
    fresh = routed(ici, ("TO_ADDRESS", "dup@erms.example"), process_id="P-DUP-1")
    assert fresh != first
    wait_seen(crm, fresh, "DUP1", ALERTING)
    handle_to_the_end(ici, crm, fresh, "DUP1")


def test_reroute_and_forward(ici: Ici, crm: CrmStandInThread) -> None:
    ici.login("FW1")
    ici.login("FW2")
    item_id = routed(ici, ("TO_ADDRESS", "fwd@erms.example"))
    wait_seen(crm, item_id, "FW1", ALERTING)
    # Forwarded to FW2's inbox (destType 4), who is in no queue at all.
    ok(item(ici, "forward", item_id, containerId="FW1", destType=4, destination="fw2"))
    wait_seen(crm, item_id, "FW1", ENDED)
    wait_seen(crm, item_id, "FW2", ALERTING)
    ok(item(ici, "accept", item_id, containerId="FW2"))
    # Accepted, then forwarded to the queue (destType 12): FW1 serves it.
    ok(
        item(
            ici, "forward", item_id, containerId="FW2", destType=12, destination="FWD@erms.example"
        )
    )
    wait_for(
        lambda: (
            len([s for s in seen(crm, item_id) if s.inbox == "FW1" and s.status == ALERTING]) == 2
        ),
        10,
        "alerting FW1 again",
    )
    # FW1 refuses it (reroute): it waits in its queue and is never offered to FW1 again.
    ok(item(ici, "reroute", item_id, containerId="FW1"))
    wait_for(
        lambda: [s.status for s in seen(crm, item_id) if s.inbox == "FW1"][-1] == ENDED,
        10,
        "rerouted away from FW1",
    )
    assert_fault(
        item(ici, "forward", item_id, containerId="FW1", destType=4, destination="FW2"),
        Errors.ACTION_ITEM_NOT_IN_INBOX,
    )


def test_bad_input_gets_a_fault_naming_it(ici: Ici, crm: CrmStandInThread) -> None:
    no_data = soap(
        ici.base_url,
        OII_ASMX,
        envelope('<route xmlns="urn:IciActionItemInterface"></route>'),
        soap_action("IciActionItem"),
    )
    assert "itemData" in assert_fault(no_data, Errors.MISSING_ARGUMENT).message
    for value in ("GERMAN=6", "GERMAN=0", "GERMAN=x"):
        fault = assert_fault(route(ici, [("SKILL", value)]), Errors.INVALID_ARGUMENT)
        assert "1 to 5" in fault.message
    unknown = assert_fault(route(ici, [("SKILL", "Klingon=2")]), Errors.INVALID_ARGUMENT)
    assert "Klingon" in unknown.message
    created = assert_fault(
        ici.request("IciItem", "create", channelType=4, containerId="BAD1"),
        Errors.INVALID_ARGUMENT,
    )
    assert "IciActionItem.route" in created.message
    ici.login("BAD1")
    item_id = routed(ici, ("TO_ADDRESS", "bad@erms.example"))
    wait_seen(crm, item_id, "BAD1", ALERTING)
    not_yet = assert_fault(end(ici, item_id), Errors.NOT_ALLOWED_IN_STATUS)
    assert "IciMessage.end" in not_yet.message and "Alerting" in not_yet.message
    assert_fault(item(ici, "accept", item_id, containerId="ACT1"), Errors.ACTION_ITEM_NOT_IN_INBOX)
    handle_to_the_end(ici, crm, item_id, "BAD1")


def test_items_outlive_a_restart_of_action_svc(
    action_stack: Stack, ici: Ici, crm: CrmStandInThread
) -> None:
    # Nobody of RST@ is logged in: the items wait.
    waiting = routed(ici, ("TO_ADDRESS", "rst@erms.example"), process_id="P-RST-1")
    reserved = routed(
        ici,
        ("TO_ADDRESS", "rst@erms.example"),
        ("REQUIRED_AGENT", "RST2"),
        ("REQUIRED_AGENT_EXPIRY_TIME", "4"),
    )
    routed_at = time.time()
    restart_action_service(action_stack)
    # A duplicate is still known after the restart.
    assert routed(ici, ("TO_ADDRESS", "rst@erms.example"), process_id="P-RST-1") == waiting
    # getPresenceQueueInfo counts them in the e-mail queue they wait in (channelType 2).
    wait_for(
        lambda: pending(ici, "RST1", "2").get("RST@ERMS.EXAMPLE") == 2,
        10,
        "two action items pending in RST@ERMS.EXAMPLE",
    )
    ici.login("RST1")
    wait_seen(crm, waiting, "RST1", ALERTING)
    handle_to_the_end(ici, crm, waiting, "RST1")
    # Reserved for RST2, who never logs in: RST1 gets it once the expiry passed.
    wait_seen(crm, reserved, "RST1", ALERTING)
    assert time.time() - routed_at >= 4.0
    handle_to_the_end(ici, crm, reserved, "RST1")
