"""IciUser.getAttributes through the gateway, side by side with two references.

    .venv/bin/python -m bench compare [--seconds 10] [--concurrency 32] [--agents 300]
        [--variant login|ping|both] [--json FILE]

Starts the embedded stack as ``make run`` does (own data dir, free ports) with a contact
center of ``--agents`` agents, captures the gateway's answers to a login of each
(getAttributes, after a first login of each) and to a cmsPing, and starts two
references on the same machine that answer the same:

- ``spyne``: spyne under gunicorn with 2 gthread workers, the Python SOAP server a user
  would otherwise pick (:mod:`bench.references.spyne_server`);
- ``ceiling``: one FastAPI+lxml process that reads the request as the gateway does and
  answers from memory, with no gateway hop: the ceiling of our own stack for one hop
  (:mod:`bench.references.ceiling_server`).

A reference that does not answer what the gateway answers (same canonical XML) stops the
run before anything is measured. Then each target in turn, never two at once, is warmed
up for 1 s and driven for ``--seconds`` with ``--concurrency`` requests in flight, the
logins going round the agents as real logins do (``--agents 1``: one agent again and
again, what this mode measured before). The
ratios of the gateway to each reference are printed next to their targets (>= 1.5x spyne,
>= 0.5x ceiling), never asserted. The load generator shares the cores with the servers,
so every figure is a floor.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import aiohttp
import uvloop
from lxml import etree

from bench.closed_loop import HTTP_OK, Check, drive_each
from bench.contact_center import ContactCenter
from bench.ici_client import ACTION, ENVELOPE, OII_ASMX, operation_xml
from bench.procstats import usage
from bench.stack import running_stack
from oii_shared.embedded.ports import free_ports
from oii_shared.soap.codec import operation_element
from oii_shared.soap.faults import IciFault
from oii_shared.soap.parser import parse_xml

USER = "HARRI"  # an agent of the built-in demo configuration


def login_request(user_id: str) -> bytes:
    return ENVELOPE.format(operation_xml("IciUser", "getAttributes", userId=user_id)).encode()


VARIANTS = {
    "login": login_request(USER),
    "ping": ENVELOPE.format(
        operation_xml("IciUser", "getAttributes", userId=USER, cmsPing="TRUE")
    ).encode(),
}
DEFAULT_AGENTS = 300
QUEUES = 5
# A request and the answer the gateway gave it.
Exchange = tuple[bytes, bytes]
HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": ACTION.format("IciUser")}
# The gateway's req/s should be at least this many times the reference's.
TARGETS = {"spyne": 1.5, "ceiling": 0.5}
SPYNE_WORKERS = 2
SPYNE_THREADS = 4  # per worker: spyne's best, see bench.references.spyne_server
WARM_UP_S = 1.0
READY_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 10.0
MAX_ANSWER_BYTES = 1_048_576
# A load generator this busy paces the target rather than the target itself.
LOAD_BOUND_PERCENT = 90.0
REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    pid: int  # the process whose tree serves it
    # Its own answer to each request of each variant, checked against the gateway's.
    answers: dict[str, list[Exchange]]


@dataclass(frozen=True)
class Run:
    variant: str
    target: str
    requests: int
    errors: int
    error_kinds: dict[str, int]
    seconds: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    # Percent of one core over the measured seconds.
    server_cpu_percent: float  # the target's processes, gunicorn's workers included
    stack_cpu_percent: float  # the embedded stack's other processes (NATS, services)
    load_cpu_percent: float  # this load generator


@dataclass(frozen=True)
class Ratio:
    variant: str
    reference: str
    ratio: float | None  # gateway req/s over the reference's; None if it served nothing
    target: float
    met: bool


@dataclass(frozen=True)
class Report:
    concurrency: int
    seconds: float
    agents: int
    cores: int | None
    runs: list[Run]
    ratios: list[Ratio]


def post(url: str, request: bytes) -> tuple[int, bytes]:
    """Status and body of one SOAP request, faults included."""
    sent = urllib.request.Request(url, data=request, headers=HEADERS, method="POST")
    try:
        with urllib.request.urlopen(sent, timeout=REQUEST_TIMEOUT_S) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as fault:
        return fault.code, fault.read()


def canonical_body(answer: bytes) -> str:
    """The answer's operation element in canonical XML with rewritten prefixes, so that
    two servers compare equal whatever prefixes and declarations each one writes."""
    element = operation_element(parse_xml(answer, MAX_ANSWER_BYTES))
    canonical: str = etree.canonicalize(element, rewrite_prefixes=True)
    return canonical


def difference(expected: bytes, answer: bytes) -> str:
    def lines(body: bytes) -> list[str]:
        try:
            return canonical_body(body).replace("><", ">\n<").splitlines()
        except IciFault:  # not even SOAP
            return body.decode(errors="replace").splitlines()

    return "\n".join(
        difflib.unified_diff(lines(expected), lines(answer), "gateway", "reference", lineterm="")
    )


def variant_requests(agents: Sequence[str]) -> dict[str, list[bytes]]:
    return {"login": [login_request(agent) for agent in agents], "ping": [VARIANTS["ping"]]}


def gateway_answers(url: str, agents: Sequence[str]) -> dict[str, list[Exchange]]:
    """The gateway's answers; each agent logs in once first, so that its answer is settled."""
    for request in variant_requests(agents)["login"]:
        post(url, request)
    return answers_of("gateway", url, variant_requests(agents))


def answers_of(name: str, url: str, requests: dict[str, list[bytes]]) -> dict[str, list[Exchange]]:
    answers: dict[str, list[Exchange]] = {}
    for variant, bodies in requests.items():
        answers[variant] = []
        for request in bodies:
            status, answer = post(url, request)
            if status != HTTP_OK:
                raise SystemExit(f"{name} answers {variant} with HTTP {status}:\n{answer!r}")
            answers[variant].append((request, answer))
    return answers


def same_answers(
    name: str, url: str, expected: dict[str, list[Exchange]]
) -> dict[str, list[Exchange]]:
    """The reference's answers, if they are the gateway's in canonical XML."""
    requests = {variant: [request for request, _ in pairs] for variant, pairs in expected.items()}
    answers = answers_of(name, url, requests)
    for variant, pairs in expected.items():
        for (_, wanted), (_, answer) in zip(pairs, answers[variant], strict=True):
            if canonical_body(answer) != canonical_body(wanted):
                raise SystemExit(
                    f"{name} answers {variant} unlike the gateway:\n" + difference(wanted, answer)
                )
    return answers


@contextmanager
def serving(command: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=output, stderr=output)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_answering(name: str, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited:\n{last_lines(log)}")
        try:
            post(url, VARIANTS["ping"])
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} does not answer:\n{last_lines(log)}") from None
            time.sleep(0.1)


def last_lines(log: Path, count: int = 20) -> str:
    # The log goes with the run's temporary directory.
    return "\n".join(log.read_text(errors="replace").splitlines()[-count:])


def spyne_command(port: int, login_answers: Path) -> list[str]:
    application = f"bench.references.spyne_server:create_application({str(login_answers)!r})"
    return [
        sys.executable, "-m", "gunicorn",
        "--workers", str(SPYNE_WORKERS),
        "--worker-class", "gthread", "--threads", str(SPYNE_THREADS), "--reuse-port",
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
        application,
    ]  # fmt: skip


def ceiling_command(port: int, login_answers: Path, ping_answer: Path) -> list[str]:
    return [
        sys.executable, "-m", "bench.references.ceiling_server",
        "--port", str(port),
        "--login-answers", str(login_answers),
        "--ping-answer", str(ping_answer),
    ]  # fmt: skip


def same_answer(expected: bytes) -> Check:
    def check(status: int, body: bytes) -> str | None:
        if status != HTTP_OK:
            return f"HTTP {status}"
        return None if body == expected else "another answer"

    return check


def cpu_s(pids: Sequence[int]) -> float:
    return sum(usage(pid).cpu_s for pid in pids)


async def measure(
    target: Target, variant: str, seconds: float, concurrency: int, stack_pids: Sequence[int]
) -> Run:
    others = [pid for pid in stack_pids if pid != target.pid]
    requests = [(request, same_answer(answer)) for request, answer in target.answers[variant]]
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    url = target.url
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await drive_each(session, url, requests, HEADERS, WARM_UP_S, concurrency)
        server, stack, load = cpu_s([target.pid]), cpu_s(others), time.process_time()
        started = time.perf_counter()
        measures = await drive_each(session, url, requests, HEADERS, seconds, concurrency)
        elapsed = time.perf_counter() - started
        server, stack = cpu_s([target.pid]) - server, cpu_s(others) - stack
        load = time.process_time() - load
    spread = measures.total()

    def percent(cpu: float) -> float:
        return round(100 * cpu / elapsed, 1)

    return Run(
        variant=variant,
        target=target.name,
        requests=spread.count,
        errors=sum(measures.errors.values()),
        error_kinds=dict(measures.errors),
        seconds=round(elapsed, 2),
        requests_per_s=round(spread.count / elapsed, 1),
        p50_ms=spread.p50_ms,
        p99_ms=spread.p99_ms,
        max_ms=spread.max_ms,
        server_cpu_percent=percent(server),
        stack_cpu_percent=percent(stack),
        load_cpu_percent=percent(load),
    )


async def measure_all(
    targets: list[Target],
    variants: list[str],
    seconds: float,
    concurrency: int,
    stack_pids: Sequence[int],
) -> list[Run]:
    # One after the other: two targets at once would share the cores and measure nothing.
    return [
        await measure(target, variant, seconds, concurrency, stack_pids)
        for variant in variants
        for target in targets
    ]


def ratios(runs: list[Run], variants: list[str]) -> list[Ratio]:
    rate = {(run.variant, run.target): run.requests_per_s for run in runs}
    found = []
    for variant in variants:
        gateway = rate[variant, "gateway"]
        for reference, target in TARGETS.items():
            served = rate[variant, reference]
            ratio = round(gateway / served, 2) if served else None
            met = ratio is not None and ratio >= target
            found.append(Ratio(variant, reference, ratio, target, met))
    return found


def run(seconds: float, concurrency: int, variants: list[str], agents: int) -> Report:
    with tempfile.TemporaryDirectory(prefix="oii-compare-") as tmp:
        folder = Path(tmp)
        center = ContactCenter.of(agents, QUEUES)
        config = center.write(folder / "contact-center.yaml")
        with running_stack(folder, {"OII_CONFIG": str(config)}) as info:
            captured = gateway_answers(info.crm_url, [agent.user_id for agent in center.agents])
            logins = folder / "logins"
            logins.mkdir()
            for index, (_, answer) in enumerate(captured["login"]):
                (logins / f"{index:05d}.xml").write_bytes(answer)
            ping = folder / "ping.xml"
            ping.write_bytes(captured["ping"][0][1])
            spyne_port, ceiling_port = free_ports(2)
            spyne_log, ceiling_log = folder / "spyne.log", folder / "ceiling.log"
            with (
                serving(spyne_command(spyne_port, logins), spyne_log) as spyne,
                serving(ceiling_command(ceiling_port, logins, ping), ceiling_log) as ceiling,
            ):
                spyne_url = f"http://127.0.0.1:{spyne_port}{OII_ASMX}"
                ceiling_url = f"http://127.0.0.1:{ceiling_port}{OII_ASMX}"
                wait_until_answering("spyne", spyne, spyne_url, spyne_log)
                wait_until_answering("ceiling", ceiling, ceiling_url, ceiling_log)
                targets = [
                    Target("gateway", info.crm_url, info.pids["gateway"], captured),
                    Target(
                        "spyne", spyne_url, spyne.pid, same_answers("spyne", spyne_url, captured)
                    ),
                    Target(
                        "ceiling",
                        ceiling_url,
                        ceiling.pid,
                        same_answers("ceiling", ceiling_url, captured),
                    ),
                ]
                stack_pids = list(info.pids.values())
                runs = uvloop.run(measure_all(targets, variants, seconds, concurrency, stack_pids))
    return Report(concurrency, seconds, agents, os.cpu_count(), runs, ratios(runs, variants))


def print_report(report: Report) -> None:
    print(
        f"{'variant':<8} {'target':<8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        f" {'errors':>7} {'cpu server':>11} {'cpu stack':>10} {'cpu load':>9}"
    )
    for r in report.runs:
        print(
            f"{r.variant:<8} {r.target:<8} {r.requests_per_s:>8.0f} {r.p50_ms:>8.2f}"
            f" {r.p99_ms:>8.2f} {r.max_ms:>8.2f} {r.errors:>7} {r.server_cpu_percent:>10.0f}%"
            f" {r.stack_cpu_percent:>9.0f}% {r.load_cpu_percent:>8.0f}%"
        )
    for r in report.runs:
        for kind, count in r.error_kinds.items():
            print(f"  {r.variant} {r.target}: {count} x {kind}")
        if r.load_cpu_percent >= LOAD_BOUND_PERCENT:
            print(f"  {r.variant} {r.target}: the load generator took a whole core, a floor")
    print()
    for ratio in report.ratios:
        figure = "-" if ratio.ratio is None else f"{ratio.ratio:.2f}x"
        verdict = "met" if ratio.met else "NOT met"
        print(
            f"{ratio.variant:<8} gateway/{ratio.reference:<8} {figure:>7}"
            f"   target >= {ratio.target}x: {verdict}"
        )
    print(
        f"\n(concurrency {report.concurrency}, logins round {report.agents} agents,"
        f" {report.seconds:g} s per target, one target at"
        f" a time, {report.cores} cores; cpu is % of one core: server = the target's"
        " processes, stack = the embedded stack's other processes, load = this load generator)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench compare", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--agents", type=int, default=DEFAULT_AGENTS, help="distinct agents the logins go round"
    )
    parser.add_argument("--variant", choices=[*VARIANTS, "both"], default="both")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    variants = list(VARIANTS) if args.variant == "both" else [args.variant]
    report = run(args.seconds, args.concurrency, variants, args.agents)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2) + "\n")


if __name__ == "__main__":
    main()
