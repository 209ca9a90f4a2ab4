"""The recordings log written off the call's path: one writer task, many rows per transaction.

A call's drop should not wait for a database commit: the call listener hands
the ended call's recording to :class:`RecordingWriter` and returns. The writer
lets rows gather for a moment after the first one and stores them in one
transaction, so a busy hour costs a few commits a second, not one per call (each
commit is several hand-overs to the database thread); at an orderly stop it
writes what is left.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack

from sqlalchemy.ext.asyncio import AsyncEngine

from oii_telephony.recordings.log import RecordedCall, record_calls

log = logging.getLogger(__name__)

# Rows stored in one transaction at the most.
BATCH = 200
# How long rows gather after the first before they are written: a recording shows in
# getCallRecordings this much later at the most.
LINGER_S = 0.25
# A batch that failed is tried again once after this long, then given up (logged).
RETRY_S = 1.0


class RecordingWriter:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._queue: asyncio.Queue[RecordedCall] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def submit(self, recording: RecordedCall) -> None:
        self._queue.put_nowait(recording)

    async def start(self, stack: AsyncExitStack) -> None:
        self._task = asyncio.create_task(self._run(), name="recordings log")
        stack.push_async_callback(self.stop)

    async def stop(self) -> None:
        """Write what is queued, then end the writer task."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        while not self._queue.empty():
            await self._write(self._take())

    async def _run(self) -> None:
        while True:
            first = await self._queue.get()
            await asyncio.sleep(LINGER_S)
            await self._write([first, *self._take()])

    def _take(self) -> list[RecordedCall]:
        batch: list[RecordedCall] = []
        while len(batch) < BATCH and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    async def _write(self, batch: list[RecordedCall]) -> None:
        for attempt in (1, 2):
            try:
                await record_calls(self._engine, batch)
                return
            except asyncio.CancelledError:
                # Stopping in the middle of a write: the rows go back for stop() to write.
                for recording in batch:
                    self._queue.put_nowait(recording)
                raise
            except Exception:
                if attempt == 2:
                    log.exception("%d call recording(s) not logged", len(batch))
                    return
                await asyncio.sleep(RETRY_S)
