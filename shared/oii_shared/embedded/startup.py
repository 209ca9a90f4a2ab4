"""The start of the embedded stack: nats-server, then init, then the services.

Every process started is recorded in :class:`Running` at once, so that the
supervisor can stop whatever a failed or interrupted start left behind.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from oii_shared.embedded.catalog import Catalog, ServiceSpec, StackAddresses
from oii_shared.embedded.console import Console
from oii_shared.embedded.health import http_status, wait_until_healthy
from oii_shared.embedded.nats_server import NatsServer, NatsServerError, start_nats_server
from oii_shared.embedded.options import StackOptions
from oii_shared.embedded.ports import free_port, free_ports, port_is_free
from oii_shared.embedded.process import Child, spawn
from oii_shared.embedded.stackfile import running_stack_pid
from oii_shared.paths import HEALTHZ, LIVEZ
from oii_shared.settings import OWNER_ONLY_DIRECTORY

# init's exit code for a bad contact-center configuration, passed on as ours.
CONFIG_ERROR_EXIT = 2


class StartupError(Exception):
    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Running:
    nats: NatsServer | None = None
    children: dict[str, Child] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    # How each child was started (module, environment): a restart does it again exactly.
    launches: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)


@dataclass
class Startup:
    options: StackOptions
    catalog: Catalog
    console: Console
    running: Running

    async def start(self) -> None:
        options = self.options
        other = running_stack_pid(options.data_dir)
        if other is not None:
            raise StartupError(f"a stack (pid {other}) already runs on {options.data_dir}")
        if not port_is_free(options.gateway_port, options.gateway_host):
            raise StartupError(
                f"gateway port {options.gateway_host}:{options.gateway_port} is already in use"
                " (set OII_GATEWAY_PORT to a free port)"
            )
        await self._start_nats()
        await self._run_init()
        try:
            await self._start_services()
        except StartupError:
            await self._report_health()
            raise

    async def _start_nats(self) -> None:
        self.options.data_dir.mkdir(parents=True, exist_ok=True)
        # Also a data directory an earlier version made readable by everyone.
        self.options.data_dir.chmod(OWNER_ONLY_DIRECTORY)
        try:
            self.running.nats = await self._nats_server()
        except NatsServerError as error:
            raise StartupError(str(error)) from error
        self.console.say(f"nats-server ready at {self.running.nats.url}")

    async def restart_nats(self) -> None:
        """nats-server again, on the ports of the first start: every client finds it there."""
        old = self.running.nats
        assert old is not None, "restart_nats follows a start"
        monitoring = urlsplit(old.monitoring_url).port if old.monitoring_url else None
        self.running.nats = await self._nats_server(
            port=urlsplit(old.url).port or -1, monitoring_port=monitoring or -1
        )

    async def restart(self, name: str) -> Child:
        """The child ``name`` again, with the module and environment of its first start."""
        module, env = self.running.launches[name]
        return await self._spawn(name, module, env)

    async def _nats_server(self, port: int = -1, monitoring_port: int = -1) -> NatsServer:
        options = self.options
        return await start_nats_server(
            options.data_dir / "nats",
            binary=options.nats_server_bin,
            host=options.host,
            port=port,
            monitoring_port=monitoring_port,
            out=self.console.out,
            err=self.console.err,
            prefix=self.console.prefix("nats"),
            credentials=(options.secrets.nats_user, options.secrets.nats_password),
        )

    async def _run_init(self) -> None:
        job, limit_s = self.catalog.init, self.options.startup_timeout_s
        env = self.catalog.job_environment(job, self._addresses({}))
        child = await self._spawn(job.name, job.module, env)
        try:
            returncode = await asyncio.wait_for(child.wait(), limit_s)
        except TimeoutError:
            raise StartupError(f"{job.name} still runs after {limit_s:.0f} s") from None
        del self.running.children[job.name]
        if returncode != 0:
            raise StartupError(
                f"{job.name} ({job.module}) failed with exit code {returncode}: "
                + (child.tail[-1] if child.tail else "no output"),
                CONFIG_ERROR_EXIT if returncode == CONFIG_ERROR_EXIT else 1,
            )

    async def _start_services(self) -> None:
        options, internal = self.options, self.catalog.internal
        deadline = asyncio.get_running_loop().time() + options.startup_timeout_s
        names = [spec.name for spec in internal]
        ports = dict(zip(names, free_ports(len(names), options.host), strict=True))
        ports[self.catalog.gateway.name] = options.gateway_port
        outcomes = await asyncio.gather(
            *(self._start_service(spec, ports, deadline) for spec in internal),
            return_exceptions=True,
        )
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        for failure in failures:
            if not isinstance(failure, StartupError):
                raise failure
        if failures:
            raise StartupError("; ".join(str(failure) for failure in failures))
        # Last, because it needs the final addresses of all the others.
        await self._start_service(self.catalog.gateway, ports, deadline)

    async def _start_service(
        self, spec: ServiceSpec, ports: dict[str, int], deadline: float
    ) -> None:
        retried = False
        is_gateway = spec == self.catalog.gateway
        host = self.options.gateway_probe_host if is_gateway else self.options.host
        while True:
            env = self.catalog.service_environment(spec, self._addresses(ports))
            child = await self._spawn(spec.name, spec.module, env)
            url = f"http://{host}:{ports[spec.name]}"
            if await wait_until_healthy(url + LIVEZ, child.is_running, deadline):
                self.running.urls[spec.name] = url
                return
            if child.returncode is None:
                raise StartupError(f"{spec.name} not healthy: no 200 from {url}{LIVEZ}")
            await child.wait()
            port = ports[spec.name]
            # Another process took the port between picking and binding: one more try.
            if not is_gateway and not retried and not port_is_free(port, host):
                self.console.say(f"{spec.name}: port {port} got taken; retrying on another one")
                ports[spec.name] = free_port(host)
                retried = True
                continue
            last_line = child.tail[-1] if child.tail else "no output"
            raise StartupError(f"{spec.name} exited with code {child.returncode}: {last_line}")

    async def _report_health(self) -> None:
        """Say what is up and what is down, service by service."""
        for spec in self.catalog.services:
            name, child = spec.name, self.running.children.get(spec.name)
            if child is None:
                self.console.say(f"{name}: not started", error=True)
                continue
            url = self.running.urls.get(name)
            if child.returncode is not None:
                state = f"down (exited with code {child.returncode})"
            elif url is not None and await http_status(url + HEALTHZ) == 200:
                state = "up"
            else:
                state = "down (not healthy)"
            self.console.say(f"{name}: {state}", error=state != "up")

    async def _spawn(self, name: str, module: str, env: dict[str, str]) -> Child:
        self.running.launches[name] = (module, env)
        child = await spawn(
            name,
            [self.options.python, "-m", module],
            # OII_LOG_FILE is the embedded stack's own: in compose, logs are the containers'.
            {
                **os.environ,
                **env,
                "OII_LOG_FILE": str(self.options.resolved_log_file),
                "PYTHONUNBUFFERED": "1",
            },
            prefix=self.console.prefix(name),
            out=self.console.out,
            err=self.console.err,
        )
        self.running.children[name] = child
        return child

    def _addresses(self, ports: dict[str, int]) -> StackAddresses:
        assert self.running.nats is not None
        options = self.options
        return StackAddresses(
            host=options.host,
            ports=dict(ports),
            urls={name: f"http://{options.host}:{port}" for name, port in ports.items()},
            nats_url=self.running.nats.url,
            database_url=options.resolved_database_url,
            data_dir=str(options.data_dir),
            log_level=options.log_level,
            config=str(options.config) if options.config else None,
            gateway_host=options.gateway_host,
            nats_monitoring_url=self.running.nats.monitoring_url,
            secrets=options.secrets,
        )
