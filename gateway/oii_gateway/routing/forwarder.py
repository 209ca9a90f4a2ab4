"""Forwarding a request's bytes to the service that owns it, over pooled HTTP.

aiohttp, not httpx, on this hot path: on our machines httpx caps forwarding
near 500 req/s where aiohttp reaches 3,000+ (see ../shared/PERFORMANCE.md).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import aiohttp

from oii_shared.ici.schema import Owner
from oii_shared.service.asgi_soap import SoapResponse
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.namespaces import CONTENT_TYPE

log = logging.getLogger(__name__)


class Forwarder:
    def __init__(
        self, session: aiohttp.ClientSession, urls: Mapping[Owner, str], timeout_s: float
    ) -> None:
        self._session = session
        self._urls = {owner: url.rstrip("/") for owner, url in urls.items() if url}
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def forward(
        self, owner: Owner, path: str, body: bytes, soap_action: str | None
    ) -> SoapResponse:
        base = self._urls.get(owner)
        if base is None:
            raise IciFault(Errors.SERVICE_UNAVAILABLE, f"no address configured for {owner.value}")
        headers = {"Content-Type": CONTENT_TYPE}
        if soap_action is not None:
            headers["SOAPAction"] = soap_action
        try:
            async with self._session.post(
                base + path, data=body, headers=headers, timeout=self._timeout
            ) as answer:
                content = await answer.read()
                media_type = answer.headers.get("Content-Type", "")
                status = answer.status
        except TimeoutError:
            raise IciFault(
                Errors.SERVICE_TIMEOUT, f"{owner.value} did not answer in time"
            ) from None
        except aiohttp.ClientError as exc:
            log.warning("forwarding to %s failed: %s", owner.value, exc)
            raise IciFault(Errors.SERVICE_UNAVAILABLE, f"{owner.value} is unavailable") from None
        if not media_type.startswith("text/xml"):
            log.error("%s answered %s with %r instead of SOAP", owner.value, status, media_type)
            raise IciFault(Errors.SERVICE_UNAVAILABLE, f"{owner.value} gave no SOAP answer")
        return SoapResponse(status, content, media_type)
