"""``GET /OII/<Interface>Service.asmx?WSDL``: the WSDL of each ICI interface."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from oii_shared.ici.registry import Registry, interface_for_path
from oii_shared.soap.text import escape
from oii_shared.soap.wsdl import build_wsdl


def wsdl_endpoint(registry: Registry) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        interface = interface_for_path(request.url.path)
        if interface is None:
            return Response("unknown service", status_code=404, media_type="text/plain")
        if any(key.lower() == "wsdl" for key in request.query_params):
            base_url = str(request.base_url)
            return Response(
                build_wsdl(interface, registry, base_url), media_type="text/xml; charset=utf-8"
            )
        items = "".join(
            f"<li>{escape(op.name)}: {escape(op.doc)}</li>"
            for op in registry.of_interface(interface)
        )
        return HTMLResponse(
            f"<!doctype html><title>{interface.value}</title><h1>{interface.value}</h1>"
            f'<p><a href="?WSDL">Service description (WSDL)</a></p><ul>{items}</ul>'
        )

    return endpoint
