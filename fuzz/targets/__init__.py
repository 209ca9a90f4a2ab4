"""The atheris harnesses: one module each, listed in ``TARGETS``.

A harness module has ``MAX_LEN`` (bytes an input may have), ``TIMEOUT_S`` (an input
slower than this is a hang), ``seeds()`` (its seed corpus) and ``setup(work_dir)``, which
returns the function that tries one input: it returns when the answer is one the suite
may give (an IciFault, a SOAP fault, a 4xx) and raises anything else.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, cast

# In the order `make fuzz` runs them.
TARGETS: dict[str, str] = {
    "parse_xml": "fuzz.targets.parse_xml",
    "resolve": "fuzz.targets.resolve",
    "decode": "fuzz.targets.decode",
    "envelopes": "fuzz.targets.envelopes",
    "gateway": "fuzz.targets.gateway",
}


class Harness(Protocol):
    MAX_LEN: int
    TIMEOUT_S: int

    def seeds(self) -> Iterable[bytes]: ...

    def setup(self, work_dir: Path) -> Callable[[bytes], None]: ...


def harness(name: str) -> Harness:
    return cast(Harness, importlib.import_module(TARGETS[name]))
