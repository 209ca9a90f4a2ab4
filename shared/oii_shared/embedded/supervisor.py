"""Runs the embedded stack: NATS, then init, then the services; stops them in reverse.

Single-threaded asyncio. Any child that dies unexpectedly stops the whole stack
with a non-zero exit: there is never a silent half-stack.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Coroutine
from typing import Any, TextIO, cast

from oii_shared.embedded.catalog import Catalog, default_catalog
from oii_shared.embedded.console import Console, TeeWriter
from oii_shared.embedded.options import StackOptions
from oii_shared.embedded.stackfile import StackInfo, remove_stack_file, write_stack_file
from oii_shared.embedded.startup import Running, Startup, StartupError
from oii_shared.paths import OII_ASMX, STATUS_PAGE

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


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
        self._stop_requested = asyncio.Event()

    def request_stop(self, reason: str = "stop requested") -> None:
        if not self._stop_requested.is_set():
            self.console.say(f"{reason}: stopping")
        self._stop_requested.set()

    async def run(self) -> int:
        """Start everything, supervise until a stop request or a death; always stop all."""
        try:
            startup = Startup(self.options, self.catalog, self.console, self.running)
            try:
                started = await self._unless_stopped(startup.start())
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
        self.console.say(f"OII is up. CRM (ICI) URL: {info.crm_url}")
        self.console.say(f"status page: {info.status_url}")

    async def _supervise(self) -> int:
        assert self.running.nats is not None
        watched = [*self.running.children.values(), self.running.nats.child]
        exits = {asyncio.ensure_future(child.process.wait()): child for child in watched}
        stop = asyncio.ensure_future(self._stop_requested.wait())
        try:
            done, _ = await asyncio.wait({*exits, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (*exits, stop):
                waiter.cancel()
        died = [exits[waiter] for waiter in done if waiter in exits]
        for child in died:
            self.console.say(
                f"{child.name} exited unexpectedly with code {child.returncode};"
                " stopping the stack",
                error=True,
            )
        return 1 if died else 0

    async def _shutdown(self) -> None:
        """Services first (SIGTERM, then SIGKILL), nats-server last so JetStream can flush."""
        remove_stack_file(self.options.data_dir, os.getpid())
        say = self.console.say
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
    log_path = options.resolved_log_file
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a", encoding="utf-8") as log:
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
