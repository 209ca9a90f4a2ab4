"""Running a service: uvicorn with uvloop and httptools, bounded listeners, logs set once."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from oii_shared.service.listener import ListenerLimits, bounded_protocol, descriptor_bound
from oii_shared.service.logs import LastErrorHandler, configure_logging
from oii_shared.settings import OWNER_ONLY_UMASK, Settings

# Each service runs with its own settings class.
AnySettings = TypeVar("AnySettings", bound=Settings)


def listener_limits(settings: Settings) -> ListenerLimits:
    return ListenerLimits(
        max_head_bytes=settings.max_head_bytes,
        max_headers=settings.max_headers,
        head_timeout_s=settings.head_timeout_s,
        body_timeout_s=settings.body_timeout_s,
        max_connections=descriptor_bound(settings.max_connections),
    )


def run_service(
    settings: AnySettings, create_app: Callable[[AnySettings, LastErrorHandler], FastAPI]
) -> None:
    os.umask(OWNER_ONLY_UMASK)
    last_error = configure_logging(settings.log_level)
    limits = listener_limits(settings)
    logging.getLogger(__name__).info(
        "%s takes at most %d connections", settings.service, limits.max_connections
    )
    app = create_app(settings, last_error)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http=bounded_protocol(limits),
        ws="none",
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        # The allowlists must see the real peer address, never X-Forwarded-For.
        proxy_headers=False,
        timeout_keep_alive=settings.keep_alive_s,
        timeout_graceful_shutdown=5,
    )
