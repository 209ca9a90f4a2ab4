"""Where an event really goes: the subscribe URL rewritten by the rules of spec 4.4.

* ``OII.MapSubscribeUrl`` pairs (``oii_shared.subscriptions.url_map``), then
* ``OII.ReverseDnsSubscribeUrl`` = 1: an IP address left in the URL becomes its
  host name by reverse DNS (certificates name hosts, CRM sends addresses);
  without an answer the address stays.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

from oii_notifier.cache import RefreshingCache
from oii_shared.subscriptions.url_map import (
    Authority,
    UrlMapping,
    map_url,
    with_netloc,
)

log = logging.getLogger(__name__)

REVERSE_DNS_TIMEOUT_S = 2.0
# A name found is kept five minutes, a failed lookup one minute.
REVERSE_DNS_TTL_S = 300.0
REVERSE_DNS_FAILURE_TTL_S = 60.0
# Distinct subscribe URLs are few (one per CRM application server); this only bounds memory.
MAPPED_CACHE_SIZE = 10_000


class ReverseDns:
    """Host names of IP addresses, cached; the address itself when there is no name."""

    def __init__(self, timeout_s: float = REVERSE_DNS_TIMEOUT_S) -> None:
        self._timeout_s = timeout_s
        self._cache = RefreshingCache[str](self._named)

    async def name_of(self, address: str) -> str:
        return await self._cache.get(address)

    async def _named(self, address: str) -> tuple[str, float]:
        name = await self._lookup(address)
        return name, REVERSE_DNS_TTL_S if name != address else REVERSE_DNS_FAILURE_TTL_S

    async def _lookup(self, address: str) -> str:
        ip = ipaddress.ip_address(address)
        sockaddr: tuple[str, int] | tuple[str, int, int, int] = (
            (str(ip), 0) if ip.version == 4 else (str(ip), 0, 0, 0)
        )
        try:
            async with asyncio.timeout(self._timeout_s):
                host, _ = await asyncio.get_running_loop().getnameinfo(sockaddr, socket.NI_NAMEREQD)
        except (OSError, TimeoutError) as error:
            log.info("no reverse DNS name for %s (%s); the address stays", address, error)
            return address
        return host


class UrlRules:
    """The rewrite rules in force; rebuilt when the configuration is reloaded."""

    def __init__(
        self, mappings: Sequence[UrlMapping], reverse_dns: ReverseDns | None = None
    ) -> None:
        self.mappings = tuple(mappings)
        self.reverse_dns = reverse_dns
        self._mapped: dict[str, str] = {}

    async def final_url(self, url: str) -> str:
        mapped = self._mapped.get(url)
        if mapped is None:
            mapped = map_url(self.mappings, url)
            if len(self._mapped) >= MAPPED_CACHE_SIZE:
                self._mapped.clear()
            self._mapped[url] = mapped
        if self.reverse_dns is None:
            return mapped
        parts = urlsplit(mapped)
        host = parts.hostname or ""
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return mapped
        name = await self.reverse_dns.name_of(host)
        if name == host:
            return mapped
        return with_netloc(parts, Authority(name, None).netloc(parts.port))
