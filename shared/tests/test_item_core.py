"""The item core's IciItem handler set over a toy channel defined here, with SOAP bytes in.

The toy is an e-mail-like channel with its own state table (a dict of items),
guarded by the kit's capability check and keeping attached data with the kit's
document merge (7.2.4); one operation it has not built answers honestly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from lxml import etree

from oii_shared.channels import Channel
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import Interface, Owner
from oii_shared.ici.tables import MESSAGE_PROCESSING_STATUSES, MessageCapability, MessageStatus
from oii_shared.ici.types.common import text_element
from oii_shared.items import cad, guard
from oii_shared.items.handlers import CreatedItem, item_handlers
from oii_shared.service.app import served_owners
from oii_shared.service.soap_endpoint import SoapDispatcher
from oii_shared.soap.codec import read_operation
from oii_shared.soap.faults import Errors, IciError, IciFault

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "urn:IciItemInterface"
FOLDER = "anna@example.com"
MAX_CAD = 1 << 16


@dataclass
class Mail:
    status: MessageStatus
    folder: str
    attached_data: str = ""


@dataclass
class ToyMail:
    """The channel's side: its items and what each operation does to them."""

    items: dict[str, Mail] = field(default_factory=dict)

    def container(self, value: object) -> str:
        folder = str(value or "").strip()
        if folder != FOLDER:
            raise IciFault(Errors.INVALID_ARGUMENT, f"no folder {folder}")
        return folder

    def _mail(self, item_id: object, capability: MessageCapability) -> tuple[str, Mail]:
        key = str(item_id or "").strip().upper()
        mail = self.items.get(key)
        if mail is None:
            raise IciFault(Errors.UNKNOWN_ITEM, f"no item {key}")
        guard.require(key, mail.status, capability, "e-mail")
        return key, mail

    async def create(self, container: str) -> CreatedItem:
        item_id = uuid.uuid4().hex.upper()
        self.items[item_id] = Mail(MessageStatus.CREATED, container)
        processing = text_element(1, MESSAGE_PROCESSING_STATUSES[1])
        return CreatedItem(item_id, processing, MessageStatus.CREATED.capabilities)

    async def accept(self, container: str, item_id: object) -> None:
        _, mail = self._mail(item_id, MessageCapability.ACCEPT)
        mail.status = MessageStatus.ACCEPTED

    async def reroute(self, container: str, item_id: object) -> None:
        _, mail = self._mail(item_id, MessageCapability.REROUTE)
        mail.status = MessageStatus.NEW

    async def forward(
        self, container: str, item_id: object, dest_type: object, destination: object
    ) -> None:
        _, mail = self._mail(item_id, MessageCapability.FORWARD)
        mail.status, mail.folder = MessageStatus.ENDED, str(destination)

    async def wrap_up_required(self, item_id: object) -> None:
        raise IciFault(Errors.NOT_SUPPORTED_YET, "wrapUpRequired is not built for toy mail")

    async def wrap_up_ended(self, item_id: object) -> None:
        key, _ = self._mail(item_id, MessageCapability.WRAP_UP_ENDED)
        del self.items[key]

    async def get_attached_data(self, item_id: object) -> str:
        return self._mail(item_id, MessageCapability.GET_ATTACHED_DATA)[1].attached_data

    async def set_attached_data(self, item_id: object, document: object) -> None:
        _, mail = self._mail(item_id, MessageCapability.SET_ATTACHED_DATA)
        mail.attached_data = cad.merge(mail.attached_data, str(document or ""), MAX_CAD)

    async def delete_attached_data(self, item_id: object) -> None:
        self._mail(item_id, MessageCapability.DELETE_ATTACHED_DATA)[1].attached_data = ""


@dataclass
class Service:
    toy: ToyMail
    dispatcher: SoapDispatcher

    async def call(self, name: str, **args: str) -> etree._Element:
        children = "".join(f"<{key}>{value}</{key}>" for key, value in args.items())
        body = (
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body>'
            f'<{name} xmlns="{NS}">{children}</{name}></soap:Body></soap:Envelope>'
        ).encode()
        call = read_operation(body, Interface.ITEM, self.dispatcher.registry, 1 << 20)
        answer = etree.fromstring(await self.dispatcher.dispatch(call))
        (response,) = answer.find(f"{{{SOAP_ENV}}}Body")  # type: ignore[misc]
        return response

    async def fault(self, name: str, error: IciError, **args: str) -> str:
        with pytest.raises(IciFault) as caught:
            await self.call(name, **args)
        assert caught.value.error == error, caught.value
        return caught.value.message


@pytest.fixture
def service() -> Service:
    toy = ToyMail()
    dispatcher = SoapDispatcher(ici_registry(), served_owners(Owner.MESSAGING))
    dispatcher.install(item_handlers(Channel.EMAIL, toy))
    return Service(toy, dispatcher)


def test_the_handler_set_has_all_nine_operations() -> None:
    handlers = item_handlers(Channel.EMAIL, ToyMail())
    assert {interface for interface, _ in handlers} == {Interface.ITEM}
    assert {name for _, name in handlers} == {
        "create", "accept", "reroute", "forward", "wrapUpRequired", "wrapUpEnded",
        "getAttachedData", "setAttachedData", "deleteAttachedData",
    }  # fmt: skip


async def test_create_answers_the_item_element_of_9_4_1_3(service: Service) -> None:
    answer = await service.call("create", channelType="2", containerId=FOLDER)
    response = answer.find(f"{{{NS}}}response")
    assert response is not None
    # The Item's children are unqualified, as in the sample.
    item_id = response.findtext("itemId")
    assert item_id in service.toy.items
    assert (response.findtext("status/id"), response.findtext("status/description")) == (
        "1",
        "Created",
    )
    assert response.findtext("processingStatus/id") == "1"
    capabilities = [int(e.text or "") for e in response.iterfind("capabilityList/item")]
    assert capabilities == list(MessageStatus.CREATED.capabilities)


async def test_create_refuses_another_channel_and_an_unknown_container(service: Service) -> None:
    message = await service.fault(
        "create", Errors.INVALID_ARGUMENT, channelType="1", containerId=FOLDER
    )
    assert "'1' is not E-mail" in message
    await service.fault("create", Errors.INVALID_ARGUMENT, channelType="2", containerId="bob@x")
    assert service.toy.items == {}


async def test_each_operation_reaches_the_channel_within_its_capabilities(
    service: Service,
) -> None:
    toy = service.toy
    toy.items["A1"] = Mail(MessageStatus.ALERTING, FOLDER)
    await service.fault("setAttachedData", Errors.NOT_ALLOWED_IN_STATUS, itemId="a1")
    await service.call("accept", itemId="a1", containerId=FOLDER)
    assert toy.items["A1"].status is MessageStatus.ACCEPTED
    await service.fault("accept", Errors.NOT_ALLOWED_IN_STATUS, itemId="A1", containerId=FOLDER)

    first = '<ItemAttachedData><Application id="CRM"><K>1</K></Application></ItemAttachedData>'
    other = '<ItemAttachedData><Application id="ERMS"><E>2</E></Application></ItemAttachedData>'
    for document in (first, other):
        await service.call("setAttachedData", itemId="A1", attachedData=escape(document))
    got = (await service.call("getAttachedData", itemId="A1")).findtext(f"{{{NS}}}response")
    assert got is not None and cad.value_of(got, "CRM", "K", MAX_CAD) == "1"
    assert cad.value_of(got, "ERMS", "E", MAX_CAD) == "2"  # 7.2.4: subtrees merge
    await service.call("deleteAttachedData", itemId="A1")
    assert toy.items["A1"].attached_data == ""

    message = await service.fault("wrapUpRequired", Errors.NOT_SUPPORTED_YET, itemId="A1")
    assert "not built" in message
    await service.call(
        "forward", itemId="A1", containerId=FOLDER, destType="12", destination="SALES"
    )
    assert (toy.items["A1"].status, toy.items["A1"].folder) == (MessageStatus.ENDED, "SALES")
    await service.call("wrapUpEnded", itemId="A1")
    assert "A1" not in toy.items

    toy.items["B2"] = Mail(MessageStatus.ALERTING, FOLDER)
    await service.call("reroute", itemId="B2", containerId=FOLDER)
    assert toy.items["B2"].status is MessageStatus.NEW
    await service.fault("getAttachedData", Errors.UNKNOWN_ITEM, itemId="C3")


def escape(document: str) -> str:
    return document.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
