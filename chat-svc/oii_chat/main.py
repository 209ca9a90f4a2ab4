"""Composition root of the chat service.

Its channel is not built yet: the service runs, is routed to, and answers each
of its operations with the ICI fault "not supported yet".
"""

from __future__ import annotations

from fastapi import FastAPI

from oii_shared.ici.schema import Owner
from oii_shared.service.app import service_app
from oii_shared.service.logs import LastErrorHandler
from oii_shared.service.runner import run_service
from oii_shared.settings import Settings


def create_app(settings: Settings, last_error: LastErrorHandler) -> FastAPI:
    return service_app(settings, last_error, owner=Owner.CHAT)


def main() -> None:
    run_service(Settings(service="chat"), create_app)
