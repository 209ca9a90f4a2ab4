"""The CRM event endpoint stand-in over real HTTP: recording, answers, delays, forced statuses."""

from __future__ import annotations

import asyncio
import sys
import time

import aiohttp
import pytest
from lxml import etree

from oii_shared.crm_stand_in import EVENT_NS, CrmStandIn
from oii_shared.embedded.ports import free_port
from oii_shared.ici.registry import event_registry
from oii_shared.ici.schema import Interface
from oii_shared.soap.codec import encode_request
from oii_shared.soap.namespaces import SOAP_ENV

HEADERS = {
    "Content-Type": "text/xml; charset=utf-8",
    "SOAPAction": '"http://inqmy.com/soapdispatcher/rpc/bcbici/IciEventBean"',
}


def phone_call_changed(app_ids: tuple[str, ...], handle: str) -> bytes:
    operation = event_registry().find(Interface.EVENT, "phoneCallChanged")
    assert operation is not None
    return encode_request(
        operation,
        {"appIds": app_ids, "phoneCall": {"lineNumber": "+129", "callHandle": handle}},
    )


async def post(url: str, body: bytes) -> tuple[int, bytes]:
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=HEADERS) as got:
        return got.status, await got.read()


def body_child(answer: bytes) -> etree._Element:
    soap_body = etree.fromstring(answer).find(f"{{{SOAP_ENV}}}Body")
    assert soap_body is not None and len(soap_body) == 1, answer
    return soap_body[0]


async def test_an_event_is_recorded_and_answered_as_crm_does() -> None:
    async with CrmStandIn() as crm:
        assert crm.port > 0
        before_wall, before_perf = time.time(), time.perf_counter()
        status, answer = await post(crm.url("/s1"), phone_call_changed(("b", "a"), "h1"))
        assert status == 200
        response = body_child(answer)
        assert response.tag == f"{{{EVENT_NS}}}phoneCallChangedResponse"
        assert [child.tag for child in response] == [f"{{{EVENT_NS}}}response"]

        [event] = await crm.wait_events("phoneCallChanged", "a")
        assert (event.operation, event.namespace, event.app_ids) == (
            "phoneCallChanged",
            EVENT_NS,
            ("b", "a"),
        )
        assert event.path == "/s1"
        assert event.headers["SOAPAction"] == HEADERS["SOAPAction"]
        assert event.text("phoneCall/callHandle") == "h1"
        assert before_wall <= event.received_at <= time.time()
        assert before_perf <= event.received_perf <= crm.answered_at[0]
        assert "phoneCallChanged appIds=b,a" in event.line()
        assert "phoneCall/callHandle=h1" in event.line()
        assert crm.of("phoneCallChanged", "a", path="/s1") == [event]
        assert crm.of("phoneCallChanged", "c") == crm.of("userChanged") == []
        assert crm.of("phoneCallChanged", path="/s2") == []


async def test_a_request_that_is_no_envelope_is_refused_and_not_recorded() -> None:
    async with CrmStandIn() as crm:
        status, _ = await post(crm.url(), b"<notSoap/>")
        assert status == 400
        assert (crm.received, crm.malformed, crm.count) == ([], 1, 0)


async def test_a_delayed_answer_comes_that_late_and_requests_overlap() -> None:
    async with CrmStandIn(delay_s=0.5) as crm:
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(post(crm.url(), phone_call_changed(("a",), f"h{n}")) for n in range(3))
        )
        assert [status for status, _ in answers] == [200] * 3
        assert time.perf_counter() - started >= 0.5
        assert crm.max_in_flight == 3 and crm.in_flight == 0
        for event, answered in zip(crm.received, sorted(crm.answered_at), strict=True):
            assert answered - event.received_perf >= 0.5


async def test_forced_statuses_then_200_and_paths_answered_their_own_way() -> None:
    async with CrmStandIn(statuses=[500, 503]) as crm:
        slow_url = crm.answer_path("/slow", delay_s=0.4, statuses=[502])
        status, answer = await post(crm.url(), phone_call_changed(("a",), "1"))
        assert status == 500
        fault = body_child(answer)
        assert fault.tag == f"{{{SOAP_ENV}}}Fault"
        assert fault.findtext("faultcode") == "soap:Client"
        assert (await post(crm.url(), phone_call_changed(("a",), "2")))[0] == 503
        assert (await post(crm.url(), phone_call_changed(("a",), "3")))[0] == 200

        started = time.perf_counter()
        assert (await post(slow_url, phone_call_changed(("s",), "4")))[0] == 502
        assert time.perf_counter() - started >= 0.4
        assert (await post(slow_url, phone_call_changed(("s",), "5")))[0] == 200
        assert [event.text("phoneCall/callHandle") for event in crm.received] == [
            "1",
            "2",
            "3",
            "4",
            "5",
        ]
        assert [event.path for event in crm.of("phoneCallChanged", "s")] == ["/slow"] * 2


async def test_stopped_then_started_again_on_the_same_port() -> None:
    crm = CrmStandIn(port=free_port())
    url = crm.url()
    with pytest.raises(aiohttp.ClientConnectionError):
        await post(url, phone_call_changed(("a",), "1"))
    async with crm:
        assert (await post(url, phone_call_changed(("a",), "2")))[0] == 200
    async with crm:
        assert crm.url() == url
        assert (await post(url, phone_call_changed(("a",), "3")))[0] == 200
        with pytest.raises(AssertionError, match="3 request"):
            await crm.wait_count(3, within_s=0.2)
    assert crm.count == 2


async def test_the_command_line_prints_each_event_on_one_line() -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "oii_shared.crm_stand_in", "--port", str(port),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        started = await asyncio.wait_for(process.stdout.readline(), 20)
        assert f"http://127.0.0.1:{port}/" in started.decode()
        assert (await post(f"http://127.0.0.1:{port}/x", phone_call_changed(("a",), "h9")))[
            0
        ] == 200
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert " /x phoneCallChanged appIds=a " in line and "callHandle=h9" in line, line
    finally:
        process.terminate()
        await process.wait()
