"""The SOAP endpoint of a service: parse, dispatch to a handler, answer.

Faults are mapped to responses here and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from oii_shared.ici.registry import Registry, interface_for_path
from oii_shared.ici.schema import Interface, Operation, Owner
from oii_shared.soap.codec import SoapCall, encode_response, read_operation
from oii_shared.soap.faults import Errors, IciFault, fault_envelope
from oii_shared.soap.namespaces import CONTENT_TYPE

log = logging.getLogger(__name__)

Handler = Callable[[SoapCall], Awaitable[Mapping[str, Any] | None]]
HandlerKey = tuple[Interface, str]
HTTP_OK = 200
HTTP_FAULT = 500


def soap_response(status: int, body: bytes) -> Response:
    return Response(body, status_code=status, media_type=CONTENT_TYPE)


def fault_response(fault: IciFault) -> Response:
    return soap_response(HTTP_FAULT, fault_envelope(fault))


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

    async def answer(self, call: SoapCall) -> Response:
        try:
            return soap_response(HTTP_OK, await self.dispatch(call))
        except IciFault as fault:
            return fault_response(fault)
        except Exception:
            log.exception("%s.%s failed", call.operation.interface.value, call.operation.name)
            return fault_response(IciFault(Errors.INTERNAL))


async def read_limited_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused before it is read in full when it is too large."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise IciFault(Errors.BODY_TOO_LARGE, f"request body exceeds {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise IciFault(Errors.BODY_TOO_LARGE, f"request body exceeds {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def soap_endpoint(
    dispatcher: SoapDispatcher, max_body_bytes: int
) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint for ``POST /OII/<Interface>Service.asmx``.

    A plain Starlette endpoint keeps FastAPI's dependency machinery off the hot path.
    """

    async def endpoint(request: Request) -> Response:
        interface = interface_for_path(request.url.path)
        if interface is None:
            return fault_response(IciFault(Errors.UNKNOWN_PATH, request.url.path))
        try:
            body = await read_limited_body(request, max_body_bytes)
            call = read_operation(body, interface, dispatcher.registry, max_body_bytes)
        except IciFault as fault:
            return fault_response(fault)
        return await dispatcher.answer(call)

    return endpoint
