"""The SOAP entry of the suite: ``/OII/OII.asmx`` and ``/OII/<Interface>Service.asmx``.

Every request is checked here before any service sees it: client address,
size, well-formed XML without DTD, a known interface and operation. Then it is
answered locally (IciSystem, IciUser, IciContainer) or its bytes are forwarded
unchanged to the service that owns it. It runs on the raw ASGI fast path, which
turns the faults raised here into SOAP faults.
"""

from __future__ import annotations

from oii_gateway.routing.forwarder import Forwarder
from oii_gateway.routing.interfaces import resolve_interface
from oii_gateway.routing.items import item_owner
from oii_shared.ici.registry import Registry
from oii_shared.ici.schema import Owner
from oii_shared.run_state import RunStateFollower
from oii_shared.service.asgi_soap import SoapRequest, SoapResponse
from oii_shared.service.client_filter import ClientFilter
from oii_shared.service.soap_endpoint import SoapDispatcher
from oii_shared.soap.codec import SoapCall, decode_fields, operation_element
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.parser import local_name, parse_xml


class SoapGateway:
    def __init__(
        self,
        registry: Registry,
        local: SoapDispatcher,
        forwarder: Forwarder,
        clients: ClientFilter,
        run_state: RunStateFollower,
        max_body_bytes: int,
    ) -> None:
        self._registry = registry
        self._local = local
        self._forwarder = forwarder
        self._clients = clients
        self._run_state = run_state
        self._max_body_bytes = max_body_bytes

    async def endpoint(self, request: SoapRequest) -> SoapResponse:
        if not self._clients.allows(request.client):
            raise IciFault(Errors.FORBIDDEN)
        soap_action = request.soap_action
        interface = resolve_interface(request.path, soap_action)
        body = await request.read_body()
        element = operation_element(parse_xml(body, self._max_body_bytes))
        name = local_name(element)
        operation = self._registry.find(interface, name)
        if operation is None:
            raise IciFault(Errors.UNKNOWN_OPERATION, f"{interface.value} has no operation {name}")
        if self._run_state.stopped:
            raise IciFault(Errors.STOPPED, "OII is stopped; call Start on OII.asmx")
        owner = operation.owner
        if owner is Owner.GATEWAY or owner is Owner.ITEM_OWNER:
            call = SoapCall(operation, name, decode_fields(element, operation.request), element)
            if owner is Owner.GATEWAY:
                return await self._local.answer(call)
            owner = item_owner(call)
        return await self._forwarder.forward(owner, interface.service_path, body, soap_action)
