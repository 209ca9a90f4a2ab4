"""The SOAP endpoint of a service: parse, dispatch to a handler, answer.

The endpoints run on the raw ASGI fast path (asgi_soap.py), which maps faults to
responses. ``fault_response`` and ``read_limited_body`` are for the few
Starlette routes that still speak SOAP or bound a body (SAPphone, simulator).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from oii_shared.ici.registry import Registry
from oii_shared.ici.schema import Interface, Operation, Owner
from oii_shared.service.asgi_soap import (
    HTTP_FAULT,
    HTTP_OK,
    SoapEndpoint,
    SoapRequest,
    SoapResponse,
    receive_body,
)
from oii_shared.soap.codec import SoapCall, encode_response, read_operation
from oii_shared.soap.faults import Errors, IciFault, fault_envelope
from oii_shared.soap.namespaces import CONTENT_TYPE

log = logging.getLogger(__name__)

Handler = Callable[[SoapCall], Awaitable[Mapping[str, Any] | None]]
HandlerKey = tuple[Interface, str]


def fault_response(fault: IciFault) -> Response:
    """A fault as a Starlette response, for routes off the fast path."""
    return Response(fault_envelope(fault), status_code=HTTP_FAULT, media_type=CONTENT_TYPE)


def not_supported_yet(operation: Operation) -> IciFault:
    return IciFault(
        Errors.NOT_SUPPORTED_YET,
        f"{operation.interface.value}.{operation.name} is not supported yet",
    )


class SoapDispatcher:
    """Runs the handler of a decoded call; an operation without one is an honest fault."""

    def __init__(self, registry: Registry, owners: frozenset[Owner]) -> None:
        self.registry = registry
        self.owners = owners
        self._handlers: dict[HandlerKey, Handler] = {}

    def install(self, handlers: Mapping[HandlerKey, Handler]) -> None:
        for (interface, name), handler in handlers.items():
            operation = self.registry.find(interface, name)
            if operation is None or operation.owner not in self.owners:
                raise ValueError(f"{interface.value}.{name} is not an operation of this service")
            self._handlers[(interface, operation.name)] = handler

    async def dispatch(self, call: SoapCall) -> bytes:
        operation = call.operation
        if operation.owner not in self.owners:
            raise IciFault(
                Errors.UNKNOWN_OPERATION,
                f"{operation.interface.value}.{operation.name} is not served here",
            )
        handler = self._handlers.get((operation.interface, operation.name))
        if handler is None:
            raise not_supported_yet(operation)
        parts = await handler(call)
        return encode_response(operation, call.requested_name, parts)

    async def answer(self, call: SoapCall) -> SoapResponse:
        """The answer to a call; a handler's unexpected error is logged and becomes INTERNAL."""
        try:
            return SoapResponse(HTTP_OK, await self.dispatch(call))
        except IciFault:
            raise
        except Exception:
            log.exception("%s.%s failed", call.operation.interface.value, call.operation.name)
            raise IciFault(Errors.INTERNAL) from None


async def read_limited_body(request: Request, max_bytes: int) -> bytes:
    """A Starlette request's body, refused before it is read in full when it is too large."""
    return await receive_body(request.receive, request.headers.get("content-length"), max_bytes)


def soap_endpoint(
    dispatcher: SoapDispatcher, interface: Interface, max_body_bytes: int
) -> SoapEndpoint:
    """The fast-path endpoint for ``POST /OII/<Interface>Service.asmx`` of one interface."""

    async def endpoint(request: SoapRequest) -> SoapResponse:
        body = await request.read_body()
        call = read_operation(body, interface, dispatcher.registry, max_body_bytes)
        return await dispatcher.answer(call)

    return endpoint
