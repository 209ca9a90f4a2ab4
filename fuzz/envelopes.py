"""SOAP envelopes for every ICI operation, built from the registry with fuzzed values.

The fuzzer's bytes choose the operation, how CRM might spell it (prefixes, default
namespaces, ``xmlns=""`` children, the case of its name, a SOAP Header), and for each
field of its request (from the registry, nested types and arrays included) whether it is
left out, nil, empty, repeated, or holds a value: a value that means something to the demo
contact center (its users, lines, queues), a boundary (huge numbers, odd white space and
Unicode), or the fuzzer's own text.
"""

from __future__ import annotations

from dataclasses import dataclass

from fuzz.choices import Choices
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import PRIMITIVES, Field, Interface, Operation
from oii_shared.ici.types import TYPES
from oii_shared.paths import OII_ASMX
from oii_shared.soap.namespaces import SOAP_ENV, XSI
from oii_shared.soap.text import escape

OPERATIONS: tuple[Operation, ...] = ici_registry().operations

# Values the demo contact center (shared/oii_shared/config/demo.yaml) knows, and boundaries.
VALUES: tuple[str, ...] = (
    "",
    " ",
    "HARRI",
    "harri",
    "ANNA",
    "NOBODY",
    "+129",
    "+123",
    "129",
    "2001",
    "2003",
    "service@example.com",
    "chat@example.com",
    "ACTION",
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "-1",
    "1001",
    "99999999999999999999",
    "9" * 5000,
    "TRUE",
    "true",
    "FALSE",
    "false",
    "X",
    "2024-05-01T10:00:00",
    "2024-05-01T10:00:00+02:00",
    "2024-02-30T10:00:00",
    "0" * 32,
    "F" * 32,
    "http://127.0.0.1:1/sap/bc/srt/IciEvent",
    "https://crm.example.com/sap/bc/srt/IciEvent?sap-client=100",
    "http://[::1]:80/x",
    "http://" + "a" * 70 + ".example/x",
    "ftp://crm/",
    "http:///",
    "http://crm:notaport/",
    "1_000",
    "\u0661\u0662",
    "\u212a",
    "\u00e9",
    "a.b*c>d",
    "x y",
    "\U0001f600",
    "a" * 1000,
    "%00",
    "<&>'\"",
)

ENTRY_NAMES = ("item", "Item", "entry")
MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Envelope:
    operation: Operation
    body: bytes


def build_envelope(choices: Choices) -> Envelope:
    operation = choices.pick(OPERATIONS)
    name = _spelling(choices, operation)
    namespace = operation.interface.namespace
    style = choices.below(4)
    if style == 0:  # as CRM writes it: a prefixed operation, unqualified parts
        opening, closing, children = f'<n0:{name} xmlns:n0="{namespace}">', f"</n0:{name}>", ""
    elif style == 1:  # the spec's samples: a default namespace, xmlns="" parts
        opening, closing, children = f'<{name} xmlns="{namespace}">', f"</{name}>", ' xmlns=""'
    elif style == 2:  # no namespace at all
        opening, closing, children = f"<{name}>", f"</{name}>", ""
    else:  # the parts in the operation's namespace
        opening, closing, children = f'<{name} xmlns="{namespace}">', f"</{name}>", ""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}" xmlns:xsi="{XSI}">',
    ]
    if choices.below(4) == 0:
        out.append(f'<soap:Header><language xmlns="{namespace}">EN</language></soap:Header>')
    out.append("<soap:Body>")
    out.append(opening)
    for field in operation.request:
        _field(choices, out, field, field.name, children, 0)
    if choices.below(8) == 0:
        out.append(f"<unknownPart{children}>{escape(_value(choices))}</unknownPart>")
    out.append(closing)
    out.append("</soap:Body></soap:Envelope>")
    return Envelope(operation, "".join(out).encode())


def _spelling(choices: Choices, operation: Operation) -> str:
    name = choices.pick(sorted(operation.names))
    case = choices.below(8)
    if case == 0:
        return name.lower()
    if case == 1:
        return name.upper()
    return name


def _field(
    choices: Choices, out: list[str], field: Field, tag: str, attrs: str, depth: int
) -> None:
    presence = choices.below(10)
    if presence == 0:
        return
    if presence == 1:
        out.append(f'<{tag}{attrs} xsi:nil="{choices.pick(("true", "1", "false"))}"/>')
        return
    if presence == 2:
        out.append(f"<{tag}{attrs}/>")
        return
    for _ in range(2 if presence == 3 else 1):
        out.append(f"<{tag}{attrs}>")
        if field.array:
            entry = Field(tag, field.type)
            for _ in range(choices.below(4)):
                _entry(choices, out, entry, choices.pick(ENTRY_NAMES), depth + 1)
        else:
            _content(choices, out, field, depth)
        out.append(f"</{tag}>")


def _entry(choices: Choices, out: list[str], field: Field, tag: str, depth: int) -> None:
    out.append(f"<{tag}>")
    _content(choices, out, field, depth)
    out.append(f"</{tag}>")


def _content(choices: Choices, out: list[str], field: Field, depth: int) -> None:
    complex_type = TYPES.get(field.type)
    if field.type in PRIMITIVES or complex_type is None or depth >= MAX_DEPTH:
        text = _value(choices)
        out.append(f"<![CDATA[{text}]]>" if choices.below(16) == 0 else escape(text))
        return
    for child in complex_type.fields:
        _field(choices, out, child, child.name, "", depth + 1)


def _value(choices: Choices) -> str:
    kind = choices.below(4)
    if kind == 0:
        return choices.text(64)
    if kind == 1:
        return choices.pick(VALUES) + choices.text(8)
    return choices.pick(VALUES)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a request goes: the path, and the SOAPAction header (``None``: not sent)."""

    path: str
    soap_action: str | None


def route_of(choices: Choices, interface: Interface) -> Target:
    """Mostly where CRM would send ``interface``'s request; sometimes somewhere else."""
    way = choices.below(8)
    if way <= 3:
        return Target(OII_ASMX, f'"{interface.soap_action}"')
    if way == 4:
        return Target(OII_ASMX, interface.soap_action)
    if way == 5:
        return Target(interface.service_path, None)
    other = choices.pick(tuple(Interface))
    if way == 6:
        return Target(OII_ASMX, f'"{other.soap_action}"')
    return Target(other.service_path, choices.pick((None, f'"{interface.soap_action}"')))
