"""The gateway's public JSON API: its routes and their OpenAPI document.

Every JSON route the gateway serves is in the table given to ``add_public_api`` (today
the simulated telephone network's, passed on to telephony-svc); the document at
``/api/v1/openapi.json`` describes exactly those routes, and `make fuzz` runs
schemathesis against it. A new API (the admin API to come) adds its routes to the table.
The document is answered only to clients in ``OII_SOAP_ALLOW``, like the other operator
routes.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from oii_shared import PRODUCT_VERSION
from oii_shared.service.client_filter import ClientFilter
from oii_shared.service.json_api import api_error, json_errors_under_api, openapi_document

OPENAPI_PATH = "/api/v1/openapi.json"
DESCRIPTION = (
    'The JSON API of the OII gateway. Errors are `{"error": "..."}` with a 4xx status '
    "(502, 503 or 504 when the service behind the gateway is unavailable)."
)


def add_public_api(app: FastAPI, clients: ClientFilter, routes: Sequence[APIRoute]) -> None:
    app.router.routes.extend(routes)
    document = openapi_document("OII gateway", PRODUCT_VERSION, DESCRIPTION, routes)

    async def openapi(request: Request) -> Response:
        if not clients.allows_request(request):
            return api_error(403, "client address not allowed")
        return JSONResponse(document)

    app.add_route(OPENAPI_PATH, openapi, methods=["GET"])
    json_errors_under_api(app)
