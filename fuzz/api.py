"""schemathesis over every JSON route the gateway serves, on a real embedded stack.

The stack starts as ``make run`` starts it (tests/stack/stacklib.py ``start_stack``), its
data in a folder of its own; schemathesis reads the gateway's OpenAPI document
(``/api/v1/openapi.json``, so every route added to the public API is fuzzed too) and runs
its examples, coverage, fuzzing and stateful phases for the time given, with every check
(fuzz/schemathesis.toml): no 5xx, statuses, content types and bodies as the document
says, invalid data refused, valid data accepted. The stack's own log must show no error
either. Then the stack is stopped, and must stop cleanly.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from fuzz.seeds import REPO_ROOT

STACKLIB = REPO_ROOT / "tests" / "stack" / "stacklib.py"
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"
OPENAPI_PATH = "/api/v1/openapi.json"
# Lines of the stack's console that tell of a failure on the server's side.
SERVER_ERRORS = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")


@dataclass
class ApiResult:
    seconds: float = 0.0
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    notes: str = ""


def _stacklib() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stacklib", STACKLIB)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["stacklib"] = module
    spec.loader.exec_module(module)
    return module


def run_api(seconds: int, work_dir: Path) -> ApiResult:
    stacklib = _stacklib()
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    result = ApiResult()
    started = time.monotonic()
    stack = stacklib.start_stack(work_dir / "stack", {"OII_LOG_LEVEL": "WARNING"})
    try:
        reports = work_dir / "reports"
        command = [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(CONFIG),
            "--no-color",
            "run",
            stack.base_url + OPENAPI_PATH,
            "--max-time",
            str(seconds),
            "--report",
            "ndjson",
            "--report-dir",
            str(reports),
            # Examples that failed once are tried first next time (kept between runs).
            "--generation-database",
            str(work_dir.parent / "api-examples"),
        ]
        log = work_dir / "schemathesis.log"
        with log.open("wb") as out:
            code = subprocess.call(command, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT)
        text = log.read_text(errors="replace")
        result.requests = _requests(reports)
        result.notes = _summary(text)
        if code != 0:
            result.failures.append(f"api: schemathesis found failures (log {log})")
    finally:
        stacklib.stop_stack(stack)
    errors = [line for line in stack.console().splitlines() if SERVER_ERRORS.search(line)]
    if errors:
        result.failures.append(
            f"api: the stack logged {len(errors)} errors, first: {errors[0][:300]}"
            f" (console {stack.console_path})"
        )
    result.seconds = time.monotonic() - started
    return result


def _requests(reports: Path) -> int:
    """Requests schemathesis sent, counted in its ndjson event log."""
    count = 0
    for report in reports.glob("*.ndjson"):
        for line in report.read_text(errors="replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            count += _interactions(event)
    return count


def _interactions(event: object) -> int:
    if isinstance(event, dict):
        found = 1 if "request" in event and "response" in event else 0
        return found + sum(_interactions(value) for value in event.values())
    if isinstance(event, list):
        return sum(_interactions(value) for value in event)
    return 0


def _summary(log: str) -> str:
    """schemathesis' count of test cases: "N generated, N passed" (and failed)."""
    found = re.findall(r"^\s*(\d+ generated,.*)$", log, flags=re.MULTILINE)
    return f"test cases: {found[-1].strip()}" if found else ""
