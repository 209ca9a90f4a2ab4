"""The CRM event endpoint stand-in (oii_shared.crm_stand_in) for synchronous stack tests.

It runs in a background thread's own event loop; every call from the test goes
through that loop, so the stand-in's state is only ever touched there.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, TypeVar

from oii_shared.crm_stand_in import CrmEvent, CrmStandIn

QUIET_S = 0.7  # how long "no further event" is waited for
WAIT_S = 10.0
T = TypeVar("T")


class CrmStandInThread:
    """``url`` is where events go, once started (``start()`` or ``with``).

    It listens on ``host``: the loopback address, unless the suite sends from elsewhere
    (a compose network's containers reach the host at that network's gateway address).
    """

    def __init__(
        self, path: str = "/IciEventService/IciEventConf", host: str = "127.0.0.1"
    ) -> None:
        self.path = path
        self.url = ""
        self._stand_in = CrmStandIn(host)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> CrmStandInThread:
        self._thread.start()
        self._run(self._stand_in.start())
        self.url = self._stand_in.url(self.path)
        return self

    def stop(self) -> None:
        try:
            self._run(self._stand_in.stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()

    def __enter__(self) -> CrmStandInThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def snapshot(self) -> list[CrmEvent]:
        return self._in_loop(lambda: list(self._stand_in.received))

    def of(self, operation: str, app_id: str) -> list[CrmEvent]:
        return self._in_loop(lambda: self._stand_in.of(operation, app_id))

    def wait(self, operation: str, app_id: str, count: int) -> list[CrmEvent]:
        """At least ``count`` such events, then a quiet spell so that extra ones show."""
        self._run(self._stand_in.wait_events(operation, app_id, count, WAIT_S), WAIT_S + 5)
        time.sleep(QUIET_S)
        return self.of(operation, app_id)

    def _in_loop(self, read: Callable[[], T]) -> T:
        async def reading() -> T:
            return read()

        return self._run(reading())

    def _run(self, work: Coroutine[Any, Any, T], timeout: float = WAIT_S) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout)
