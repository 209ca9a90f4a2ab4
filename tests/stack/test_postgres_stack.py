"""The stack on PostgreSQL, the database of the compose deployment."""

from __future__ import annotations

import os

import httpx
import pytest
from lxml import etree
from stacklib import StartStack, assert_response, envelope, soap, soap_action

pytestmark = pytest.mark.stack

POSTGRES_URL = os.environ.get("OII_TEST_POSTGRES_STACK_URL", "")


@pytest.mark.skipif(not POSTGRES_URL, reason="OII_TEST_POSTGRES_STACK_URL is not set")
def test_stack_runs_on_postgresql(start_extra_stack: StartStack) -> None:
    stack = start_extra_stack({"OII_DATABASE_URL": POSTGRES_URL})
    status, body = stack.health()
    assert status == 200
    assert body["components"]["database"]["dialect"] == "postgresql"
    users = httpx.get(f"{stack.base_url}/OII/OII.asmx/EnumUsers", timeout=10)
    names = etree.fromstring(users.content).text or ""
    assert [line.split("\t")[0] for line in names.splitlines()] == ["ANNA", "BERT", "CARL", "HARRI"]
    answer = soap(
        stack.base_url,
        "/OII/OII.asmx",
        envelope(
            '<exchangeProductInformation xmlns="urn:IciSystemInterface">'
            "<iciVersion>3.00</iciVersion></exchangeProductInformation>"
        ),
        soap_action("IciSystem"),
    )
    assert_response(answer, "IciSystem", "exchangeProductInformation")
