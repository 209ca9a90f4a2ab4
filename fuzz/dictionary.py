"""A libFuzzer dictionary of the tokens ICI requests are made of, from the registry.

libFuzzer inserts these whole, so that mutations of raw bytes keep producing SOAP and ICI
element names, namespaces and values instead of losing them one byte at a time.
"""

from __future__ import annotations

from pathlib import Path

from oii_shared.ici.registry import SERVED_INTERFACES, ici_registry
from oii_shared.ici.types import TYPES
from oii_shared.soap.namespaces import SOAP_ENV, XSI

XML_TOKENS = (
    '<?xml version="1.0" encoding="utf-8"?>',
    '<?xml version="1.0" encoding="UTF-16"?>',
    "<soap:Envelope",
    "</soap:Envelope>",
    "<soap:Body>",
    "</soap:Body>",
    "<soap:Header>",
    f'xmlns:soap="{SOAP_ENV}"',
    f'xmlns:xsi="{XSI}"',
    'xsi:nil="true"',
    'xmlns=""',
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?pi ?>",
    "&amp;",
    "&#0;",
    "&#x10FFFF;",
    "&undefined;",
    "<!DOCTYPE",
    "<!ENTITY",
    "<item>",
    "</item>",
    "true",
    "false",
    "2024-05-01T10:00:00",
)


def tokens() -> list[str]:
    found: list[str] = list(XML_TOKENS)
    for interface in SERVED_INTERFACES:
        found += [interface.namespace, interface.soap_action, interface.service_path]
    names: set[str] = set()
    for operation in ici_registry().operations:
        names |= operation.names
        names |= {field.name for field in operation.request}
    for complex_type in TYPES.values():
        names |= {field.name for field in complex_type.fields}
    for name in sorted(names):
        found += [f"<{name}>", f"</{name}>"]
    return found


def write_dictionary(path: Path) -> Path:
    def quoted(token: str) -> str:
        escaped = token.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{quoted(token)}\n" for token in tokens()))
    return path
