"""Where an event really goes: the subscribe URL rewritten by the rules of spec 4.4.

* ``OII.MapSubscribeUrl`` (or the registry setting ``MAP_SUBSCRIBE_URL``, which
  it overrides): comma-separated pairs ``subscribed host:port, real host:port``.
  A pair whose first entry holds ``://`` is a URL prefix instead, replaced as
  text, so any part of the URL can be changed. The first matching pair wins.
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
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from oii_notifier.cache import RefreshingCache

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
REVERSE_DNS_TIMEOUT_S = 2.0
# A name found is kept five minutes, a failed lookup one minute.
REVERSE_DNS_TTL_S = 300.0
REVERSE_DNS_FAILURE_TTL_S = 60.0
# Distinct subscribe URLs are few (one per CRM application server); this only bounds memory.
MAPPED_CACHE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class Authority:
    """``host[:port]`` of a mapping entry; host without brackets, compared case-insensitively."""

    host: str
    port: int | None

    @classmethod
    def parse(cls, text: str) -> Authority:
        parts = urlsplit("//" + text.strip())
        if not parts.hostname or parts.path or parts.query or parts.username:
            raise ValueError(f"{text.strip()!r} is not host:port")
        return cls(parts.hostname.rstrip("."), parts.port)

    def netloc(self, port: int | None) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if port is None else f"{host}:{port}"


@dataclass(frozen=True, slots=True)
class UrlMapping:
    """One pair of OII.MapSubscribeUrl."""

    source: str
    target: str

    def apply(self, url: str) -> str | None:
        """``url`` rewritten by this pair, or None if the pair does not match it."""
        if "://" in self.source:
            if url[: len(self.source)].casefold() == self.source.casefold():
                return self.target + url[len(self.source) :]
            return None
        parts = urlsplit(url)
        source = Authority.parse(self.source)
        host = (parts.hostname or "").rstrip(".")
        if host != source.host.casefold():
            return None
        port = parts.port
        if source.port is not None and source.port != (port or DEFAULT_PORTS.get(parts.scheme)):
            return None
        target = Authority.parse(self.target)
        return _with_netloc(parts, target.netloc(target.port if target.port else port))


def _with_netloc(parts: SplitResult, netloc: str) -> str:
    userinfo = parts.netloc.rpartition("@")[0]
    return parts._replace(netloc=f"{userinfo}@{netloc}" if userinfo else netloc).geturl()


def parse_url_map(items: Sequence[str]) -> tuple[UrlMapping, ...]:
    """The pairs of ``items`` (the parameter split at commas); bad entries are logged, skipped."""
    entries = [item.strip() for item in items if item.strip()]
    if len(entries) % 2:
        log.warning("OII.MapSubscribeUrl: %r has no partner; ignored", entries[-1])
    mappings = []
    for source, target in zip(entries[::2], entries[1::2], strict=False):
        try:
            if ("://" in source) != ("://" in target):
                raise ValueError("both sides must be URLs, or both host:port")
            if "://" not in source:
                Authority.parse(source)
                Authority.parse(target)
        except ValueError as error:
            log.warning("OII.MapSubscribeUrl: pair %r, %r ignored: %s", source, target, error)
            continue
        mappings.append(UrlMapping(source, target))
    return tuple(mappings)


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
            mapped = self._map(url)
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
        return _with_netloc(parts, Authority(name, None).netloc(parts.port))

    def _map(self, url: str) -> str:
        for mapping in self.mappings:
            try:
                rewritten = mapping.apply(url)
            except ValueError:  # a URL with an invalid port matches no host:port pair
                return url
            if rewritten is not None:
                return rewritten
        return url
