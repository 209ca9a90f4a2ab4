"""Minimal HTTP probes of /healthz, without an HTTP client library."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from contextlib import suppress
from urllib.parse import urlsplit


async def http_status(
    url: str, wait_s: float = 1.0, *, method: str = "GET", headers: Mapping[str, str] = {}
) -> int | None:
    """Status code of ``<method> url`` (no body); ``None`` if nothing answered in time."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        async with asyncio.timeout(wait_s):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
                writer.write(
                    f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}"
                    "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
                )
                await writer.drain()
                status_line = await reader.readline()
            finally:
                writer.close()
                with suppress(OSError):
                    await writer.wait_closed()
    except (OSError, TimeoutError):
        return None
    fields = status_line.split()
    if len(fields) < 2 or not fields[1].isdigit():
        return None
    return int(fields[1])


async def wait_until_healthy(
    url: str, still_running: Callable[[], bool], deadline: float, poll_s: float = 0.1
) -> bool:
    """Poll ``url`` until it answers 200 (True), or the process ends or ``deadline`` passes."""
    loop = asyncio.get_running_loop()
    while still_running():
        if await http_status(url) == 200:
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(poll_s)
    return False
