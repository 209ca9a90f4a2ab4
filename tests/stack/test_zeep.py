"""A generic SOAP client (zeep) reads every WSDL from the running stack and calls through it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import zeep
import zeep.exceptions
import zeep.transports
from lxml import etree
from stacklib import ICI_MESSAGE_GROUPS, Stack

from oii_shared import PRODUCT_NAME, PRODUCT_VERSION
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import Interface
from oii_shared.soap.faults import Errors

pytestmark = pytest.mark.stack

# The twelve services of spec 7.1 (IciEvent is CRM's side).
INTERFACES = (
    "IciSystem", "IciUser", "IciContainer", "IciItem", "IciPhoneLine", "IciPhoneCall",
    "IciFolder", "IciMessage", "IciChatLine", "IciChatSession", "IciActionItem", "IciMonitor",
)  # fmt: skip
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"


@contextmanager
def client_for(stack: Stack, interface: str, query: str = "WSDL") -> Iterator[zeep.Client]:
    transport = zeep.transports.Transport(timeout=10, operation_timeout=10)
    url = f"{stack.base_url}/OII/{interface}Service.asmx?{query}"
    with zeep.Client(url, transport=transport) as client:
        yield client


@pytest.mark.parametrize("query", ["WSDL", "wsdl"])
@pytest.mark.parametrize("interface", INTERFACES)
def test_wsdl_loads(stack: Stack, interface: str, query: str) -> None:
    url = f"{stack.base_url}/OII/{interface}Service.asmx?{query}"
    answer = httpx.get(url, timeout=10)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"].startswith("text/xml"), answer.headers
    assert etree.fromstring(answer.content).tag == f"{{{WSDL_NS}}}definitions"

    with client_for(stack, interface, query) as client:
        (service,) = client.wsdl.services.values()
        (port,) = service.ports.values()
        assert port.binding_options["address"] == f"{stack.base_url}/OII/{interface}Service.asmx"
        operations = set(port.binding.all())
        expected = {op.name for op in ici_registry().of_interface(Interface(interface))}
        assert operations == expected


def check_product_information(result: object) -> None:
    assert result.productName == PRODUCT_NAME  # type: ignore[attr-defined]
    assert result.productVersion == PRODUCT_VERSION  # type: ignore[attr-defined]
    assert result.iciVersion == "3.00"  # type: ignore[attr-defined]
    assert list(result.iciMessageGroups.item) == ICI_MESSAGE_GROUPS  # type: ignore[attr-defined]


def test_exchange_product_information(stack: Stack) -> None:
    with client_for(stack, "IciSystem") as client:
        # At the WSDL's address (IciSystemService.asmx)...
        check_product_information(client.service.exchangeProductInformation(iciVersion="3.00"))
        # ...and at the one URL CRM is configured with, routed by zeep's SOAPAction.
        gateway = client.create_service(
            "{urn:IciSystemInterface}IciSystemBinding", f"{stack.base_url}/OII/OII.asmx"
        )
        check_product_information(gateway.exchangeProductInformation(iciVersion="3.00"))


def test_get_workcenter_capability(stack: Stack) -> None:
    with client_for(stack, "IciSystem") as client:
        result = client.service.getWorkcenterCapability(userId="AGENT1")
    assert (result.types, result.workcenterList, result.filter) == ("0", False, False)


def test_not_supported_operation_raises_fault_with_ici_fields(stack: Stack) -> None:
    # IciMonitor is undocumented ("not ready for production", spec 7.1).
    with client_for(stack, "IciMonitor") as client, pytest.raises(zeep.exceptions.Fault) as caught:
        client.service.getCatalog()
    fault = caught.value
    assert fault.code.endswith("Server"), fault.code
    assert "not supported yet" in fault.message
    codes = fault.detail.find("{urn:IciEventInterface}IciErrorCodes")
    assert codes is not None, etree.tostring(fault.detail)
    error = Errors.NOT_SUPPORTED_YET
    assert (
        codes.findtext("areaCode"),
        codes.findtext("errorCode"),
        codes.findtext("errorText"),
        codes.findtext("errorRetry"),
    ) == (str(int(error.area)), str(error.code), error.text, "false")
