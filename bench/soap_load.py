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
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import aiohttp

from bench.stack import running_stack

ACTION = "http://inqmy.com/soapdispatcher/rpc/bcbici/{}Bean"
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    "{}</soap:Body></soap:Envelope>"
)
EXCHANGE = ENVELOPE.format(
    '<n0:exchangeProductInformation xmlns:n0="urn:IciSystemInterface">'
    "<iciVersion>3.00</iciVersion></n0:exchangeProductInformation>"
).encode()
LINE_CALLS = ENVELOPE.format(
    '<n0:getCalls xmlns:n0="urn:IciPhoneLineInterface"><lineNumber>+129</lineNumber></n0:getCalls>'
).encode()


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


async def drive(
    name: str, url: str, body: bytes, action: str, seconds: float, concurrency: int
) -> Result:
    latencies: list[float] = []
    errors = 0
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as answer:
                    await answer.read()
                    if answer.headers.get("Content-Type", "").startswith("text/xml"):
                        latencies.append(time.perf_counter() - started)
                    else:
                        errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return Result(
        path=name,
        requests=len(latencies),
        errors=errors,
        seconds=round(elapsed, 2),
        requests_per_s=round(len(latencies) / elapsed, 1),
        p50_ms=round(percentile(0.50), 2),
        p99_ms=round(percentile(0.99), 2),
        max_ms=round(latencies[-1] * 1000, 2),
    )


async def run(seconds: float, concurrency: int) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="oii-bench-") as tmp, running_stack(Path(tmp)) as info:
        telephony = info.services["telephony"]
        plans = [
            ("local", info.crm_url, EXCHANGE, ACTION.format("IciSystem")),
            ("forwarded", info.crm_url, LINE_CALLS, ACTION.format("IciPhoneLine")),
            (
                "direct",
                f"{telephony}/OII/IciPhoneLineService.asmx",
                LINE_CALLS,
                ACTION.format("IciPhoneLine"),
            ),
        ]
        results = []
        for name, url, body, action in plans:
            await drive(name, url, body, action, 1.0, concurrency)  # warm-up
            results.append(await drive(name, url, body, action, seconds, concurrency))
        return results


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
