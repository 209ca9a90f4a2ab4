"""OII.MapSubscribeUrl pairs, their rewriting, and the reverse DNS rule (spec 4.4.1, 4.4.2)."""

from __future__ import annotations

import pytest

from oii_notifier.config import delivery_config
from oii_notifier.settings import NotifierSettings
from oii_notifier.url_rules import ReverseDns, UrlRules
from oii_shared.config.parameters import ModuleParameters
from oii_shared.subscriptions.url_map import parse_url_map

SPEC_EXAMPLE = "127.0.0.1:80, server1.com:80, 127.0.0.1:50001, server2.com:80"


def rules_of(value: str, reverse_dns: ReverseDns | None = None) -> UrlRules:
    return UrlRules(parse_url_map(value.split(",")), reverse_dns)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # The default port of the scheme counts as the port of the pair.
        ("http://127.0.0.1/sap/bc/ici?x=1", "http://server1.com:80/sap/bc/ici?x=1"),
        ("http://127.0.0.1:80/ici", "http://server1.com:80/ici"),
        ("http://127.0.0.1:50001/ici", "http://server2.com:80/ici"),
        ("http://user:pw@127.0.0.1:50001/ici", "http://user:pw@server2.com:80/ici"),
        # No pair for this port, or this host: unchanged.
        ("http://127.0.0.1:8080/ici", "http://127.0.0.1:8080/ici"),
        ("https://127.0.0.1/ici", "https://127.0.0.1/ici"),
        ("http://10.0.0.1:80/ici", "http://10.0.0.1:80/ici"),
    ],
)
async def test_the_spec_example_maps_host_and_port(url: str, expected: str) -> None:
    assert await rules_of(SPEC_EXAMPLE).final_url(url) == expected


async def test_hosts_compare_without_case_and_a_pair_without_port_keeps_the_port() -> None:
    rules = rules_of("CRM-Internal, crm.example.com")
    assert await rules.final_url("http://crm-internal:8000/x") == "http://crm.example.com:8000/x"
    assert await rules.final_url("http://crm-internal/x") == "http://crm.example.com/x"


async def test_ipv6_addresses_in_pairs_and_urls() -> None:
    rules = rules_of("[::1]:8080, crm.example.com:443, 10.1.1.1:80, [fd00::5]:8000")
    assert await rules.final_url("http://[::1]:8080/a") == "http://crm.example.com:443/a"
    assert await rules.final_url("http://10.1.1.1/a") == "http://[fd00::5]:8000/a"


async def test_a_url_prefix_pair_rewrites_any_part_of_the_url() -> None:
    rules = rules_of("http://10.0.0.1:8000/sap, https://crm.example.com/sap")
    assert (
        await rules.final_url("HTTP://10.0.0.1:8000/sap/bc/ici?sap-client=100")
        == "https://crm.example.com/sap/bc/ici?sap-client=100"
    )
    assert await rules.final_url("http://10.0.0.1:8000/other") == "http://10.0.0.1:8000/other"


async def test_the_first_matching_pair_wins_and_rewrites_do_not_chain() -> None:
    rules = rules_of("a:80, b:80, b:80, c:80, a:80, d:80")
    assert await rules.final_url("http://a/x") == "http://b:80/x"
    assert await rules.final_url("http://b/x") == "http://c:80/x"


def test_an_odd_entry_and_bad_pairs_are_skipped(caplog: pytest.LogCaptureFixture) -> None:
    mappings = parse_url_map(["a:80", "b:80", "x/y:1", "c:80", "http://d", "e:80", "lonely:1"])
    assert [(m.source, m.target) for m in mappings] == [("a:80", "b:80")]
    messages = caplog.text
    assert "lonely:1" in messages and "x/y:1" in messages and "http://d" in messages


async def test_a_url_with_an_invalid_port_is_left_alone() -> None:
    assert await rules_of(SPEC_EXAMPLE).final_url("http://127.0.0.1:99999/x") == (
        "http://127.0.0.1:99999/x"
    )


async def test_the_module_parameter_wins_over_the_registry_setting() -> None:
    both = ModuleParameters.from_values(
        {"MAP_SUBSCRIBE_URL": "old:80, registry:80", "OII.MapSubscribeUrl": "old:80, module:80"}
    )
    registry_only = ModuleParameters.from_values({"MAP_SUBSCRIBE_URL": "old:80, registry:80"})
    for parameters, expected in ((both, "module"), (registry_only, "registry")):
        config = delivery_config(NotifierSettings(), parameters, ReverseDns())
        assert await config.rules.final_url("http://old/x") == f"http://{expected}:80/x"


def test_the_registry_settings_of_the_notifier_are_read() -> None:
    parameters = ModuleParameters.from_values(
        {"SOAP_TIMEOUT_MS": "2500", "SOAP_WAIT_MS": "40", "SOAP_PROXY": "http://proxy:3128"}
    )
    config = delivery_config(NotifierSettings(event_retry_s=7), parameters, ReverseDns())
    assert (config.timeout_s, config.wait_s, config.proxy, config.retry_s) == (
        2.5,
        0.04,
        "http://proxy:3128",
        7,
    )
    assert config.connect_timeout_s == 2.5
    defaults = delivery_config(NotifierSettings(), ModuleParameters.from_values({}), ReverseDns())
    assert (defaults.timeout_s, defaults.wait_s, defaults.proxy) == (100.0, 0.25, None)
    assert defaults.rules.reverse_dns is None


class CountingReverseDns(ReverseDns):
    def __init__(self) -> None:
        super().__init__(timeout_s=1.0)
        self.lookups: list[str] = []

    async def _lookup(self, address: str) -> str:
        self.lookups.append(address)
        return await super()._lookup(address)


async def test_reverse_dns_names_an_ip_address_and_remembers_it() -> None:
    resolver = CountingReverseDns()
    rules = UrlRules((), resolver)
    assert await rules.final_url("http://127.0.0.1:8123/ici") == "http://localhost:8123/ici"
    assert await rules.final_url("http://127.0.0.1:8124/ici") == "http://localhost:8124/ici"
    assert resolver.lookups == ["127.0.0.1"]
    # Names are left alone: there is nothing to look up.
    assert await rules.final_url("http://crm.example.com/ici") == "http://crm.example.com/ici"
    assert resolver.lookups == ["127.0.0.1"]


async def test_reverse_dns_without_an_answer_keeps_the_address() -> None:
    resolver = CountingReverseDns()
    rules = UrlRules((), resolver)
    # TEST-NET-1 (RFC 5737): no PTR record anywhere.
    assert await rules.final_url("http://192.0.2.7:8000/ici") == "http://192.0.2.7:8000/ici"
    assert await rules.final_url("http://192.0.2.7:8000/ici") == "http://192.0.2.7:8000/ici"
    assert resolver.lookups == ["192.0.2.7"]


async def test_mapping_comes_first_then_reverse_dns_of_the_mapped_address() -> None:
    rules = rules_of("crm-vip:80, 127.0.0.1:8088", ReverseDns())
    assert await rules.final_url("http://crm-vip/ici") == "http://localhost:8088/ici"
