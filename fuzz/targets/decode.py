"""The registry's decoding of every operation's arguments (oii_shared.soap.codec).

The first byte picks an operation of the registry; the rest is the request. Its
operation element is decoded against that operation's fields whatever it is named, so
that every operation's decoding meets every shape of XML, and then read as the gateway
reads it (the operation found by name). Every decoded value must have its field's type.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from fuzz.finding import Finding
from fuzz.seeds import regression_inputs, spec_samples
from oii_shared.ici.registry import ici_registry
from oii_shared.ici.schema import BOOLEAN, DATETIME, INT, PRIMITIVES, Field, Interface
from oii_shared.ici.types import TYPES
from oii_shared.soap.codec import decode_fields, operation_element, read_operation
from oii_shared.soap.faults import IciFault
from oii_shared.soap.parser import parse_xml

MAX_LEN = 16384
TIMEOUT_S = 5
LIMIT = 16384

REGISTRY = ici_registry()
OPERATIONS = REGISTRY.operations
_PRIMITIVE_TYPES: dict[str, type] = {INT: int, BOOLEAN: bool, DATETIME: datetime}


def seeds() -> Iterable[bytes]:
    for sample in spec_samples():
        if not sample.inbound:
            continue
        operation = REGISTRY.find(Interface(sample.interface), sample.operation)
        index = OPERATIONS.index(operation) if operation is not None else 0
        yield bytes([index]) + sample.body
    yield from regression_inputs("decode")


def one_input(data: bytes) -> None:
    if not data:
        return
    operation = OPERATIONS[data[0] % len(OPERATIONS)]
    body = data[1:]
    try:
        element = operation_element(parse_xml(body, LIMIT))
    except IciFault:
        return
    with contextlib.suppress(IciFault):
        check_fields(decode_fields(element, operation.request), operation.request)
    try:
        call = read_operation(body, operation.interface, REGISTRY, LIMIT)
    except IciFault:
        return
    check_fields(call.args, call.operation.request)


def check_fields(values: dict[str, Any], fields: tuple[Field, ...]) -> None:
    if set(values) != {field.name for field in fields}:
        raise Finding(f"decoded {sorted(values)}, expected {[f.name for f in fields]}")
    for field in fields:
        value = values[field.name]
        if value is None:
            continue
        if field.array:
            if not isinstance(value, list):
                raise Finding(f"{field.name}: {value!r} is not a list")
            for entry in value:
                _check_value(entry, field)
        else:
            _check_value(value, field)


def _check_value(value: Any, field: Field) -> None:
    if value is None:
        return
    if field.type in PRIMITIVES:
        expected = _PRIMITIVE_TYPES.get(field.type, str)
        if type(value) is not expected:
            raise Finding(f"{field.name}: {value!r} is not a {field.type}")
        return
    complex_type = TYPES.get(field.type)
    if complex_type is None:
        if not isinstance(value, str):
            raise Finding(f"{field.name}: {value!r} of unknown type {field.type} is not text")
        return
    if not isinstance(value, dict):
        raise Finding(f"{field.name}: {value!r} is not a {field.type}")
    check_fields(value, complex_type.fields)


def setup(work_dir: Path) -> Callable[[bytes], None]:
    return one_input
