"""Reading ICI requests and writing ICI responses, driven by the registry.

Elements are matched by local name: CRM and the spec's own samples mix default
namespaces, prefixes (``n0:getAttributes``) and ``xmlns=""`` children.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from lxml import etree

from oii_shared.ici.registry import Registry
from oii_shared.ici.schema import (
    BOOLEAN,
    DATETIME,
    INT,
    PRIMITIVES,
    VOID,
    Field,
    Interface,
    Operation,
)
from oii_shared.ici.types import TYPES
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.namespaces import SOAP_ENV, XSD, XSI
from oii_shared.soap.parser import local_name, parse_xml
from oii_shared.soap.text import escape

_XSI_NIL = f"{{{XSI}}}nil"
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


@dataclass(slots=True)
class SoapCall:
    """A decoded ICI request."""

    operation: Operation
    requested_name: str
    args: dict[str, Any]
    element: etree._Element


def operation_element(root: etree._Element) -> etree._Element:
    """The first element inside ``Envelope/Body``, whatever the prefixes."""
    if local_name(root) != "Envelope":
        raise IciFault(Errors.NOT_SOAP, "the document element is not a SOAP Envelope")
    for child in root:
        if local_name(child) == "Body":
            for element in child:
                if isinstance(element.tag, str):
                    return element
            raise IciFault(Errors.NOT_SOAP, "the SOAP Body is empty")
    raise IciFault(Errors.NOT_SOAP, "the SOAP Envelope has no Body")


def read_operation(
    data: bytes, interface: Interface, registry: Registry, max_bytes: int
) -> SoapCall:
    """Parse, find and decode the operation of a request to ``interface``."""
    element = operation_element(parse_xml(data, max_bytes))
    name = local_name(element)
    operation = registry.find(interface, name)
    if operation is None:
        raise IciFault(Errors.UNKNOWN_OPERATION, f"{interface.value} has no operation {name}")
    return SoapCall(operation, name, decode_fields(element, operation.request), element)


def decode_fields(element: etree._Element, fields: tuple[Field, ...]) -> dict[str, Any]:
    children: dict[str, etree._Element] = {}
    for child in element:
        if isinstance(child.tag, str):
            children.setdefault(local_name(child), child)
    return {field.name: _decode_field(children.get(field.name), field) for field in fields}


def _decode_field(element: etree._Element | None, field: Field) -> Any:
    if element is None or element.get(_XSI_NIL) in _TRUE:
        return None
    if field.array:
        # Entries are <item> in the spec's samples but <Item> in getUserPresence's.
        entry = _array_entry(field.type)
        return [_decode_value(child, entry) for child in element if isinstance(child.tag, str)]
    return _decode_value(element, field)


def _decode_value(element: etree._Element, field: Field) -> Any:
    if element.get(_XSI_NIL) in _TRUE:
        return None
    if field.type in PRIMITIVES:
        # CRM pretty-prints some values (the spec's subscribe samples start appUrl
        # with a newline); surrounding white space is never part of an ICI value.
        return _decode_primitive((element.text or "").strip(), field)
    complex_type = TYPES.get(field.type)
    if complex_type is None:
        return element.text or ""
    return decode_fields(element, complex_type.fields)


def _decode_primitive(text: str, field: Field) -> Any:
    if field.type == INT:
        try:
            return int(text)
        except ValueError:
            raise IciFault(
                Errors.INVALID_ARGUMENT, f"{field.name}: {text!r} is not an integer"
            ) from None
    if field.type == BOOLEAN:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise IciFault(Errors.INVALID_ARGUMENT, f"{field.name}: {text!r} is not a boolean")
    if field.type == DATETIME:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise IciFault(
                Errors.INVALID_ARGUMENT, f"{field.name}: {text!r} is not a dateTime"
            ) from None
    return text


_ENVELOPE_START = (
    '<?xml version="1.0" encoding="utf-8"?>'
    f'<soap:Envelope xmlns:soap="{SOAP_ENV}" xmlns:xsi="{XSI}" xmlns:xsd="{XSD}">'
    "<soap:Body>"
)
_ENVELOPE_END = "</soap:Body></soap:Envelope>"


def encode_response(
    operation: Operation, requested_name: str, parts: Mapping[str, Any] | None
) -> bytes:
    """``<nameResponse xmlns="urn:Ici...Interface">`` with the operation's parts.

    The parts themselves are qualified, their contents unqualified, as in the
    spec's sample of exchangeProductInformationResponse (9.1.1.3).
    """
    out: list[str] = [
        _ENVELOPE_START,
        f'<{requested_name}Response xmlns="{operation.interface.namespace}">',
    ]
    for field in operation.response:
        if parts is not None and field.name in parts:
            _encode_field(out, field, parts[field.name], "", _UNQUALIFIED)
        elif field.type == VOID:
            out.append(f"<{field.name}/>")
    out.append(f"</{requested_name}Response>")
    out.append(_ENVELOPE_END)
    return "".join(out).encode()


_UNQUALIFIED = ' xmlns=""'


def encode_request(operation: Operation, parts: Mapping[str, Any]) -> bytes:
    """``<name xmlns="urn:Ici...Interface">`` with the request parts: an IciEvent message.

    The parts and their contents are unqualified (``xmlns=""``), as CRM writes its
    own requests (samples 9.2.6) and as the event samples 9.3.4.2 (``<phoneCall
    xmlns="">``) and 9.3.8.4 (``<evnt:actionItemChanged>`` with plain children)
    show. Parts missing from ``parts`` are left out; ``None`` is ``xsi:nil``.
    """
    out: list[str] = [
        _ENVELOPE_START,
        f'<{operation.name} xmlns="{operation.interface.namespace}">',
    ]
    for field in operation.request:
        if field.name in parts:
            _encode_field(out, field, parts[field.name], _UNQUALIFIED, "")
    out.append(f"</{operation.name}>")
    out.append(_ENVELOPE_END)
    return "".join(out).encode()


def _encode_field(out: list[str], field: Field, value: Any, attrs: str, inner: str) -> None:
    """Write one element; ``attrs`` go on it, ``inner`` on its children."""
    name = field.name
    if value is None:
        if field.nillable:
            out.append(f'<{name} xsi:nil="true"{attrs}/>')
        return
    out.append(f"<{name}{attrs}>")
    if field.array:
        entry = _array_entry(field.type)
        for item in value:
            _encode_field(out, entry, item, inner, "")
    elif field.type in PRIMITIVES:
        out.append(encode_primitive(value))
    else:
        mapping = value if isinstance(value, Mapping) else None
        for child in TYPES[field.type].fields:
            if mapping is None:
                child_value = getattr(value, child.name, None)
            elif child.name in mapping:
                child_value = mapping[child.name]
            elif child.min_occurs == 0:
                # An optional sub-element the handler did not name is left out, as in the
                # spec's samples (no <message/> in every TextElement); None still means nil.
                continue
            else:
                child_value = None
            _encode_field(out, child, child_value, inner, "")
    out.append(f"</{name}>")


@cache
def _array_entry(type_name: str) -> Field:
    return Field("item", type_name)


def encode_primitive(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return escape(str(value))
