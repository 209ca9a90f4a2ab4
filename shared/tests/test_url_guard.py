"""The SSRF guard for CRM event URLs (OII_EVENT_ALLOW)."""

from __future__ import annotations

import pytest

from oii_shared.subscriptions.url_guard import UrlGuard


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/x",
        "http://[fe80::1%25eth0]/x",
        "http://[::ffff:169.254.169.254]/x",
        "http://[64:ff9b::a9fe:a9fe]/x",  # NAT64 of 169.254.169.254
        "http://[2002:a9fe:a9fe::1]/x",  # 6to4 of 169.254.169.254
        "http://2852039166/x",  # 169.254.169.254 as one number
        "http://0xa9.0xfe.0xa9.0xfe/x",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://METADATA.google.internal./x",
        "http://100.100.100.200/x",
        "http://0.0.0.0:8080/x",
        "http://0.1.2.3/x",
        "http://[::]/x",
    ],
)
async def test_metadata_and_link_local_addresses_are_always_refused(url: str) -> None:
    assert await UrlGuard(()).refusal(url) is not None
    assert await UrlGuard(["0.0.0.0/0", "::/0"]).refusal(url) is not None


@pytest.mark.parametrize(
    "url",
    ["ftp://crm.example.com/x", "file:///etc/passwd", "http:///x", "http://h:99999/x", "crm/x"],
)
async def test_only_http_and_https_urls_with_a_host(url: str) -> None:
    assert await UrlGuard(()).refusal(url) is not None


async def test_without_a_list_everything_else_is_allowed() -> None:
    guard = UrlGuard(())
    assert await guard.refusal("http://127.0.0.1:8000/sap/bc/ici") is None
    assert await guard.refusal("https://localhost/x") is None
    assert await guard.refusal("http://10.1.2.3/x") is None
    assert not guard.restricted


async def test_with_a_list_only_its_hosts_domains_and_networks() -> None:
    guard = UrlGuard(["LocalHost", "*.sap.example.org", "10.0.0.0/8", " ", "::1"])
    assert guard.restricted
    # A listed name is allowed whatever it resolves to (but metadata addresses, above).
    assert await guard.refusal("https://localhost:8443/x") is None
    assert await guard.refusal("http://10.20.30.40:8000/x") is None
    assert await guard.refusal("http://[::1]:8000/x") is None
    assert await guard.refusal("http://[::ffff:10.0.0.1]/x") is None
    assert "not in OII_EVENT_ALLOW" in (await guard.refusal("http://192.168.1.1/x") or "")
    # localhost resolves to loopback, which this list does not name.
    assert await UrlGuard(["10.0.0.0/8"]).refusal("http://localhost/x") is not None
    # The sandbox resolves no public names: the wildcard rule is checked on its own.
    assert guard._host_allowed("a.b.sap.example.org")
    assert guard._host_allowed("X.SAP.example.org")
    assert not guard._host_allowed("sap.example.org")
    assert not guard._host_allowed("evilsap.example.org")


async def test_a_name_that_does_not_resolve_is_refused() -> None:
    assert "does not resolve" in (await UrlGuard(()).refusal("http://no-such-host.invalid/x") or "")


@pytest.mark.parametrize(
    "url",
    ["http://" + "a" * 64 + ".example/x", "http://a..b/x", "http://.x/", "https://\u00e4" * 2],
)
async def test_a_host_that_is_no_dns_name_is_refused(url: str) -> None:
    # Found by `make fuzz` (envelopes): a label of 64 characters made the resolver's IDNA
    # encoding raise UnicodeError, and subscribe answered the INTERNAL fault.
    assert await UrlGuard(()).refusal(url) is not None
