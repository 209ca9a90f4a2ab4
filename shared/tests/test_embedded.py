"""The embedded stack's parts, and its supervisor driving stand-in services (stand_ins/)."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import time
import urllib.request
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oii_shared.bus.connect import close, connect
from oii_shared.bus.topology import BucketSpec, ensure_topology
from oii_shared.embedded import startup, supervisor
from oii_shared.embedded.catalog import (
    Catalog,
    JobSpec,
    ServiceSpec,
    StackAddresses,
    default_catalog,
)
from oii_shared.embedded.health import http_status
from oii_shared.embedded.nats_server import NatsServerError, start_nats_server
from oii_shared.embedded.options import StackOptions
from oii_shared.embedded.ports import free_port, free_ports, port_is_free
from oii_shared.embedded.process import relay_lines
from oii_shared.embedded.stackfile import read_stack_file
from oii_shared.settings import Settings

STAND_INS = Path(__file__).resolve().parent / "stand_ins"


def test_two_stacks_run_side_by_side_and_stop_services_before_nats(
    start_stand_in_stack: Callable[..., Any],
) -> None:
    stacks = [start_stand_in_stack(), start_stand_in_stack()]
    infos = [stack.wait_until_up() for stack in stacks]

    for stack, info in zip(stacks, infos, strict=True):
        assert info.gateway_url == f"http://127.0.0.1:{stack.gateway_port}"
        assert info.crm_url == f"{info.gateway_url}/OII/OII.asmx"
        assert set(info.services) == {"gateway", "telephony", "chat"}
        assert set(info.pids) == {"gateway", "telephony", "chat", "nats"}
        with urllib.request.urlopen(f"{info.gateway_url}/healthz", timeout=5) as answer:
            assert answer.status == 200
        [init] = stack.journal("init")
        assert init["nats_up"]
        started = {record["name"]: record for record in stack.journal("started")}
        assert init["time"] < min(record["time"] for record in started.values())
        assert started["gateway"]["time"] > started["telephony"]["time"]
        gateway_env = started["gateway"]["env"]
        assert gateway_env["OII_TELEPHONY_URL"] == info.services["telephony"]
        assert gateway_env["OII_CHAT_URL"] == info.services["chat"]
        assert {record["env"]["OII_NATS_URL"] for record in started.values()} == {info.nats_url}
    urls = [url for info in infos for url in [*info.services.values(), info.nats_url]]
    assert len(set(urls)) == len(urls)

    for stack in stacks:
        stack.process.send_signal(signal.SIGTERM)
    for stack, info in zip(stacks, infos, strict=True):
        assert stack.wait_exit() == 0, stack.stderr()
        assert {r["name"]: r["nats_up"] for r in stack.journal("sigterm")} == dict.fromkeys(
            ("gateway", "telephony", "chat"), True
        )
        assert "chat      | chat listening\n" in stack.stdout()
        assert "telephony | telephony says hello on stderr\n" in stack.stderr()
        assert "chat killed: still running after SIGTERM" in stack.stderr()
        assert read_stack_file(stack.data_dir) is None
        assert not stack.leftovers(info)


def test_a_killed_supervisor_leaves_no_orphans(start_stand_in_stack: Callable[..., Any]) -> None:
    stack = start_stand_in_stack()
    info = stack.wait_until_up()

    stack.process.kill()
    stack.process.wait()

    stack.wait_until_gone(info)


def wait_for_new_pid(stack: Any, name: str, old: int) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        info = read_stack_file(stack.data_dir)
        if info is not None and info.pids[name] != old:
            return info.pids[name]
        assert stack.process.poll() is None, stack.stderr()
        time.sleep(0.05)
    raise AssertionError(f"{name} was not started again\n{stack.stderr()}")


def test_a_dying_service_is_started_again_with_the_same_port_and_environment(
    start_stand_in_stack: Callable[..., Any],
) -> None:
    stack = start_stand_in_stack()
    info = stack.wait_until_up()

    os.kill(info.pids["telephony"], signal.SIGKILL)

    new_pid = wait_for_new_pid(stack, "telephony", info.pids["telephony"])
    deadline = time.monotonic() + 20
    while asyncio.run(http_status(f"{info.services['telephony']}/healthz")) != 200:
        assert time.monotonic() < deadline, stack.stderr()
        time.sleep(0.05)
    first, again = [r for r in stack.journal("started") if r["name"] == "telephony"]
    assert again["pid"] == new_pid and again["env"] == first["env"]
    assert "telephony exited unexpectedly with code -9" in stack.stderr()
    # The others were left alone.
    assert read_stack_file(stack.data_dir).pids["chat"] == info.pids["chat"]  # type: ignore[union-attr]
    stack.process.send_signal(signal.SIGTERM)
    assert stack.wait_exit() == 0, stack.stderr()
    assert not stack.leftovers(read_stack_file(stack.data_dir) or info)


def test_a_dead_nats_server_is_started_again_on_its_ports(
    start_stand_in_stack: Callable[..., Any],
) -> None:
    stack = start_stand_in_stack()
    info = stack.wait_until_up()

    os.kill(info.pids["nats"], signal.SIGKILL)

    wait_for_new_pid(stack, "nats", info.pids["nats"])
    assert read_stack_file(stack.data_dir).nats_url == info.nats_url  # type: ignore[union-attr]
    stack.process.send_signal(signal.SIGTERM)
    assert stack.wait_exit() == 0, stack.stderr()


def test_a_service_that_keeps_dying_stops_the_stack_loudly(
    start_stand_in_stack: Callable[..., Any],
) -> None:
    stack = start_stand_in_stack(crash_limit=2, restart_pauses_s=[0.1])
    info = stack.wait_until_up()
    pid = info.pids["telephony"]
    for _ in range(3):
        os.kill(pid, signal.SIGKILL)
        if _ < 2:
            pid = wait_for_new_pid(stack, "telephony", pid)

    assert stack.wait_exit() == 1
    assert "telephony died 3 times within 60 s" in stack.stderr()
    assert "giving up, stopping the stack" in stack.stderr()
    assert read_stack_file(stack.data_dir) is None


def test_a_failing_init_fails_the_start_with_its_message(
    start_stand_in_stack: Callable[..., Any],
) -> None:
    stack = start_stand_in_stack(init="stand_in_bad_init")

    assert stack.wait_exit() == 2
    assert "init      | bad config: queue Q1 has no skills" in stack.stderr()
    assert "start failed: init (stand_in_bad_init) failed with exit code 2" in stack.stderr()
    assert not stack.journal("started")
    assert not stack.leftovers()


def test_a_taken_gateway_port_fails_the_start_clearly(
    start_stand_in_stack: Callable[..., Any],
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        stack = start_stand_in_stack(gateway_port=taken.getsockname()[1])
        assert stack.wait_exit() == 1
    assert f"gateway port 127.0.0.1:{stack.gateway_port} is already in use" in stack.stderr()
    assert not stack.leftovers()


def test_a_service_never_healthy_fails_the_start_naming_it(
    start_stand_in_stack: Callable[..., Any],
) -> None:
    stack = start_stand_in_stack(internal={"telephony": "stand_in_unhealthy"}, startup_timeout_s=2)

    assert stack.wait_exit() == 1
    assert "telephony not healthy: no 200 from http://127.0.0.1:" in stack.stderr()
    assert not stack.leftovers()


async def test_a_service_whose_port_got_taken_is_retried_on_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    taken_port = taken.getsockname()[1]
    monkeypatch.setattr(startup, "free_ports", lambda count, host: [taken_port])
    monkeypatch.setenv("PYTHONPATH", str(STAND_INS))
    monkeypatch.setenv("STAND_IN_JOURNAL", str(tmp_path / "journal"))
    catalog = Catalog(
        ServiceSpec("gateway", "stand_in_ok", "gateway"),
        (ServiceSpec("telephony", "stand_in_ok", "telephony-svc", "OII_TELEPHONY_URL"),),
        JobSpec("init", "stand_in_init", "gateway"),
    )
    options = StackOptions(data_dir=tmp_path / "data", gateway_port=free_port())
    out = io.StringIO()
    stack = supervisor.Stack(options, catalog, out=out, err=io.StringIO())
    running = asyncio.ensure_future(stack.run())
    try:
        async with asyncio.timeout(30):
            while (info := read_stack_file(options.data_dir)) is None:
                assert not running.done(), out.getvalue()
                await asyncio.sleep(0.05)
        assert info.services["telephony"] != f"http://127.0.0.1:{taken_port}"
        assert f"telephony: port {taken_port} got taken; retrying" in out.getvalue()
    finally:
        stack.request_stop()
        assert await running == 0
        taken.close()


async def test_nats_server_keeps_jetstream_data_across_a_restart(tmp_path: Path) -> None:
    async def with_bucket(url: str, action: Callable[[Any], Any]) -> Any:
        nc = await connect(Settings(nats_url=url), "test")
        try:
            await ensure_topology(nc.jetstream(), [BucketSpec("kept", "test")], [])
            return await action(await nc.jetstream().key_value("kept"))
        finally:
            await close(nc)

    first = await start_nats_server(tmp_path / "store", log_file=tmp_path / "log")
    assert first.monitoring_url and await http_status(f"{first.monitoring_url}/healthz") == 200
    await with_bucket(first.url, lambda kv: kv.put("key", b"value"))
    assert await first.stop() == 0

    second = await start_nats_server(tmp_path / "store", log_file=tmp_path / "log")
    try:
        entry = await with_bucket(second.url, lambda kv: kv.get("key"))
        assert entry.value == b"value"
    finally:
        await second.stop()


async def test_nats_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    fake = tmp_path / "nats-server"
    fake.write_text("#!/bin/sh\necho 'cannot listen' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(NatsServerError, match="code 3:\ncannot listen"):
        await start_nats_server(tmp_path / "store", binary=fake, err=io.StringIO())
    with pytest.raises(NatsServerError, match="no executable nats-server at /nowhere"):
        await start_nats_server(tmp_path / "store", binary=Path("/nowhere/nats-server"))


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = free_ports(20)
    assert len(set(ports)) == 20
    assert all(port_is_free(port) for port in ports)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert not port_is_free(listener.getsockname()[1])


async def test_output_lines_are_prefixed_whole() -> None:
    stream = asyncio.StreamReader(limit=16)
    stream.feed_data(b"one\r\ntwo\n" + b"x" * 40 + b"\n\xff broken\nlast without newline")
    stream.feed_eof()
    sink, tail = io.StringIO(), deque[str](maxlen=2)

    await relay_lines(stream, "svc  | ", sink, tail)

    lines = sink.getvalue().splitlines()
    assert lines[:2] == ["svc  | one", "svc  | two"]
    assert "".join(line.removeprefix("svc  | ") for line in lines[2:-2]) == "x" * 40
    assert lines[-2:] == ["svc  | \ufffd broken", "svc  | last without newline"]
    assert list(tail) == ["\ufffd broken", "last without newline"]


def test_options_from_the_environment(tmp_path: Path) -> None:
    options = StackOptions.from_env({"OII_DATA_DIR": str(tmp_path), "OII_CONFIG": "cc.yaml"})
    assert options.gateway_port == 8080
    assert options.config == Path("cc.yaml").resolve()
    assert options.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path}/oii.sqlite3"
    with pytest.raises(ValueError, match="OII_GATEWAY_PORT"):
        StackOptions.from_env({"OII_GATEWAY_PORT": "http"})


def test_log_file_and_gateway_host_options(tmp_path: Path) -> None:
    options = StackOptions.from_env({"OII_DATA_DIR": str(tmp_path)})
    assert options.resolved_log_file == tmp_path / "logs" / "oii.log"
    assert (options.gateway_host, options.gateway_probe_host) == ("127.0.0.1", "127.0.0.1")
    facing_crm = StackOptions.from_env(
        {"OII_DATA_DIR": str(tmp_path), "OII_GATEWAY_HOST": "0.0.0.0", "OII_LOG_FILE": "x.log"}
    )
    assert facing_crm.resolved_log_file == Path("x.log").resolve()
    assert (facing_crm.gateway_host, facing_crm.gateway_probe_host) == ("0.0.0.0", "127.0.0.1")


def test_only_the_gateway_listens_on_the_gateway_host() -> None:
    catalog = default_catalog()
    names = [service.name for service in catalog.services]
    addresses = StackAddresses(
        host="127.0.0.1",
        ports=dict.fromkeys(names, 1),
        urls={name: f"http://127.0.0.1:{index}" for index, name in enumerate(names)},
        nats_url="nats://127.0.0.1:4222",
        database_url="sqlite+aiosqlite:///x",
        data_dir="/x",
        gateway_host="0.0.0.0",
    )
    hosts = {
        service.name: catalog.service_environment(service, addresses)["OII_HOST"]
        for service in catalog.services
    }
    assert hosts.pop("gateway") == "0.0.0.0"
    assert set(hosts.values()) == {"127.0.0.1"}
