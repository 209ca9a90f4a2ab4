"""The SSRF guard for CRM event URLs (OII_EVENT_ALLOW)."""

from __future__ import annotations

import pytest

from oii_shared.subscriptions.local_addresses import interface_addresses
from oii_shared.subscriptions.url_guard import SuiteEndpoints, UrlGuard


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


# --------------------------------------------------------------------------- the suite itself

SUITE = SuiteEndpoints(
    ["127.0.0.1:8080", "0.0.0.0:8081", "127.0.0.1:41001", "127.0.0.1:4222", "localhost:8222"]
)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/OII/OII.asmx/Stop",
        "http://127.0.0.2:8080/OII/OII.asmx/Stop",  # any loopback address reaches a listener
        "http://localhost:8080/OII/OII.asmx/Start",
        "http://LOCALHOST.:8080/x",
        "http://[::1]:8080/x",
        "http://[::ffff:127.0.0.1]:8080/x",
        "http://[::ffff:7f00:1]:8080/x",
        "http://[64:ff9b::7f00:1]:8080/x",  # NAT64 of 127.0.0.1
        "http://[2002:7f00:1::1]:8080/x",  # 6to4 of 127.0.0.1
        "http://2130706433:8080/x",  # 127.0.0.1 as one number
        "http://0x7f.1:8080/x",
        "http://127.1:41001/OII/IciUserService.asmx",
        "http://127.0.0.1:4222/",  # NATS
        "http://127.0.0.1:8222/connz",  # its monitoring port
        "https://127.0.0.1:8081/x",
    ],
)
async def test_the_suites_own_listeners_are_refused_in_every_spelling(url: str) -> None:
    for guard in (UrlGuard((), SUITE), UrlGuard(["127.0.0.0/8", "::/0", "localhost"], SUITE)):
        refusal = await guard.refusal(url)
        assert refusal is not None and "listener of this suite" in refusal, (url, refusal)


async def test_every_address_of_this_machine_reaches_a_wildcard_listener() -> None:
    for address in interface_addresses():
        host = f"[{address}]" if address.version == 6 else str(address)
        if address.is_link_local:
            continue  # refused as link-local anyway
        refusal = await UrlGuard((), SUITE).refusal(f"http://{host}:8081/x")
        assert refusal is not None and "listener of this suite" in refusal, host


async def test_other_ports_and_hosts_stay_allowed() -> None:
    guard = UrlGuard((), SUITE)
    assert await guard.refusal("http://127.0.0.1:8090/sap/bc/srt/IciEvent") is None
    assert await guard.refusal("http://10.1.2.3:8080/x") is None


async def test_a_suite_endpoint_named_by_host_is_refused_on_its_addresses() -> None:
    # compose names services ("gateway:8080"); here "localhost" stands in for such a name.
    guard = UrlGuard((), SuiteEndpoints(["localhost:9999"]))
    assert await guard.refusal("http://127.0.0.1:9999/x") is not None


async def test_the_operator_may_allow_a_receiver_path_inside_the_suite() -> None:
    suite = SuiteEndpoints(["127.0.0.1:8080"], ["http://127.0.0.1:8080/OII/console/events"])
    guard = UrlGuard((), suite)
    assert await guard.refusal("http://127.0.0.1:8080/OII/console/events") is None
    assert await guard.refusal("http://127.0.0.1:8080/OII/console/events/lane-1") is None
    for url in (
        "http://127.0.0.1:8080/OII/console/eventsX",
        "http://127.0.0.1:8080/OII/OII.asmx/Stop",
        "http://localhost:8080/OII/console/events",  # allowed as written, nothing else
        "https://127.0.0.1:8080/OII/console/events",
    ):
        assert await guard.refusal(url) is not None, url


def test_bad_suite_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="host:port"):
        SuiteEndpoints(["gateway"])
    with pytest.raises(ValueError, match="OII_EVENT_ALLOW_SUITE"):
        SuiteEndpoints((), ["ftp://x/y"])
