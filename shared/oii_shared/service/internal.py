"""Internal services answer the gateway only: every request carries OII_INTERNAL_TOKEN.

The gateway checks what CRM sends (client addresses, sizes, XML rules, run
state); an internal port that answered anyone would let a caller on the same
network walk around all of it. So the gateway sends the stack's shared secret
in ``X-OII-Internal-Token`` and the internal services refuse any request without
it, except ``GET /healthz``, which the supervisor's and compose's probes call
and which shows no details to an unauthenticated client.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.types import Receive, Scope, Send

from oii_shared.headers import INTERNAL_TOKEN_HEADER
from oii_shared.paths import HEALTHZ, LIVEZ
from oii_shared.service.asgi_soap import fault_answer, send_answer
from oii_shared.settings import Settings
from oii_shared.soap.faults import Errors, IciFault

log = logging.getLogger(__name__)

_HEADER = INTERNAL_TOKEN_HEADER.lower().encode("latin-1")
PROBES = frozenset({HEALTHZ, LIVEZ})


class InternalCallers:
    def __init__(self, token: str) -> None:
        self._token = token.encode()

    def admits(self, scope: Scope) -> bool:
        if scope["type"] == "lifespan":
            return True
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in PROBES:
            return True
        return has_token(scope, self._token)

    async def refuse(self, scope: Scope, receive: Receive, send: Send, soap: bool) -> None:
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})
            return
        if soap:
            await send_answer(
                send, fault_answer(IciFault(Errors.FORBIDDEN, "only the gateway may call"))
            )
            return
        body = json.dumps({"error": "only the gateway may call this service"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def has_token(scope: Scope, token: bytes) -> bool:
    for name, value in scope.get("headers", ()):
        if name == _HEADER:
            return hmac.compare_digest(value, token)
    return False


def internal_callers(settings: Settings) -> InternalCallers | None:
    """The check of an internal service; none (with a warning) when no token is set."""
    if not settings.internal_token:
        log.warning(
            "OII_INTERNAL_TOKEN is not set: %s answers any caller on its port, not only "
            "the gateway; set it (make run and compose do)",
            settings.service,
        )
        return None
    return InternalCallers(settings.internal_token)


def internal_headers(settings: Settings) -> dict[str, str]:
    """What the gateway adds to each request it sends an internal service."""
    return {INTERNAL_TOKEN_HEADER: settings.internal_token} if settings.internal_token else {}
