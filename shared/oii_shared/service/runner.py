"""Running a service: uvicorn with uvloop and httptools, logs configured once."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from oii_shared.service.logs import LastErrorHandler, configure_logging
from oii_shared.settings import Settings


def run_service(
    settings: Settings, create_app: Callable[[Settings, LastErrorHandler], FastAPI]
) -> None:
    last_error = configure_logging(settings.log_level)
    app = create_app(settings, last_error)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        # The allowlists must see the real peer address, never X-Forwarded-For.
        proxy_headers=False,
        timeout_graceful_shutdown=5,
    )
