"""Helpers of the notifier's stack tests: CRM's subscribe calls (async) and the event bus.

The CRM event endpoint itself is ``oii_shared.crm_stand_in.CrmStandIn``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from xml.sax.saxutils import escape

import aiohttp
from lxml import etree
from nats.js import JetStreamContext
from stacklib import Stack, envelope, soap_action

from oii_shared.bus.connect import close, connect

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


async def soap_call(stack: Stack, interface: str, operation_xml: str) -> etree._Element:
    """POST to /OII/OII.asmx as CRM does; the answer's Body child (fails on a Fault)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            stack.crm_url,
            data=envelope(operation_xml),
            headers={
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": soap_action(interface),
            },
        ) as answer,
    ):
        body = await answer.read()
    root = etree.fromstring(body)
    child = root.find(f"{{{SOAP_ENV}}}Body")[0]  # type: ignore[index]
    assert answer.status == 200, f"{interface}: HTTP {answer.status}: {body[:2000]!r}"
    return child


async def subscribe_container(
    stack: Stack, app_url: str, app_id: str, container_id: str, channel_type: str = "1"
) -> None:
    await soap_call(
        stack,
        "IciContainer",
        '<n0:subscribe xmlns:n0="urn:IciContainerInterface">'
        f"<appUrl>{escape(app_url)}</appUrl><appId>{escape(app_id)}</appId>"
        f"<channelType>{channel_type}</channelType>"
        f"<containerId>{escape(container_id)}</containerId></n0:subscribe>",
    )


async def unsubscribe_container(stack: Stack, app_url: str, app_id: str) -> None:
    await soap_call(
        stack,
        "IciContainer",
        '<n0:unsubscribe xmlns:n0="urn:IciContainerInterface">'
        f"<appUrl>{escape(app_url)}</appUrl><appId>{escape(app_id)}</appId></n0:unsubscribe>",
    )


async def subscribe_user(stack: Stack, app_url: str, app_id: str, user_id: str) -> None:
    await soap_call(
        stack,
        "IciUser",
        '<n0:subscribe xmlns:n0="urn:IciUserInterface">'
        f"<appUrl>{escape(app_url)}</appUrl><appId>{escape(app_id)}</appId>"
        f"<userId>{escape(user_id)}</userId></n0:subscribe>",
    )


@asynccontextmanager
async def event_bus(stack: Stack) -> AsyncIterator[JetStreamContext]:
    nc = await connect(stack.nats_settings(), "stack-test")
    try:
        yield nc.jetstream()
    finally:
        await close(nc)


async def notifier_delivery(stack: Stack) -> dict[str, Any]:
    """The ``delivery`` component of the notifier's /healthz (its statistics; the details
    are for the gateway's token only)."""
    async with (
        aiohttp.ClientSession(headers=stack.internal_headers) as session,
        session.get(f"{stack.info['services']['notifier']}/healthz") as answer,
    ):
        body: dict[str, Any] = await answer.json()
    delivery: dict[str, Any] = body["components"]["delivery"]
    return delivery


def phone_call(handle: str, line: str) -> dict[str, Any]:
    return {
        "lineNumber": line,
        "callHandle": handle,
        "processingStatus": {"id": "2", "description": "Active"},
    }
