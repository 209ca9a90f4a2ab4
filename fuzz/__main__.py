"""``python -m fuzz [--seconds 600] [--only NAME,...]``: every harness, the time split among them.

Each atheris harness (fuzz/targets) runs in its own process for its share of the time,
from its corpus in ``<work dir>/corpus/<name>`` (kept between runs) and its seeds (the
spec's sample requests and fuzz/regressions/<name>); a crash, hang or memory blow-up
leaves its input in ``<work dir>/findings/<name>/`` and the harness goes on from where it
was, until its time is up. Then schemathesis runs over the gateway's JSON API on a real
embedded stack (fuzz/api.py). The summary is printed and written to
``<work dir>/last-run.json``; the exit status is 1 when anything was found.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fuzz.dictionary import write_dictionary
from fuzz.seeds import REPO_ROOT
from fuzz.targets import TARGETS, harness

API = "api"
DEFAULT_SECONDS = 600
RSS_LIMIT_MB = 2048
# A harness whose process dies this often in one run is not restarted again.
MAX_RESTARTS = 5
MIN_SECONDS = 5


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    executions: int = 0
    corpus: int = 0
    findings: list[str] = field(default_factory=list)
    notes: str = ""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=DEFAULT_SECONDS, help="in all")
    parser.add_argument(
        "--only", default="", help=f"comma-separated, of {', '.join([*TARGETS, API])}"
    )
    parser.add_argument("--work-dir", type=Path, default=REPO_ROOT / "var" / "fuzz")
    args = parser.parse_args()
    names = [n.strip() for n in args.only.split(",") if n.strip()] or [*TARGETS, API]
    unknown = [n for n in names if n not in TARGETS and n != API]
    if unknown:
        parser.error(f"unknown harness {', '.join(unknown)}")
    share = max(MIN_SECONDS, args.seconds // len(names))
    work_dir: Path = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:
        print(f"fuzz: {name} for {share} s", flush=True)
        if name == API:
            from fuzz.api import run_api

            api = run_api(share, work_dir / "api")
            result = Result(API, api.seconds, api.requests, findings=api.failures, notes=api.notes)
        else:
            result = run_harness(name, share, work_dir)
        results.append(result)
        print(_line(result), flush=True)
    (work_dir / "last-run.json").write_text(
        json.dumps({"seconds": args.seconds, "results": [asdict(r) for r in results]}, indent=2)
    )
    print("\nharness    seconds  executions  corpus  findings")
    for result in results:
        print(_line(result))
    found = [f for r in results for f in r.findings]
    for finding in found:
        print(f"FINDING {finding}")
    sys.exit(1 if found else 0)


def _line(result: Result) -> str:
    return (
        f"{result.name:<10} {result.seconds:7.0f}  {result.executions:10d}  {result.corpus:6d}"
        f"  {len(result.findings):8d}  {result.notes}"
    )


def run_harness(name: str, seconds: int, work_dir: Path) -> Result:
    target = harness(name)
    corpus = work_dir / "corpus" / name
    seeds = work_dir / "seeds" / name
    findings = work_dir / "findings" / name
    logs = work_dir / "logs"
    for folder in (corpus, findings, logs):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(seeds, ignore_errors=True)
    seeds.mkdir(parents=True)
    for number, seed in enumerate(target.seeds()):
        (seeds / f"seed-{number:04d}").write_bytes(seed)
    dictionary = write_dictionary(work_dir / "ici.dict")
    result = Result(name)
    started = time.monotonic()
    for attempt in range(MAX_RESTARTS + 1):
        remaining = int(seconds - (time.monotonic() - started))
        if remaining < MIN_SECONDS and attempt > 0:
            break
        log = logs / f"{name}-{attempt}.log"
        scratch = work_dir / "scratch" / name
        shutil.rmtree(scratch, ignore_errors=True)
        command = [
            sys.executable,
            "-m",
            "fuzz.atheris_main",
            name,
            str(scratch),
            f"-max_total_time={max(remaining, MIN_SECONDS)}",
            f"-timeout={target.TIMEOUT_S}",
            f"-rss_limit_mb={RSS_LIMIT_MB}",
            f"-max_len={target.MAX_LEN}",
            f"-dict={dictionary}",
            f"-artifact_prefix={findings}/",
            "-print_final_stats=1",
            str(corpus),
            str(seeds),
        ]
        with log.open("wb") as out:
            code = subprocess.call(command, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT)
        text = log.read_text(errors="replace")
        result.executions += _executions(text)
        if code == 0:
            break
        result.findings.append(f"{name}: {_failure(text)} (log {log})")
    result.seconds = time.monotonic() - started
    result.corpus = sum(1 for _ in corpus.iterdir())
    return result


def _executions(log: str) -> int:
    stat = re.findall(r"stat::number_of_executed_units: (\d+)", log)
    if stat:
        return int(stat[-1])
    progress = re.findall(r"^#(\d+)\s", log, flags=re.MULTILINE)
    return int(progress[-1]) if progress else 0


def _failure(log: str) -> str:
    """The exception (or libFuzzer's reason) and the input it left, from a harness's log."""
    artifact = re.findall(r"Test unit written to (\S+)", log)
    where = f", input {artifact[-1]}" if artifact else ""
    python = re.search(r"=== Uncaught Python exception: ===\n(.*?)(?:\n\n|\Z)", log, re.DOTALL)
    if python:
        lines = [line for line in python.group(1).splitlines() if line.strip()]
        return (lines[-1] if lines else "exception") + where
    reason = re.search(r"==\d+== ERROR: libFuzzer: (.*)", log)
    return (reason.group(1) if reason else "the harness exited with an error") + where


if __name__ == "__main__":
    main()
