"""OII.MapSubscribeUrl (spec 4.4.1): where CRM's subscribe URL really points.

``OII.MapSubscribeUrl`` (or the registry setting ``MAP_SUBSCRIBE_URL``, which it
overrides) holds comma-separated pairs ``subscribed host:port, real host:port``.
A pair whose first entry holds ``://`` is a URL prefix instead, replaced as
text, so any part of the URL can be changed. The first matching pair wins.
The gateway applies the pairs before it checks a subscribe URL against the SSRF
guard; the notifier applies them before every delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


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
        return with_netloc(parts, target.netloc(target.port if target.port else port))


def with_netloc(parts: SplitResult, netloc: str) -> str:
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


def map_url(mappings: Sequence[UrlMapping], url: str) -> str:
    """``url`` rewritten by the first pair that matches it, else unchanged."""
    for mapping in mappings:
        try:
            rewritten = mapping.apply(url)
        except ValueError:  # a URL with an invalid port matches no host:port pair
            return url
        if rewritten is not None:
            return rewritten
    return url
