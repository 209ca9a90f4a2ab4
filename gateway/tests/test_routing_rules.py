"""Pure routing rules of the gateway: interface resolution, client filters, item owners."""

from __future__ import annotations

import pytest

from oii_gateway.routing.interfaces import resolve_interface
from oii_gateway.routing.items import owner_of_channel
from oii_gateway.system.handlers import agreed_ici_version
from oii_shared.ici.registry import SERVED_INTERFACES
from oii_shared.ici.schema import Interface, Owner
from oii_shared.service.client_filter import ClientFilter
from oii_shared.settings import parse_networks
from oii_shared.soap.faults import Errors, IciFault


@pytest.mark.parametrize("interface", SERVED_INTERFACES, ids=lambda i: i.value)
def test_oii_asmx_routes_by_the_soap_action_table(interface: Interface) -> None:
    action = f'"http://inqmy.com/soapdispatcher/rpc/bcbici/{interface.value}Bean"'
    assert resolve_interface("/OII/OII.asmx", action) is interface
    assert resolve_interface("/oii/oii.ASMX", action.strip('"')) is interface


@pytest.mark.parametrize("interface", SERVED_INTERFACES, ids=lambda i: i.value)
def test_service_paths_route_directly_whatever_the_soap_action(interface: Interface) -> None:
    assert resolve_interface(f"/OII/{interface.value}Service.asmx", None) is interface


@pytest.mark.parametrize(
    ("path", "action", "error"),
    [
        ("/OII/OII.asmx", None, Errors.UNKNOWN_SOAP_ACTION),
        ("/OII/OII.asmx", '"urn:somethingElse"', Errors.UNKNOWN_SOAP_ACTION),
        (
            "/OII/OII.asmx",
            '"http://inqmy.com/soapdispatcher/rpc/bcbici/IciEventBean"',
            Errors.UNKNOWN_SOAP_ACTION,
        ),
        ("/OII/IciEventService.asmx", None, Errors.UNKNOWN_PATH),
        ("/OII/Nothing.asmx", None, Errors.UNKNOWN_PATH),
    ],
)
def test_unknown_targets_are_client_faults(path: str, action: str | None, error: object) -> None:
    with pytest.raises(IciFault) as caught:
        resolve_interface(path, action)
    assert caught.value.error is error


def test_client_filter() -> None:
    everyone = ClientFilter(())
    assert everyone.open and everyone.allows("203.0.113.9") and everyone.allows(None)
    crm = ClientFilter(parse_networks("10.0.0.0/8, 192.0.2.7, ::1"))
    assert crm.allows("10.1.2.3")
    assert crm.allows("192.0.2.7")
    assert crm.allows("::1")
    assert crm.allows("::ffff:10.9.9.9")
    assert not crm.allows("192.0.2.8")
    assert not crm.allows("127.0.0.1")
    assert not crm.allows(None)
    assert not crm.allows("not-an-address")


@pytest.mark.parametrize(
    ("channel_type", "owner"),
    [("1", Owner.TELEPHONY), ("2", Owner.MESSAGING), (" 3 ", Owner.CHAT), (4, Owner.ACTION)],
)
def test_item_create_goes_to_the_channel_of_its_type(channel_type: object, owner: Owner) -> None:
    assert owner_of_channel(channel_type) is owner


@pytest.mark.parametrize("channel_type", [None, "", "0", "5", "phone"])
def test_unknown_channel_type_is_a_client_fault(channel_type: object) -> None:
    with pytest.raises(IciFault) as caught:
        owner_of_channel(channel_type)
    assert caught.value.error is Errors.INVALID_ARGUMENT


@pytest.mark.parametrize(
    ("requested", "agreed"),
    [("3.00", "3.00"), ("3.07", "3.07"), ("4.00", "3.07"), (None, "3.07"), ("x", "3.07")],
)
def test_ici_version_agreement(requested: str | None, agreed: str) -> None:
    assert agreed_ici_version(requested) == agreed
