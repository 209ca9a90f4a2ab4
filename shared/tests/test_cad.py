"""Call attached data (spec 7.2): merging by Application subtree (7.2.4), OII's keys."""

from __future__ import annotations

import pytest
from lxml import etree

from oii_shared.items import cad
from oii_shared.soap.faults import Errors, IciFault

LIMIT = 1 << 20
OII = "SAP_BCM/OII"


def apps(document: str) -> dict[str, str]:
    root = etree.fromstring(document.encode())
    return {
        app.get("id"): "".join(f"{child.tag}={child.text}" for child in app)
        for app in root.findall("Application")
    }


IC = '<ItemAttachedData><Application id="CRM_IC/BUPA"><CURRENTCUSTOMER>b</CURRENTCUSTOMER></Application></ItemAttachedData>'  # noqa: E501


def test_set_keeps_the_subtrees_it_does_not_carry() -> None:
    existing = cad.with_values("", OII, [("FirstBName", "Q 2001"), ("FirstBNumber", "2001")], LIMIT)
    merged = cad.merge(existing, IC, LIMIT)
    assert apps(merged) == {
        OII: "FirstBName=Q 2001FirstBNumber=2001",
        "CRM_IC/BUPA": "CURRENTCUSTOMER=b",
    }
    replaced = cad.merge(
        merged,
        '<?xml version = "1.0" encoding = "UTF-8"?>\n<ItemAttachedData>'
        '<Application id="CRM_IC/BUPA"><CURRENTCONTACT>c</CURRENTCONTACT></Application>'
        '<Application id="IVR"><Menu>2</Menu></Application></ItemAttachedData>',
        LIMIT,
    )
    assert apps(replaced) == {
        OII: "FirstBName=Q 2001FirstBNumber=2001",
        "CRM_IC/BUPA": "CURRENTCONTACT=c",
        "IVR": "Menu=2",
    }
    # The order of the subtrees stays: a replaced one keeps its place.
    assert list(apps(replaced)) == [OII, "CRM_IC/BUPA", "IVR"]


def test_an_empty_set_changes_nothing() -> None:
    assert cad.merge(IC, "", LIMIT) == IC
    assert cad.merge(IC, "   ", LIMIT) == IC


@pytest.mark.parametrize(
    "document",
    [
        "<ItemAttachedData>",
        "not xml",
        "<Other/>",
        '<!DOCTYPE x [<!ENTITY a "b">]><ItemAttachedData/>',
    ],
)
def test_bad_documents_are_refused(document: str) -> None:
    with pytest.raises(IciFault) as raised:
        cad.merge("", document, LIMIT)
    assert raised.value.error in (Errors.INVALID_ARGUMENT, Errors.DTD_FORBIDDEN)


def test_values_are_set_in_place_and_xml_is_not_a_key() -> None:
    document = cad.with_values("", OII, [("XML", ""), ("FirstBName", "a")], LIMIT)
    document = cad.with_values(document, OII, [("FirstBName", "b"), ("SIP_CALL_ID", "s")], LIMIT)
    assert apps(document) == {OII: "FirstBName=bSIP_CALL_ID=s"}
    assert cad.value_of(document, OII, "SIP_CALL_ID", LIMIT) == "s"
    assert cad.value_of(document, OII, "GUID", LIMIT) is None
    assert cad.with_values("", OII, [], LIMIT) == ""


def test_only_the_own_application_follows_without_the_xml_key() -> None:
    document = cad.merge(cad.with_values("", OII, [("FirstBName", "a")], LIMIT), IC, LIMIT)
    assert apps(cad.only_application(document, OII, LIMIT)) == {OII: "FirstBName=a"}
    assert cad.only_application("", OII, LIMIT) == ""


def test_values_are_escaped() -> None:
    document = cad.with_values("", OII, [("FirstBName", "<Sales & Co>")], LIMIT)
    assert cad.value_of(document, OII, "FirstBName", LIMIT) == "<Sales & Co>"
