"""Runs the embedded stack: NATS, then init, then the services; stops them in reverse.

Single-threaded asyncio. A child that dies unexpectedly (nats-server too) is
started again as it was, after a pause that grows with each death; one that dies
more than ``crash_limit`` times within ``crash_window_s`` ends the whole stack with
a non-zero exit, loudly: there is never a silent half-stack.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import deque
from collections.abc import Coroutine
from typing import Any, TextIO, cast

from oii_shared.embedded.catalog import Catalog, default_catalog
from oii_shared.embedded.console import Console, RotatingLogFile, TeeWriter
from oii_shared.embedded.health import http_status
from oii_shared.embedded.nats_server import NatsServerError
from oii_shared.embedded.options import StackOptions
from oii_shared.embedded.process import Child
from oii_shared.embedded.stackfile import StackInfo, remove_stack_file, write_stack_file
from oii_shared.embedded.startup import Running, Startup, StartupError
from oii_shared.headers import INTERNAL_TOKEN_HEADER
from oii_shared.paths import OII_ASMX, STATUS_PAGE

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
NATS_NAME = "nats"
# What a service may take for its last word before the stack stops (the notifier: every
# session's subscriptionEnded, one attempt of at most 3 s each, after 2 s of grace).
STACK_STOP_CALL_S = 10.0


class Stack:
    def __init__(
        self,
        options: StackOptions,
        catalog: Catalog,
        *,
        out: TextIO | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.options = options
        self.catalog = catalog
        names = (*catalog.names, "nats")
        self.console = Console.for_names(names, out or sys.stdout, err or sys.stderr)
        self.running = Running()
        self._startup = Startup(options, catalog, self.console, self.running)
        self._stop_requested = asyncio.Event()

    def request_stop(self, reason: str = "stop requested") -> None:
        if not self._stop_requested.is_set():
            self.console.say(f"{reason}: stopping")
        self._stop_requested.set()

    async def run(self) -> int:
        """Start everything, supervise until a stop request or a death; always stop all."""
        try:
            try:
                started = await self._unless_stopped(self._startup.start())
            except StartupError as error:
                self.console.say(f"start failed: {error}", error=True)
                return error.exit_code
            if not started:
                return 0
            self._announce()
            return await self._supervise()
        finally:
            await self._shutdown()

    async def _unless_stopped(self, work: Coroutine[Any, Any, None]) -> bool:
        """Run ``work``; False if a stop request came first and cut it short."""
        task = asyncio.ensure_future(work)
        stop = asyncio.ensure_future(self._stop_requested.wait())
        try:
            await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not task.done():
                task.cancel()
                await asyncio.wait({task})
        if task.cancelled():
            return False
        task.result()
        return True

    def _announce(self) -> None:
        info = self._write_stack_file()
        self.console.say(f"OII is up. CRM (ICI) URL: {info.crm_url}")
        self.console.say(f"status page: {info.status_url}")

    def _write_stack_file(self) -> StackInfo:
        nats = self.running.nats
        assert nats is not None
        gateway_url = self.running.urls[self.catalog.gateway.name]
        pids = {name: child.pid for name, child in self.running.children.items()}
        info = StackInfo(
            pid=os.getpid(),
            gateway_url=gateway_url,
            crm_url=gateway_url + OII_ASMX,
            status_url=gateway_url + STATUS_PAGE,
            nats_url=nats.url,
            nats_monitoring_url=nats.monitoring_url,
            services=dict(self.running.urls),
            pids={**pids, "nats": nats.child.pid},
        )
        write_stack_file(self.options.data_dir, info)
        return info

    async def _supervise(self) -> int:
        """Keep every child alive until a stop request (0) or one crashes too often (1)."""
        keepers = [asyncio.ensure_future(self._keep_alive(name)) for name in self.running.children]
        keepers.append(asyncio.ensure_future(self._keep_alive(NATS_NAME)))
        stop = asyncio.ensure_future(self._stop_requested.wait())
        try:
            done, _ = await asyncio.wait({*keepers, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (*keepers, stop):
                waiter.cancel()
            await asyncio.gather(*keepers, stop, return_exceptions=True)
        return 0 if stop in done else 1

    def _child(self, name: str) -> Child:
        if name == NATS_NAME:
            assert self.running.nats is not None
            return self.running.nats.child
        return self.running.children[name]

    async def _keep_alive(self, name: str) -> None:
        """Start ``name`` again each time it dies; return when it died too often."""
        options = self.options
        deaths: deque[float] = deque()
        loop = asyncio.get_running_loop()
        while True:
            child = self._child(name)
            await child.wait()
            if self._stop_requested.is_set():
                return
            now = loop.time()
            deaths.append(now)
            while deaths and deaths[0] < now - options.crash_window_s:
                deaths.popleft()
            last = " / ".join(list(child.tail)[-3:]) or "no output"
            if len(deaths) > options.crash_limit:
                self.console.say(
                    f"{name} died {len(deaths)} times within {options.crash_window_s:.0f} s "
                    f"(last exit code {child.returncode}: {last}); giving up, stopping the stack",
                    error=True,
                )
                return
            pauses = options.restart_pauses_s
            pause = pauses[min(len(deaths), len(pauses)) - 1]
            self.console.say(
                f"{name} exited unexpectedly with code {child.returncode} ({last}); "
                f"starting it again in {pause:g} s",
                error=True,
            )
            if await self._stop_within(pause):
                return
            try:
                await self._restart(name)
            except (NatsServerError, OSError) as error:
                self.console.say(f"{name} could not be started again: {error}", error=True)
                return
            self._write_stack_file()

    async def _before_stack_stop(self) -> None:
        """Each service's last word before the whole stack stops (the notifier ends CRM's
        sessions): only here, never when one service restarts."""
        token = {INTERNAL_TOKEN_HEADER: self.options.secrets.internal_token}
        for spec in self.catalog.services:
            url = self.running.urls.get(spec.name)
            child = self.running.children.get(spec.name)
            if spec.on_stack_stop is None or url is None or child is None:
                continue
            if not child.is_running():
                continue
            status = await http_status(
                url + spec.on_stack_stop, STACK_STOP_CALL_S, method="POST", headers=token
            )
            if status != 200:
                self.console.say(f"{spec.name}: {spec.on_stack_stop} answered {status}", error=True)

    async def _restart(self, name: str) -> None:
        if name == NATS_NAME:
            await self._startup.restart_nats()
        else:
            self.running.children[name] = await self._startup.restart(name)
        self.console.say(f"{name} started again (pid {self._child(name).pid})")

    async def _stop_within(self, seconds: float) -> bool:
        """Wait ``seconds``; True at once if a stop was requested meanwhile."""
        try:
            await asyncio.wait_for(self._stop_requested.wait(), seconds)
        except TimeoutError:
            return False
        return True

    async def _shutdown(self) -> None:
        """Services first (SIGTERM, then SIGKILL), nats-server last so JetStream can flush."""
        remove_stack_file(self.options.data_dir, os.getpid())
        say = self.console.say
        await self._before_stack_stop()
        children = list(self.running.children.values())
        if any(child.is_running() for child in children):
            say("stopping services")
        await asyncio.gather(*(child.stop(self.options.stop_timeout_s) for child in children))
        for child in children:
            if child.killed:
                say(f"{child.name} killed: still running after SIGTERM", error=True)
        self.running.children.clear()
        nats = self.running.nats
        if nats is not None:
            say("stopping nats-server")
            await nats.stop(self.options.nats_stop_timeout_s)
            if nats.child.killed:
                say("nats-server killed: still running after SIGTERM", error=True)
            self.running.nats = None
        say("stopped")


async def run_stack(
    options: StackOptions,
    catalog: Catalog | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run a stack in the foreground until SIGINT/SIGTERM/SIGHUP; return the exit code."""
    log = RotatingLogFile(options.resolved_log_file, options.log_max_bytes, options.log_keep_days)
    with log:
        stack = Stack(
            options,
            catalog or default_catalog(),
            # TeeWriter is a text stream; typing.TextIO is only nominal.
            out=cast(TextIO, TeeWriter(out or sys.stdout, log)),
            err=cast(TextIO, TeeWriter(err or sys.stderr, log)),
        )
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, stack.request_stop, signum.name)
        try:
            return await stack.run()
        finally:
            for signum in STOP_SIGNALS:
                loop.remove_signal_handler(signum)
