"""Helpers of the telephony stack tests: ICI calls as CRM makes them, the simulator's API,
and the phone calls of the IciEvents the CRM event endpoint stand-in received.

Plain functions and classes, no pytest, so that a test can also drive several stacks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from crm_stand_in_thread import CrmStandInThread
from lxml import etree
from stacklib import SoapAnswer, assert_response, envelope, soap, soap_action, wait_for

from oii_shared.crm_stand_in import CrmEvent

OII_ASMX = "/OII/OII.asmx"


def _text(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    child = element.find(name)
    if child is None or child.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true":
        return None
    return child.text or ""


@dataclass(frozen=True)
class Call:
    """A PhoneCall element (10.12) as CRM reads it."""

    line: str
    handle: str
    processing: int
    status: int
    capabilities: tuple[int, ...]
    remote: tuple[str, ...]
    dialed: str | None
    inbound: bool
    internal: bool
    attached_data: str
    trunk: str | None

    @classmethod
    def parse(cls, element: etree._Element) -> Call:
        return cls(
            line=_text(element, "lineNumber") or "",
            handle=_text(element, "callHandle") or "",
            processing=int(element.findtext("processingStatus/id") or 0),
            status=int(element.findtext("callStatus/id") or 0),
            capabilities=tuple(int(i.text or 0) for i in element.findall("capabilityList/item")),
            remote=tuple(i.text or "" for i in element.findall("remoteNumbers/item")),
            dialed=_text(element, "dialedNumber"),
            inbound=element.findtext("inbound") == "true",
            internal=element.findtext("internal") == "true",
            attached_data=_text(element, "attachedData") or "",
            trunk=_text(element, "trunkId"),
        )


class Ici:
    """ICI requests through the gateway, as CRM sends them."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(self, interface: str, operation: str, **args: Any) -> SoapAnswer:
        children = "".join(
            f"<{name}>{value}</{name}>" for name, value in args.items() if value is not None
        )
        body = envelope(f'<{operation} xmlns="urn:{interface}Interface">{children}</{operation}>')
        return soap(self.base_url, OII_ASMX, body, soap_action(interface))

    def ok(self, interface: str, operation: str, **args: Any) -> etree._Element:
        answer = self.request(interface, operation, **args)
        wrapper = assert_response(answer, interface, operation)
        return wrapper

    def response(self, interface: str, operation: str, **args: Any) -> etree._Element:
        wrapper = self.ok(interface, operation, **args)
        part = wrapper.find(f"{{urn:{interface}Interface}}response")
        assert part is not None, etree.tostring(wrapper)
        return part

    # ----------------------------------------------------------------- agents

    def login(self, user: str, *, ready: bool = True) -> None:
        self.ok("IciUser", "getAttributes", userId=user)
        if ready:
            self.ok("IciUser", "setCurrentWorkmode", userId=user, workmode=2)

    def workmode(self, user: str, workmode: int) -> None:
        self.ok("IciUser", "setCurrentWorkmode", userId=user, workmode=workmode)

    def subscribe_line(self, app_url: str, app_id: str, line: str) -> None:
        self.ok(
            "IciContainer",
            "subscribe",
            appUrl=app_url,
            appId=app_id,
            channelType=1,
            containerId=line,
        )

    # ----------------------------------------------------------------- calls

    def calls(self, line: str) -> list[Call]:
        part = self.response("IciPhoneLine", "getCalls", lineNumber=line)
        return [Call.parse(item) for item in part.findall("item")]

    def call(self, line: str, handle: str) -> Call:
        return Call.parse(
            self.response("IciPhoneCall", "getAttributes", lineNumber=line, callHandle=handle)
        )

    def create(self, line: str) -> str:
        part = self.response("IciItem", "create", channelType=1, containerId=line)
        return part.findtext("itemId") or ""

    def phone(self, operation: str, line: str, **args: Any) -> SoapAnswer:
        return self.request("IciPhoneCall", operation, lineNumber=line, **args)

    def item(self, operation: str, item_id: str, **args: Any) -> SoapAnswer:
        return self.request("IciItem", operation, itemId=item_id, **args)

    def wait_call(
        self, line: str, condition: Callable[[Call], bool], what: str, timeout: float = 10
    ) -> Call:
        """The first call of ``line`` that meets ``condition``, polled with getCalls."""

        def found() -> Call | None:
            return next((call for call in self.calls(line) if condition(call)), None)

        return wait_for(found, timeout, f"{what} on {line}", explain=lambda: str(self.calls(line)))


class Simulator:
    """The simulated telephone network's HTTP API, through the gateway."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call_in(self, caller: str, called: str) -> str:
        answer = httpx.post(
            f"{self.base_url}/api/v1/sim/calls", json={"from": caller, "to": called}, timeout=10
        )
        assert answer.status_code == 201, answer.text
        handle: str = answer.json()["callHandle"]
        return handle

    def hang_up(self, handle: str) -> httpx.Response:
        return httpx.post(f"{self.base_url}/api/v1/sim/calls/{handle}/hangup", timeout=10)


def call_of(event: CrmEvent) -> Call | None:
    """The PhoneCall an IciEvent carries (phoneCallChanged), if any."""
    element = next((c for c in event.element if etree.QName(c).localname == "phoneCall"), None)
    return Call.parse(element) if element is not None else None


def calls_received(crm: CrmStandInThread) -> list[Call]:
    """The PhoneCall of every event CRM received so far, in order."""
    return [call for event in crm.snapshot() if (call := call_of(event)) is not None]


def call_events(crm: CrmStandInThread, handle: str) -> list[Call]:
    return [call for call in calls_received(crm) if call.handle == handle]


def statuses(calls: list[Call]) -> list[tuple[int, int]]:
    """(callStatus, processingStatus) of each event, in order."""
    return [(call.status, call.processing) for call in calls]


def dumps(value: Any) -> str:
    return json.dumps(value, default=str)
