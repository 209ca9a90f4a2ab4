"""The look-up cache: only the first use waits, later ones get the stale answer at once."""

from __future__ import annotations

import asyncio

from oii_notifier.cache import RefreshingCache


async def test_an_expired_answer_is_served_while_it_is_refreshed() -> None:
    calls: list[str] = []
    slow = asyncio.Event()

    async def fetch(key: str) -> tuple[str, float]:
        calls.append(key)
        if len(calls) > 1:
            await slow.wait()  # a resolver that hangs
        return f"{key}-{len(calls)}", 0.05

    cache = RefreshingCache[str](fetch)
    assert await cache.get("a") == "a-1"
    await asyncio.sleep(0.1)
    # Expired: the old answer comes back at once, one refresh runs behind it.
    assert await asyncio.wait_for(cache.get("a"), 0.5) == "a-1"
    assert await asyncio.wait_for(cache.get("a"), 0.5) == "a-1"
    assert calls == ["a", "a"]
    slow.set()
    await asyncio.sleep(0.05)
    assert await cache.get("a") == "a-2"


async def test_a_failed_refresh_keeps_the_previous_answer() -> None:
    answers = iter([("first", 0.0)])

    async def fetch(key: str) -> tuple[str, float]:
        try:
            return next(answers)
        except StopIteration:
            raise OSError("resolver down") from None

    cache = RefreshingCache[str](fetch)
    assert await cache.get("k") == "first"
    assert await cache.get("k") == "first"
    await asyncio.sleep(0.01)
    assert await cache.get("k") == "first"
