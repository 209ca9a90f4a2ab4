"""Where events may be sent: the guard against server-side request forgery.

A subscribe names any URL, and the notifier will POST to it; without a guard a
SOAP client could make the suite call cloud metadata services or internal
admin pages. ``OII_EVENT_ALLOW`` lists the host names (``crm.example.com``,
``*.example.com``) and CIDRs events may go to; link-local and cloud metadata
addresses are refused even when the list is empty. The gateway checks at
subscribe time, the notifier again at delivery (after URL mapping), so DNS
changes cannot smuggle a refused address in.

The suite's own listeners (``OII_SUITE_ENDPOINTS``: the gateway, every service,
NATS and its monitoring port, the SMTP and chat listeners) are refused whatever
the list says, on every address that reaches them (loopback, this machine's own
addresses, the names the endpoints are known by): an event POST from inside
the suite must never land on an admin page or an internal port. Only URL
prefixes the operator names in ``OII_EVENT_ALLOW_SUITE`` pass (the operator
console's event receiver, which accepts IciEvent messages and nothing else).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

from oii_shared.settings import EventUrlSettings
from oii_shared.subscriptions.local_addresses import is_local_address

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALWAYS_REFUSED_NETWORKS: tuple[IpNetwork, ...] = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "169.254.0.0/16",  # IPv4 link-local, AWS/GCP/Azure metadata 169.254.169.254
        "fe80::/10",  # IPv6 link-local
        "fd00:ec2::254/128",  # AWS metadata over IPv6
        "100.100.100.200/32",  # Alibaba Cloud metadata
        "0.0.0.0/8",  # "this network": Linux connects 0.x.y.z to the local host
        "::/128",
    )
)
# IPv6 prefixes that carry an IPv4 address a packet may end up at (NAT64, RFC 6052).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALWAYS_REFUSED_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})
SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


class SuiteEndpoints:
    """The suite's own listeners (``host:port``) and the URL prefixes allowed among them."""

    def __init__(self, endpoints: Iterable[str] = (), allowed: Iterable[str] = ()) -> None:
        self.by_port: dict[int, set[str]] = {}
        for entry in (item.strip() for item in endpoints):
            if entry:
                host, port = _split_endpoint(entry)
                self.by_port.setdefault(port, set()).add(host)
        self.allowed = tuple(_allowed_prefix(url) for url in allowed if url.strip())

    def allows(self, parts: SplitResult, port: int) -> bool:
        """Whether the operator allowed this URL although it points into the suite."""
        host = (parts.hostname or "").rstrip(".").casefold()
        path = parts.path or "/"
        return any(
            (scheme, allowed_host, allowed_port) == (parts.scheme.lower(), host, port)
            and (path == prefix or path.startswith(prefix.rstrip("/") + "/"))
            for scheme, allowed_host, allowed_port, prefix in self.allowed
        )

    async def owns(self, port: int, addresses: list[IpAddress]) -> bool:
        """Whether ``port`` on one of ``addresses`` is one of the suite's listeners."""
        hosts = self.by_port.get(port)
        if not hosts:
            return False
        if any(is_local_address(address) for address in addresses):
            # A listener on loopback or on a wildcard answers on every local address.
            return True
        for host in hosts:
            known = await _addresses(host, port)
            if any(address in known for address in addresses):
                return True
        return False


def _split_endpoint(entry: str) -> tuple[str, int]:
    parts = urlsplit(entry if "://" in entry else f"//{entry}")
    if parts.hostname is None or parts.port is None:
        raise ValueError(f"a suite endpoint is host:port, not {entry!r}")
    return parts.hostname.casefold(), parts.port


def _allowed_prefix(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise ValueError(f"OII_EVENT_ALLOW_SUITE takes http(s) URLs, not {url!r}")
    port = parts.port or DEFAULT_PORTS[scheme]
    return scheme, parts.hostname.rstrip(".").casefold(), port, parts.path or "/"


class UrlGuard:
    def __init__(self, allow: Iterable[str], suite: SuiteEndpoints | None = None) -> None:
        self.suite = suite or SuiteEndpoints()
        self.networks: list[IpNetwork] = []
        self.hosts: set[str] = set()
        self.domains: list[str] = []
        for entry in (item.strip() for item in allow):
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                name = entry.casefold().rstrip(".")
                if name.startswith("*."):
                    self.domains.append(name[1:])
                else:
                    self.hosts.add(name)

    @property
    def restricted(self) -> bool:
        return bool(self.networks or self.hosts or self.domains)

    async def refusal(self, url: str) -> str | None:
        """Why events may not go to ``url``, or ``None`` when they may."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:
            return f"not a valid URL: {error}"
        if parts.scheme.lower() not in SCHEMES:
            return f"scheme {parts.scheme or '(none)'!r} is not http or https"
        host = (parts.hostname or "").rstrip(".")
        if not host:
            return "the URL has no host"
        if host in ALWAYS_REFUSED_HOSTS:
            return f"{host} is a cloud metadata service"
        addresses = await _addresses(host, port)
        if not addresses:
            return f"{host} does not resolve"
        for address in addresses:
            if any(
                embedded in network
                for embedded in _with_embedded_ipv4(address)
                for network in ALWAYS_REFUSED_NETWORKS
            ):
                return f"{host} is a link-local or metadata address ({address})"
        target_port = port or DEFAULT_PORTS[parts.scheme.lower()]
        reached = [embedded for address in addresses for embedded in _with_embedded_ipv4(address)]
        if await self.suite.owns(target_port, reached) and not self.suite.allows(
            parts, target_port
        ):
            return f"{host}:{target_port} is a listener of this suite itself"
        if not self.restricted or self._host_allowed(host):
            return None
        for address in addresses:
            if not any(address in network for network in self.networks):
                return f"{host} ({address}) is not in OII_EVENT_ALLOW"
        return None

    def _host_allowed(self, host: str) -> bool:
        name = host.casefold()
        return name in self.hosts or any(name.endswith(domain) for domain in self.domains)


def _with_embedded_ipv4(address: IpAddress) -> list[IpAddress]:
    """``address`` and the IPv4 address an IPv6 one carries (6to4, NAT64), if any."""
    found = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.sixtofour is not None:
            found.append(address.sixtofour)
        if address in _NAT64:
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _plain(address: IpAddress) -> IpAddress:
    """An IPv4-mapped IPv6 address (``::ffff:10.0.0.1``) as the IPv4 address it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


async def _addresses(host: str, port: int | None) -> list[IpAddress]:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [_plain(literal)]
    # Also the path for the numeric spellings ip_address refuses ("2852039166",
    # "0xa9.0xfe.0xa9.0xfe"): the resolver turns them into the address they name.
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):  # UnicodeError: not a DNS name (IDNA: a label too long)
        return []
    found: list[IpAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = _plain(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
        if address not in found:
            found.append(address)
    return found


def event_url_guard(settings: EventUrlSettings) -> UrlGuard:
    """The guard of the gateway (at subscribe) and the notifier (at delivery): one construction."""
    suite = SuiteEndpoints(settings.suite_endpoints, settings.event_allow_suite)
    return UrlGuard(settings.event_allow, suite)
