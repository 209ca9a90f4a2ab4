"""Requests at a fixed rate, whatever the answers: the load a population of customers makes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def at_rate(rate: float, seconds: float, send: Callable[[int], Awaitable[None]]) -> int:
    """``send(0)``, ``send(1)``... at ``rate`` per second for ``seconds``, each in its own task;
    returns once every one has ended, with how many were sent."""
    pending: set[asyncio.Task[None]] = set()
    total = int(rate * seconds)
    begin = time.perf_counter()
    for number in range(total):
        # An absolute schedule: a late tick does not shift the requests after it.
        delay = begin + number / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.ensure_future(send(number))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.wait(pending)
    return total
