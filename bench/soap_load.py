"""SOAP request throughput and latency through the gateway, on the embedded stack.

    .venv/bin/python -m bench soap [--seconds 10] [--concurrency 32] [--json FILE]

Starts the embedded stack as ``make run`` does (own data dir, free gateway
port), then drives three paths one after the other with a fixed concurrency:

- ``local``: IciSystem.exchangeProductInformation, answered by the gateway itself;
- ``forwarded``: IciPhoneLine.getCalls of the demo line +129 through the gateway to
  telephony-svc (a real answer: the line's calls, read from NATS KV);
- ``direct``: the same request sent to telephony-svc without the gateway hop.

The load generator runs on the same 2 cores as the stack, so the figures are a
floor for what the stack serves, not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import aiohttp

from bench.closed_loop import drive
from bench.ici_client import ACTION, ENVELOPE, operation_xml
from bench.stack import running_stack
from oii_shared.headers import INTERNAL_TOKEN_HEADER

WARM_UP_S = 1.0

EXCHANGE = ENVELOPE.format(
    operation_xml("IciSystem", "exchangeProductInformation", iciVersion="3.00")
).encode()
LINE_CALLS = ENVELOPE.format(operation_xml("IciPhoneLine", "getCalls", lineNumber="+129")).encode()


@dataclass(frozen=True)
class Result:
    path: str
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float


async def measure(
    name: str,
    url: str,
    body: bytes,
    interface: str,
    seconds: float,
    concurrency: int,
    extra_headers: dict[str, str],
) -> Result:
    headers = {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": ACTION.format(interface),
        **extra_headers,
    }
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await drive(session, url, body, headers, WARM_UP_S, concurrency)
        started = time.perf_counter()
        measures = await drive(session, url, body, headers, seconds, concurrency)
        elapsed = time.perf_counter() - started
    spread = measures.total()
    return Result(
        path=name,
        requests=spread.count,
        errors=sum(measures.errors.values()),
        seconds=round(elapsed, 2),
        requests_per_s=round(spread.count / elapsed, 1),
        p50_ms=spread.p50_ms,
        p99_ms=spread.p99_ms,
        max_ms=spread.max_ms,
    )


async def run(seconds: float, concurrency: int) -> list[Result]:
    # The direct path shows telephony-svc the gateway's token, as the gateway does.
    token = secrets.token_urlsafe(24)
    environment = {"OII_INTERNAL_TOKEN": token}
    with (
        tempfile.TemporaryDirectory(prefix="oii-bench-") as tmp,
        running_stack(Path(tmp), environment) as info,
    ):
        telephony = info.services["telephony"]
        direct = {INTERNAL_TOKEN_HEADER: token}
        plans = [
            ("local", info.crm_url, EXCHANGE, "IciSystem", {}),
            ("forwarded", info.crm_url, LINE_CALLS, "IciPhoneLine", {}),
            (
                "direct",
                f"{telephony}/OII/IciPhoneLineService.asmx",
                LINE_CALLS,
                "IciPhoneLine",
                direct,
            ),
        ]
        return [
            await measure(name, url, body, interface, seconds, concurrency, headers)
            for name, url, body, interface, headers in plans
        ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench soap", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = asyncio.run(run(args.seconds, args.concurrency))
    print(f"{'path':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    for r in results:
        print(
            f"{r.path:<10} {r.requests_per_s:>8.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f}"
            f" {r.max_ms:>8.2f} {r.errors:>7}"
        )
    print(
        f"(concurrency {args.concurrency}, {args.seconds:.0f} s per path, {os.cpu_count()} cores)"
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
