"""Composition root of the SAPphone service.

SAPphone is not built yet: every RFC function called over SOAP answers the
fault "not supported yet", naming the function.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from oii_shared.ici.schema import Owner
from oii_shared.paths import SAPPHONE
from oii_shared.service.app import service_app
from oii_shared.service.logs import LastErrorHandler
from oii_shared.service.runner import run_service
from oii_shared.service.soap_endpoint import fault_response, read_limited_body
from oii_shared.settings import Settings
from oii_shared.soap.codec import operation_element
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.parser import local_name, parse_xml


def create_app(settings: Settings, last_error: LastErrorHandler) -> FastAPI:
    app = service_app(settings, last_error, owner=Owner.SAPPHONE)

    async def rfc_function(request: Request) -> Response:
        try:
            body = await read_limited_body(request, settings.max_body_bytes)
            element = operation_element(parse_xml(body, settings.max_body_bytes))
        except IciFault as fault:
            return fault_response(fault)
        return fault_response(
            IciFault(
                Errors.NOT_SUPPORTED_YET, f"SAPphone {local_name(element)} is not supported yet"
            )
        )

    app.add_route(SAPPHONE, rfc_function, methods=["POST"])
    return app


def main() -> None:
    run_service(Settings(service="sapphone"), create_app)
