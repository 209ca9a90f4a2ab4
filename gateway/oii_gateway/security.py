"""IP-level protection of the SOAP endpoint (spec 1.1) and of the admin operations."""

from __future__ import annotations

import logging

from oii_shared.service.client_filter import ClientFilter
from oii_shared.settings import IpNetwork

log = logging.getLogger(__name__)


def soap_filter(networks: tuple[IpNetwork, ...]) -> ClientFilter:
    client_filter = ClientFilter(networks)
    if client_filter.open:
        log.warning(
            "OII_SOAP_ALLOW is not set: every client address may call the SOAP endpoints; "
            "set it to the CIDRs of your CRM application servers"
        )
    return client_filter
