"""IP-level protection (spec 1.1): a client address is allowed when it is in one of the networks."""

from __future__ import annotations

import ipaddress

from starlette.requests import Request

from oii_shared.settings import IpNetwork


class ClientFilter:
    """Allows a client address when it falls in one of the networks; none means all."""

    def __init__(self, networks: tuple[IpNetwork, ...]) -> None:
        self._networks = networks

    @property
    def open(self) -> bool:
        return not self._networks

    def allows_request(self, request: Request) -> bool:
        """Judged on the TCP peer: X-Forwarded-For is never trusted."""
        return self.allows(request.client.host if request.client else None)

    def allows(self, host: str | None) -> bool:
        """``host`` is the TCP peer (an ASGI scope's ``client``), never X-Forwarded-For."""
        if not self._networks:
            return True
        if not host:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in network for network in self._networks)
