"""The subscribe URL check: the SSRF guard judges the URL after OII.MapSubscribeUrl (4.4.1)."""

from __future__ import annotations

import pytest
from nats.js.kv import KeyValue

from oii_gateway.users.sessions import SessionBook
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.subscriptions.store import SubscriptionStore
from oii_shared.subscriptions.url_guard import UrlGuard
from oii_shared.subscriptions.url_map import parse_url_map

# ".invalid" never resolves (RFC 2606): CRM names a host only its own network knows.
INTERNAL = "http://crm-internal.invalid:50000/IciEventService/IciEventConf"


async def test_an_unresolvable_crm_host_is_refused_without_a_mapping(kv: KeyValue) -> None:
    book = SessionBook(SubscriptionStore(kv), UrlGuard(()))
    with pytest.raises(IciFault) as refused:
        await book.check_url(INTERNAL)
    assert refused.value.error == Errors.SUBSCRIBER_URL_REFUSED


async def test_a_mapped_crm_host_is_judged_by_where_it_maps_to(kv: KeyValue) -> None:
    mapping = parse_url_map(["crm-internal.invalid:50000", "127.0.0.1:8000"])
    book = SessionBook(SubscriptionStore(kv), UrlGuard(()), lambda: mapping)
    await book.check_url(INTERNAL)


async def test_a_mapping_to_a_metadata_address_is_refused(kv: KeyValue) -> None:
    mapping = parse_url_map(["crm-internal.invalid:50000", "169.254.169.254:80"])
    book = SessionBook(SubscriptionStore(kv), UrlGuard(()), lambda: mapping)
    with pytest.raises(IciFault) as refused:
        await book.check_url(INTERNAL)
    assert refused.value.error == Errors.SUBSCRIBER_URL_REFUSED
