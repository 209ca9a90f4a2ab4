"""Item attached data (spec 7.2): the ``<ItemAttachedData>`` document of every item.

Every application keeps its data in its own ``<Application id="...">`` subtree
(7.2.4): setting data replaces only the subtrees the new document carries, and
OII writes its own keys (7.2.1) under ``OII.CADApplicationID``. Untrusted XML
is read with the suite's one hardened parser.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.parser import local_name, parse_xml

ROOT = "ItemAttachedData"
APPLICATION = "Application"
# The special key of the ExtraDataWhen* parameters: the CAD document itself (7.2.1).
XML_KEY = "XML"


def parse(text: str, max_bytes: int) -> etree._Element:
    """``text`` as an ItemAttachedData element; a Client fault if it is not one."""
    try:
        root = parse_xml(text.encode(), max_bytes)
    except IciFault as fault:
        if fault.error is Errors.MALFORMED_XML:
            raise IciFault(
                Errors.INVALID_ARGUMENT, f"attachedData is not well-formed XML: {fault.message}"
            ) from None
        raise
    if local_name(root) != ROOT:
        raise IciFault(
            Errors.INVALID_ARGUMENT, f"attachedData must be an <{ROOT}> document, not <{root.tag}>"
        )
    return root


def _document(text: str, max_bytes: int) -> etree._Element:
    return parse(text, max_bytes) if text.strip() else etree.Element(ROOT)


def _text(root: etree._Element) -> str:
    if len(root) == 0:
        return ""
    return etree.tostring(root, encoding="unicode")


def _applications(root: etree._Element) -> dict[str, etree._Element]:
    return {
        app.get("id", ""): app
        for app in root
        if isinstance(app.tag, str) and local_name(app) == APPLICATION
    }


def merge(existing: str, incoming: str, max_bytes: int) -> str:
    """``existing`` with each Application subtree of ``incoming`` replacing its namesake.

    Subtrees ``incoming`` does not carry are kept as they are (7.2.4); an empty
    ``incoming`` changes nothing.
    """
    if not incoming.strip():
        return existing
    new = parse(incoming, max_bytes)
    root = _document(existing, max_bytes)
    current = _applications(root)
    for app in list(new):
        if not isinstance(app.tag, str) or local_name(app) != APPLICATION:
            continue
        old = current.get(app.get("id", ""))
        if old is not None:
            root.replace(old, app)
        else:
            root.append(app)
        current[app.get("id", "")] = app
    return _text(root)


def with_values(
    existing: str, app_id: str, values: Iterable[tuple[str, str]], max_bytes: int
) -> str:
    """``existing`` with ``values`` set as children of the ``app_id`` subtree, in order."""
    values = [(key, value) for key, value in values if key and key != XML_KEY]
    if not values:
        return existing
    root = _document(existing, max_bytes)
    app = _applications(root).get(app_id)
    if app is None:
        app = etree.SubElement(root, APPLICATION, id=app_id)
    for key, value in values:
        element = next((child for child in app if local_name(child) == key), None)
        if element is None:
            element = etree.SubElement(app, key)
        element.text = value
    return _text(root)


def only_application(existing: str, app_id: str, max_bytes: int) -> str:
    """Just the ``app_id`` subtree of ``existing`` (what follows an item to the next agent
    without the XML key)."""
    if not existing.strip():
        return ""
    root = _document(existing, max_bytes)
    for app in list(root):
        if not (isinstance(app.tag, str) and app.get("id", "") == app_id):
            root.remove(app)
    return _text(root)


def value_of(existing: str, app_id: str, key: str, max_bytes: int) -> str | None:
    if not existing.strip():
        return None
    app = _applications(_document(existing, max_bytes)).get(app_id)
    if app is None:
        return None
    element = next((child for child in app if local_name(child) == key), None)
    return None if element is None else (element.text or "")
