"""Non-ICI paths the gateway forwards as they are (SAPphone over SOAP)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from oii_gateway.routing.forwarder import Forwarder
from oii_gateway.security import ClientFilter
from oii_shared.ici.schema import Owner
from oii_shared.service.soap_endpoint import fault_response, read_limited_body
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.parser import parse_xml


def passthrough_endpoint(
    forwarder: Forwarder, owner: Owner, clients: ClientFilter, max_body_bytes: int
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            if not clients.allows_request(request):
                raise IciFault(Errors.FORBIDDEN)
            body = await read_limited_body(request, max_body_bytes)
            parse_xml(body, max_body_bytes)
            return await forwarder.forward(
                owner, request.url.path, body, request.headers.get("soapaction")
            )
        except IciFault as fault:
            return fault_response(fault)

    return endpoint
