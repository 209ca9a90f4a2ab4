"""Child processes of the stack: started so that none outlives the supervisor.

Two guards against orphans:

* Each child runs in its own session (process group). A terminal's Ctrl-C then
  reaches only the supervisor, which stops children in the right order, and a
  stop signal sent to the group also reaches anything the child started itself.
* If the supervisor dies without stopping them (SIGKILL, crash), Linux sends
  each child its "parent death signal" (prctl PR_SET_PDEATHSIG). The setting must
  be made in the child between fork and exec. ``preexec_fn`` could do it, but it
  runs Python code in a forked copy of a process whose other threads (asyncio's
  child watcher threads in Python 3.11) may hold locks, which can deadlock. So
  the child is instead a tiny fresh interpreter (``_GUARD``) that sets the
  signal, checks that its parent is still the supervisor, and ``exec``s the real
  program: same pid, and the setting survives exec. Cost: ~10 ms per child.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

LINE_LIMIT = 1024 * 1024
TAIL_LINES = 20
PUMP_DRAIN_TIMEOUT_S = 2.0

_GUARD = """
import ctypes, os, sys
parent, death_signal, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
PR_SET_PDEATHSIG = 1
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, death_signal, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_PDEATHSIG) failed: errno %d" % ctypes.get_errno())
if os.getppid() != parent:
    sys.exit("the supervisor is gone")
os.execvp(argv[0], argv)
"""


def guarded_argv(argv: Sequence[str], death_signal: signal.Signals) -> list[str]:
    """``argv`` wrapped so the program gets ``death_signal`` when this process dies."""
    if not sys.platform.startswith("linux"):
        return list(argv)
    guard = [sys.executable, "-I", "-S", "-c", _GUARD, str(os.getpid()), str(int(death_signal))]
    return [*guard, *argv]


async def relay_lines(
    stream: asyncio.StreamReader, prefix: str, sink: TextIO, tail: deque[str]
) -> None:
    """Copy ``stream`` to ``sink`` line by line, each line prefixed; keep the last ones."""
    while True:
        try:
            chunk = await stream.readuntil(b"\n")
        except asyncio.IncompleteReadError as eof:
            chunk = eof.partial
        except asyncio.LimitOverrunError as overrun:
            # A line longer than the buffer limit goes out in pieces.
            chunk = await stream.read(overrun.consumed)
        if not chunk:
            return
        line = chunk.decode(errors="replace").rstrip("\r\n")
        tail.append(line)
        sink.write(f"{prefix}{line}\n")
        sink.flush()


@dataclass
class Child:
    name: str
    process: asyncio.subprocess.Process
    relays: list[asyncio.Task[None]] = field(default_factory=list)
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    # Set when stop() had to resort to SIGKILL.
    killed: bool = False

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def is_running(self) -> bool:
        return self.process.returncode is None

    def signal_group(self, signum: signal.Signals) -> None:
        # The child leads its own group (start_new_session), so its pid is the group id.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signum)

    async def wait(self) -> int:
        """Wait for the exit and for its output to be fully relayed."""
        returncode = await self.process.wait()
        await self._finish_relays()
        return returncode

    async def stop(self, grace_s: float) -> int:
        """SIGTERM, then SIGKILL after ``grace_s`` seconds; returns the exit code."""
        if self.process.returncode is None:
            self.signal_group(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace_s)
            except TimeoutError:
                self.killed = True
                self.signal_group(signal.SIGKILL)
        returncode = await self.process.wait()
        # Whatever the child started and left behind in its group would be orphaned.
        self.signal_group(signal.SIGKILL)
        await self._finish_relays()
        return returncode

    def last_lines(self) -> str:
        return "\n".join(self.tail)

    async def _finish_relays(self) -> None:
        if not self.relays:
            return
        _, pending = await asyncio.wait(self.relays, timeout=PUMP_DRAIN_TIMEOUT_S)
        for relay in pending:
            relay.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


async def spawn(
    name: str,
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    prefix: str,
    out: TextIO,
    err: TextIO,
    death_signal: signal.Signals = signal.SIGKILL,
    cwd: str | None = None,
) -> Child:
    """Start ``argv`` guarded (see module docstring), relaying its output to ``out``/``err``."""
    process = await asyncio.create_subprocess_exec(
        *guarded_argv(argv, death_signal),
        env=dict(env),
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        limit=LINE_LIMIT,
    )
    child = Child(name, process)
    assert process.stdout is not None and process.stderr is not None
    child.relays = [
        asyncio.create_task(relay_lines(process.stdout, prefix, out, child.tail)),
        asyncio.create_task(relay_lines(process.stderr, prefix, err, child.tail)),
    ]
    return child
