"""The WSDLs built from the registry load in zeep and describe what the codec writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import zeep
from lxml import etree

from oii_shared.ici.registry import SERVED_INTERFACES, ici_registry
from oii_shared.ici.schema import Interface
from oii_shared.soap.codec import encode_response
from oii_shared.soap.wsdl import build_wsdl

BASE = "http://127.0.0.1:8080/"


def load(interface: Interface, tmp_path: Path) -> zeep.Client:
    path = tmp_path / f"{interface.value}.wsdl"
    path.write_bytes(build_wsdl(interface, ici_registry(), BASE))
    return zeep.Client(str(path))


@pytest.mark.parametrize("interface", SERVED_INTERFACES, ids=lambda i: i.value)
def test_every_interface_loads_with_every_operation(interface: Interface, tmp_path: Path) -> None:
    client = load(interface, tmp_path)
    binding = client.service._binding
    names = set(binding._operations)
    assert names == {op.name for op in ici_registry().of_interface(interface)}
    for op in ici_registry().of_interface(interface):
        soap_op = binding._operations[op.name]
        assert soap_op.soapaction == interface.soap_action
        message = client.create_message(client.service, op.name)
        body = message.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
        assert body is not None
        assert body[0].tag == f"{{{interface.namespace}}}{op.name}"
    address = client.service._binding_options["address"]
    assert address == f"http://127.0.0.1:8080{interface.service_path}"


def deserialize(client: zeep.Client, name: str, answer: bytes):  # type: ignore[no-untyped-def]
    operation = client.service._binding._operations[name]
    return operation.process_reply(etree.fromstring(answer))


def test_zeep_reads_exchange_product_information(tmp_path: Path) -> None:
    client = load(Interface.SYSTEM, tmp_path)
    operation = ici_registry().find(Interface.SYSTEM, "exchangeProductInformation")
    assert operation is not None
    answer = encode_response(
        operation,
        operation.name,
        {
            "response": {
                "message": None,
                "productName": "OII",
                "iciMessageGroups": ["IciGroupBasic", "IciGroupUser"],
                "productVersion": "0.1.0",
                "iciVersion": "3.00",
            }
        },
    )
    result = deserialize(client, operation.name, answer)
    assert result.productName == "OII"
    assert result.iciMessageGroups.item == ["IciGroupBasic", "IciGroupUser"]
    assert result.message is None


def test_zeep_reads_a_user_with_cms_host_id(tmp_path: Path) -> None:
    client = load(Interface.USER, tmp_path)
    operation = ici_registry().find(Interface.USER, "getAttributes")
    assert operation is not None
    answer = encode_response(
        operation,
        operation.name,
        {
            "response": {
                "userId": "HARRI",
                "currentWorkmode": {"id": "1", "description": "Logged off"},
                "workmodes": [{"id": "1", "description": "Logged off"}],
                "wrapUpMode": 1,
                "addresses": [{"address": "+129", "channel": "1"}],
            },
            "cmsHostId": "BA48C51B1B9249F6A56C4E6ADFFC2E3F",
        },
    )
    result = deserialize(client, operation.name, answer)
    assert result.response.userId == "HARRI"
    assert result.response.currentWorkmode.description == "Logged off"
    assert result.response.workmodes.item[0].id == "1"
    assert result.response.wrapUpMode == 1
    assert result.cmsHostId == "BA48C51B1B9249F6A56C4E6ADFFC2E3F"


def test_zeep_reads_a_void_answer(tmp_path: Path) -> None:
    client = load(Interface.USER, tmp_path)
    operation = ici_registry().find(Interface.USER, "setCurrentWorkmode")
    assert operation is not None
    deserialize(client, operation.name, encode_response(operation, operation.name, None))
