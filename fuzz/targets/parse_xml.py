"""The hardened parser (oii_shared.soap.parser): any bytes in, an element or an IciFault out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from fuzz.seeds import regression_inputs, spec_samples
from oii_shared.soap.faults import IciFault
from oii_shared.soap.parser import local_name, parse_xml

MAX_LEN = 16384
TIMEOUT_S = 5
LIMIT = 8192


def seeds() -> Iterable[bytes]:
    yield from (sample.body for sample in spec_samples())
    yield from regression_inputs("parse_xml")


def one_input(data: bytes) -> None:
    try:
        root = parse_xml(data, LIMIT)
    except IciFault:
        return
    for element in root.iter():
        local_name(element)


def setup(work_dir: Path) -> Callable[[bytes], None]:
    return one_input
