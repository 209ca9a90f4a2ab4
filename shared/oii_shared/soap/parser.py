"""The one XML parser of the suite, hardened against hostile input.

No DTD is loaded or accepted, no entity is resolved, nothing is fetched from
the network, and the size of a document is bounded before parsing starts.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from oii_shared.soap.faults import Errors, IciFault


@cache
def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(data: bytes, max_bytes: int) -> etree._Element:
    """Parse untrusted bytes into an element, or raise a Client IciFault."""
    if len(data) > max_bytes:
        raise IciFault(Errors.BODY_TOO_LARGE, f"request body exceeds {max_bytes} bytes")
    if not data.strip():
        raise IciFault(Errors.MALFORMED_XML, "empty request body")
    # Refused before libxml2 sees it, so that not even an attempt to load an
    # external DTD is made; the docinfo check below catches other encodings.
    if b"<!DOCTYPE" in data:
        raise IciFault(Errors.DTD_FORBIDDEN, "DTDs and entity declarations are not accepted")
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise IciFault(Errors.MALFORMED_XML, f"malformed XML: {exc.msg}") from None
    docinfo = root.getroottree().docinfo
    # lxml-stubs lack DocInfo.doctype; it is there at run time.
    doctype: str = getattr(docinfo, "doctype", "")
    if doctype or docinfo.internalDTD is not None:
        raise IciFault(Errors.DTD_FORBIDDEN, "DTDs and entity declarations are not accepted")
    return root


def local_name(element: etree._Element) -> str:
    # Typed as str, but entity references and other special nodes carry a factory.
    tag: object = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
