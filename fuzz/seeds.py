"""The seed corpus: the spec's sample requests (tests/fixtures/spec_requests, written by
tools/extract_spec_requests.py) and the committed regression inputs (fuzz/regressions)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SPEC_REQUESTS = REPO_ROOT / "tests" / "fixtures" / "spec_requests"
REGRESSIONS = Path(__file__).resolve().parent / "regressions"


@dataclass(frozen=True, slots=True)
class SpecSample:
    interface: str
    operation: str
    soap_action: str
    inbound: bool
    body: bytes


def spec_samples() -> list[SpecSample]:
    index = json.loads((SPEC_REQUESTS / "index.json").read_text())
    return [
        SpecSample(
            interface=entry["interface"],
            operation=entry["operation"],
            soap_action=entry["soap_action"],
            inbound=entry["direction"] == "inbound",
            body=(SPEC_REQUESTS / entry["file"]).read_bytes(),
        )
        for entry in index
    ]


def regression_inputs(target: str) -> list[bytes]:
    """The committed inputs of ``target`` (fuzz/regressions/<target>/*), sorted by name."""
    folder = REGRESSIONS / target
    if not folder.is_dir():
        return []
    return [path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()]
