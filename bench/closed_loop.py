"""A fixed number of clients, each sending its next request as soon as it has an answer."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Mapping, Sequence

import aiohttp

from bench.measures import Measures

# What is wrong with an answer (its status and body), or None when it is the right one.
Check = Callable[[int, bytes], str | None]
HTTP_OK = 200


def answered_ok(status: int, body: bytes) -> str | None:
    return None if status == HTTP_OK else f"HTTP {status}"


async def drive(
    session: aiohttp.ClientSession,
    url: str,
    request: bytes,
    headers: Mapping[str, str],
    seconds: float,
    concurrency: int,
    check: Check = answered_ok,
    name: str = "request",
) -> Measures:
    """``concurrency`` clients for ``seconds``: latencies of right answers under ``name``,
    everything else counted by kind."""
    return await drive_each(session, url, [(request, check)], headers, seconds, concurrency, name)


async def drive_each(
    session: aiohttp.ClientSession,
    url: str,
    requests: Sequence[tuple[bytes, Check]],
    headers: Mapping[str, str],
    seconds: float,
    concurrency: int,
    name: str = "request",
) -> Measures:
    """Like :func:`drive`, the clients taking the requests in turn, each with its check."""
    measures = Measures()
    deadline = time.perf_counter() + seconds
    turns = itertools.cycle(requests)

    async def client() -> None:
        while time.perf_counter() < deadline:
            request, check = next(turns)
            started = time.perf_counter()
            try:
                async with session.post(url, data=request, headers=headers) as answer:
                    body = await answer.read()
            except (aiohttp.ClientError, OSError, TimeoutError) as error:
                measures.error(type(error).__name__)
                continue
            wrong = check(answer.status, body)
            if wrong is None:
                measures.latency(name, time.perf_counter() - started)
            else:
                measures.error(wrong)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return measures
