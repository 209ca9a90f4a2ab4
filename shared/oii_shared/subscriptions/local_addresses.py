"""Whether an address reaches this machine: loopback, "any", or one of its interfaces' addresses.

A listener bound to a wildcard answers on every address of the machine, so the
event URL guard must know them all. They are read once per process (from the
kernel on Linux: ``/proc/net/if_inet6`` and the IPv4 address of each interface),
and again at most every ``REFRESH_S`` seconds, since interfaces come and go.
"""

from __future__ import annotations

import fcntl
import ipaddress
import socket
import struct
import time
from pathlib import Path

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REFRESH_S = 60.0
_SIOCGIFADDR = 0x8915
_IF_INET6 = Path("/proc/net/if_inet6")

_cache: tuple[float, frozenset[IpAddress]] = (float("-inf"), frozenset())


def is_local_address(address: IpAddress) -> bool:
    if address.is_loopback or address.is_unspecified:
        return True
    return address in interface_addresses()


def interface_addresses() -> frozenset[IpAddress]:
    global _cache
    read_at, addresses = _cache
    now = time.monotonic()
    if now - read_at > REFRESH_S:
        addresses = frozenset(_read_interface_addresses())
        _cache = (now, addresses)
    return addresses


def _read_interface_addresses() -> set[IpAddress]:
    found: set[IpAddress] = set()
    try:
        for line in _IF_INET6.read_text().splitlines():
            found.add(ipaddress.IPv6Address(int(line.split()[0], 16)))
    except (OSError, ValueError, IndexError):
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _index, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, request)
            except OSError:
                continue  # no IPv4 address on this interface
            found.add(ipaddress.IPv4Address(answer[20:24]))
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.add(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
    except OSError:
        pass
    return found
