"""Non-ICI paths the gateway forwards as they are (SAPphone over SOAP)."""

from __future__ import annotations

from oii_gateway.routing.forwarder import Forwarder
from oii_shared.ici.schema import Owner
from oii_shared.service.asgi_soap import SoapEndpoint, SoapRequest, SoapResponse
from oii_shared.service.client_filter import ClientFilter
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.parser import parse_xml


def passthrough_endpoint(
    forwarder: Forwarder, owner: Owner, clients: ClientFilter, max_body_bytes: int
) -> SoapEndpoint:
    """A fast-path endpoint: the client checked, the body bounded and parsed, then forwarded."""

    async def endpoint(request: SoapRequest) -> SoapResponse:
        if not clients.allows(request.client):
            raise IciFault(Errors.FORBIDDEN)
        body = await request.read_body()
        parse_xml(body, max_body_bytes)
        return await forwarder.forward(owner, request.path, body, request.soap_action)

    return endpoint
