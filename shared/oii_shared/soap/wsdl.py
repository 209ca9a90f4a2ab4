"""WSDL 1.1 document/literal descriptions of the ICI interfaces, built from the registry.

Operation wrapper elements and their parts are qualified by the interface's
namespace; the contents of complex types are unqualified, which is how CRM and
the spec's samples write them (``<n0:getAttributes ...><userId>``).
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from oii_shared.ici.registry import Registry
from oii_shared.ici.schema import PRIMITIVES, Field, Interface
from oii_shared.ici.types import TYPES
from oii_shared.soap.namespaces import WSDL, WSDL_SOAP, XSD

_HTTP_TRANSPORT = "http://schemas.xmlsoap.org/soap/http"
_NSMAP = {"wsdl": WSDL, "soap": WSDL_SOAP, "xs": XSD}


def _qname(prefix: str, name: str) -> str:
    return f"{prefix}:{name}"


def _xsd_type(field: Field) -> str:
    if field.array:
        return _qname("tns", _array_type_name(field.type))
    if field.type in PRIMITIVES:
        return _qname("xs", field.type)
    return _qname("tns", field.type)


def _array_type_name(type_name: str) -> str:
    return f"ArrayOf{type_name[0].upper()}{type_name[1:]}"


def _used_types(fields: list[Field]) -> tuple[list[str], list[str]]:
    """The complex types and array types reachable from ``fields``, in a stable order."""
    complex_types: list[str] = []
    arrays: list[str] = []
    pending = list(fields)
    while pending:
        field = pending.pop(0)
        if field.array and field.type not in arrays:
            arrays.append(field.type)
        if field.type in PRIMITIVES or field.type in complex_types:
            continue
        complex_types.append(field.type)
        pending.extend(TYPES[field.type].fields)
    return complex_types, arrays


def _element(
    parent: etree._Element, field: Field, qualified: bool = False, optional: bool = False
) -> None:
    attributes = {
        "name": field.name,
        "type": _xsd_type(field),
        "minOccurs": "0" if optional else str(field.min_occurs),
    }
    if field.nillable:
        attributes["nillable"] = "true"
    if qualified:
        attributes["form"] = "qualified"
    etree.SubElement(parent, f"{{{XSD}}}element", attributes)


def _sequence(parent: etree._Element) -> etree._Element:
    return etree.SubElement(parent, f"{{{XSD}}}sequence")


def _schema(interface: Interface, registry: Registry) -> etree._Element:
    operations = registry.of_interface(interface)
    schema = etree.Element(
        f"{{{XSD}}}schema",
        {"targetNamespace": interface.namespace, "elementFormDefault": "unqualified"},
        nsmap={"xs": XSD, "tns": interface.namespace},
    )
    fields = [f for op in operations for f in (*op.request, *op.response)]
    complex_types, arrays = _used_types(fields)
    for name in complex_types:
        complex_type = etree.SubElement(schema, f"{{{XSD}}}complexType", {"name": name})
        sequence = _sequence(complex_type)
        for field in TYPES[name].fields:
            _element(sequence, field)
    for name in arrays:
        array = etree.SubElement(schema, f"{{{XSD}}}complexType", {"name": _array_type_name(name)})
        _element(_sequence(array), Field("item", name, min_occurs=0, nillable=True))
        array[0][0].set("maxOccurs", "unbounded")
    for op in operations:
        # Request elements are all optional: the handlers, not the schema, say
        # which argument an operation cannot do without.
        for element_name, parts, is_response in (
            (op.name, op.request, False),
            (f"{op.name}Response", op.response, True),
        ):
            element = etree.SubElement(schema, f"{{{XSD}}}element", {"name": element_name})
            sequence = _sequence(etree.SubElement(element, f"{{{XSD}}}complexType"))
            for field in parts:
                _element(sequence, field, qualified=is_response, optional=not is_response)
    return schema


@lru_cache(maxsize=64)
def build_wsdl(interface: Interface, registry: Registry, base_url: str) -> bytes:
    """The WSDL of one interface, its endpoint at ``base_url`` + the interface path."""
    tns = interface.namespace
    name = interface.value
    root = etree.Element(
        f"{{{WSDL}}}definitions",
        {"name": f"{name}Service", "targetNamespace": tns},
        nsmap={**_NSMAP, "tns": tns},
    )
    etree.SubElement(root, f"{{{WSDL}}}types").append(_schema(interface, registry))
    operations = registry.of_interface(interface)
    for op in operations:
        for suffix, element in (("In", op.name), ("Out", f"{op.name}Response")):
            message = etree.SubElement(root, f"{{{WSDL}}}message", {"name": f"{op.name}{suffix}"})
            etree.SubElement(
                message, f"{{{WSDL}}}part", {"name": "parameters", "element": f"tns:{element}"}
            )
    port_type = etree.SubElement(root, f"{{{WSDL}}}portType", {"name": f"{name}PortType"})
    for op in operations:
        operation = etree.SubElement(port_type, f"{{{WSDL}}}operation", {"name": op.name})
        if op.doc:
            etree.SubElement(operation, f"{{{WSDL}}}documentation").text = op.doc
        etree.SubElement(operation, f"{{{WSDL}}}input", {"message": f"tns:{op.name}In"})
        etree.SubElement(operation, f"{{{WSDL}}}output", {"message": f"tns:{op.name}Out"})
    binding = etree.SubElement(
        root, f"{{{WSDL}}}binding", {"name": f"{name}Binding", "type": f"tns:{name}PortType"}
    )
    etree.SubElement(
        binding, f"{{{WSDL_SOAP}}}binding", {"style": "document", "transport": _HTTP_TRANSPORT}
    )
    for op in operations:
        operation = etree.SubElement(binding, f"{{{WSDL}}}operation", {"name": op.name})
        etree.SubElement(
            operation,
            f"{{{WSDL_SOAP}}}operation",
            {"soapAction": interface.soap_action, "style": "document"},
        )
        for direction in ("input", "output"):
            etree.SubElement(
                etree.SubElement(operation, f"{{{WSDL}}}{direction}"),
                f"{{{WSDL_SOAP}}}body",
                {"use": "literal"},
            )
    service = etree.SubElement(root, f"{{{WSDL}}}service", {"name": f"{name}Service"})
    port = etree.SubElement(
        service, f"{{{WSDL}}}port", {"name": f"{name}Port", "binding": f"tns:{name}Binding"}
    )
    etree.SubElement(
        port, f"{{{WSDL_SOAP}}}address", {"location": base_url.rstrip("/") + interface.service_path}
    )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
