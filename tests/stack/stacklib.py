"""Start, probe and stop the embedded stack exactly as ``make run`` does, and speak SOAP to it.

Plain functions, no pytest: a test may run several stacks at once. The stack's
console (stdout and stderr) goes to a file next to its data directory, so it is
read without threads and is there to show when something fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
from lxml import etree

from oii_shared import PRODUCT_NAME, PRODUCT_VERSION
from oii_shared.headers import INTERNAL_TOKEN_HEADER
from oii_shared.paths import LIVEZ
from oii_shared.settings import Settings
from oii_shared.soap.faults import IciError

REPO_ROOT = Path(__file__).resolve().parents[2]
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ICI_ERRORS = "urn:IciEventInterface"
ACTION_PREFIX = "http://inqmy.com/soapdispatcher/rpc/bcbici/"

HEALTHY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 10.0
POLL_S = 0.1
CONSOLE_TAIL_CHARS = 8000

# The admin tool of the tests: every stack gets a token of this name.
ADMIN_TOKEN_NAME = "stack-tests"

# Every process of the stack: the supervisor's children named in stack.json.
SERVICES = ("gateway", "telephony", "messaging", "chat", "action", "sapphone", "notifier")

T = TypeVar("T")


# --------------------------------------------------------------------------- waiting


def wait_for(
    condition: Callable[[], T | None],
    timeout: float,
    what: str,
    *,
    explain: Callable[[], str] = lambda: "",
) -> T:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} within {timeout:.0f} s\n{explain()}")
        time.sleep(POLL_S)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    cmdline: str

    def __str__(self) -> str:
        return f"pid {self.pid}: {self.cmdline}"


def _read_proc(pid: int, name: str) -> bytes | None:
    try:
        return (Path("/proc") / str(pid) / name).read_bytes()
    except OSError:  # gone, or not ours to read
        return None


def processes_of(data_dir: Path) -> list[ProcessInfo]:
    """Every live process whose command line or environment names ``data_dir``.

    Services get the data directory in their environment (OII_DATA_DIR), nats-server
    on its command line; the path must end there or go on with ``/``, so that
    ``.../stack1`` does not match ``.../stack10``.
    """
    mention = re.compile(re.escape(os.fsencode(data_dir)) + rb"(?=[/\x00]|$)")
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        pid = int(entry.name)
        cmdline = _read_proc(pid, "cmdline")
        if not cmdline:  # a zombie or a kernel thread
            continue
        environ = _read_proc(pid, "environ") or b""
        if mention.search(cmdline) or mention.search(environ):
            text = cmdline.rstrip(b"\x00").replace(b"\x00", b" ").decode(errors="replace")
            found.append(ProcessInfo(pid, text))
    return found


def process_state(pid: int) -> str | None:
    """The state letter of ``/proc/<pid>/stat`` (R, S, T for stopped...), None if gone."""
    stat = _read_proc(pid, "stat")
    if stat is None:
        return None
    return stat.rpartition(b")")[2].split()[0].decode()


# --------------------------------------------------------------------------- the stack


@dataclass
class Stack:
    """A running embedded stack (one ``python -m oii_shared.embedded`` process)."""

    base_url: str
    port: int
    data_dir: Path
    console_path: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    healthy_after_s: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)
    stopped: bool = False

    @property
    def crm_url(self) -> str:
        return f"{self.base_url}/OII/OII.asmx"

    @property
    def admin_token(self) -> str:
        """The bearer token of the tests' own admin tool (``OII_ADMIN_TOKENS``)."""
        _name, _, token = self.env["OII_ADMIN_TOKENS"].split(",")[0].partition("=")
        return token

    def nats_settings(self) -> Settings:
        """Settings that reach this stack's NATS server (with its credentials)."""
        return Settings(
            nats_url=self.info["nats_url"],
            nats_user=self.env["OII_NATS_USER"],
            nats_password=self.env["OII_NATS_PASSWORD"],
        )

    @property
    def internal_headers(self) -> dict[str, str]:
        """What a request straight to an internal service must carry (as the gateway's)."""
        return {INTERNAL_TOKEN_HEADER: self.env["OII_INTERNAL_TOKEN"]}

    def console(self) -> str:
        try:
            return self.console_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def console_tail(self) -> str:
        text = self.console()
        cut = text[-CONSOLE_TAIL_CHARS:]
        return f"--- console of the stack on {self.base_url} ({self.console_path}) ---\n{cut}"

    def pid_of(self, name: str) -> int:
        """The pid of a service (or ``nats``) as stack.json reports it."""
        pids: dict[str, int] = self.info["pids"]
        assert name in pids, f"stack.json names no pid for {name}: {pids}"
        return pids[name]

    def health(self) -> tuple[int, dict[str, Any]]:
        answer = httpx.get(f"{self.base_url}/healthz", timeout=REQUEST_TIMEOUT_S)
        try:
            body = answer.json()
        except ValueError:
            body = {"unparsed": answer.text[:2000]}
        return answer.status_code, body


def health_status(base_url: str, path: str = "/healthz") -> int | None:
    try:
        return httpx.get(f"{base_url}{path}", timeout=2.0).status_code
    except httpx.HTTPError:
        return None


# What the ``start_extra_stack`` fixture gives a test: start another stack with these settings.
StartStack = Callable[..., Stack]


def start_stack(
    work_dir: Path,
    extra_env: Mapping[str, str] | None = None,
    *,
    healthy_timeout: float = HEALTHY_TIMEOUT_S,
) -> Stack:
    """Start ``python -m oii_shared.embedded`` with its data under ``work_dir``; wait until healthy.

    Waits for ``<data_dir>/stack.json`` and then for ``GET /healthz`` == 200, all within
    ``healthy_timeout`` seconds; on failure stops what it started and fails with its console.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    data_dir = (work_dir / "data").resolve()
    # A test that must know the gateway's port before the start names it.
    port = int((extra_env or {}).get("OII_GATEWAY_PORT") or free_port())
    # Hermetic: no OII_* setting of the developer's shell leaks in.
    env = {key: value for key, value in os.environ.items() if not key.startswith("OII_")}
    env.update(OII_DATA_DIR=str(data_dir), OII_GATEWAY_PORT=str(port))
    env["OII_ADMIN_TOKENS"] = f"{ADMIN_TOKEN_NAME}={secrets.token_hex(16)}"
    # The stack takes its secrets from here, so that the tests can reach its insides.
    env["OII_INTERNAL_TOKEN"] = secrets.token_urlsafe(24)
    env["OII_NATS_USER"] = "oii"
    env["OII_NATS_PASSWORD"] = secrets.token_urlsafe(24)
    env.update(extra_env or {})
    console_path = work_dir / "console.log"
    started = time.monotonic()
    with console_path.open("wb") as console:
        process = subprocess.Popen(
            [sys.executable, "-m", "oii_shared.embedded"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
        )
    stack = Stack(f"http://127.0.0.1:{port}", port, data_dir, console_path, process, env)
    stack_json = data_dir / "stack.json"

    def explain() -> str:
        code = process.poll()
        state = "still running" if code is None else f"exited with code {code}"
        return f"the stack {state}\n{stack.console_tail()}"

    def up(check: Callable[[], bool]) -> Callable[[], bool]:
        def condition() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"the stack exited before it was healthy\n{explain()}")
            return check()

        return condition

    def stack_file_written() -> bool:
        try:
            stack.info = json.loads(stack_json.read_text())
        except (FileNotFoundError, ValueError):
            return False
        return True

    try:
        wait_for(up(stack_file_written), healthy_timeout, f"no {stack_json}", explain=explain)
        remaining = max(0.0, healthy_timeout - (time.monotonic() - started))
        # /livez: a stack whose integration an admin stopped is up, and answers 503 on /healthz.
        wait_for(
            up(lambda: health_status(stack.base_url, LIVEZ) == 200),
            remaining,
            f"GET {stack.base_url}{LIVEZ} was not 200",
            explain=explain,
        )
    except BaseException:
        _force_stop(stack)
        raise
    stack.healthy_after_s = time.monotonic() - started
    return stack


def stop_stack(stack: Stack, timeout: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM, as a terminal's ``kill`` or a service manager would; then prove all is gone.

    Fails unless the supervisor exits with 0 within ``timeout`` and no process that
    names the stack's data directory survives it.
    """
    process = stack.process
    stack.stopped = True
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout)
    except subprocess.TimeoutExpired:
        _force_stop(stack)
        raise AssertionError(
            f"the stack did not stop within {timeout:.0f} s of SIGTERM\n{stack.console_tail()}"
        ) from None
    survivors = processes_of(stack.data_dir)
    if survivors:
        _force_stop(stack)
    assert not survivors, (
        "processes of the stack survived its supervisor:\n"
        + "\n".join(map(str, survivors))
        + f"\n{stack.console_tail()}"
    )
    assert code == 0, f"the stack exited with code {code} after SIGTERM\n{stack.console_tail()}"


def _force_stop(stack: Stack) -> None:
    """Clean-up after a failure: kill the supervisor and whatever of its processes remain."""
    if stack.process.poll() is None:
        stack.process.kill()
    stack.process.wait()
    for leftover in processes_of(stack.data_dir):
        try:
            os.kill(leftover.pid, signal.SIGCONT)
            os.kill(leftover.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@contextlib.contextmanager
def own_stack(
    work_dir: Path, config: str | None = None, extra_env: Mapping[str, str] | None = None
) -> Iterator[Stack]:
    """A stack of a test module's own, stopped (and checked, ``stop_stack``) on leaving.

    ``config`` is the YAML of its contact center (``OII_CONFIG``), written to
    ``work_dir/contact-center.yaml``; ``extra_env`` are further ``OII_*`` settings.
    """
    env = dict(extra_env or {})
    if config is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
        config_file = work_dir / "contact-center.yaml"
        config_file.write_text(config)
        env["OII_CONFIG"] = str(config_file)
    running = start_stack(work_dir, env)
    try:
        yield running
    finally:
        stop_stack(running)


# --------------------------------------------------------------------------- admin operations


def admin(stack: Stack, operation: str, method: str = "GET", **form: str) -> httpx.Response:
    """An admin operation of OII.asmx as the operator's tool calls it (bearer token, form)."""
    url = f"{stack.base_url}/OII/OII.asmx/{operation}"
    if method == "GET":
        return httpx.get(url, timeout=REQUEST_TIMEOUT_S)
    headers = {
        "Authorization": f"Bearer {stack.admin_token}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return httpx.post(url, content=urlencode(form), headers=headers, timeout=REQUEST_TIMEOUT_S)


# --------------------------------------------------------------------------- SOAP


def _response_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True)
class IciFaultDetail:
    faultcode: str  # local part of the QName: Client or Server
    faultstring: str
    message: str | None
    area: int
    code: int
    text: str
    retry: bool


@dataclass(frozen=True)
class SoapAnswer:
    status: int
    headers: httpx.Headers
    content: bytes
    root: etree._Element
    elapsed_s: float

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.headers.get('content-type')!r}: {self.content[:2000]!r}"

    @property
    def body_child(self) -> etree._Element:
        """The one element in ``Envelope/Body`` (a response or a Fault)."""
        assert self.root.tag == f"{{{SOAP_ENV}}}Envelope", f"not a SOAP 1.1 Envelope: {self}"
        bodies = self.root.findall(f"{{{SOAP_ENV}}}Body")
        assert len(bodies) == 1, f"the Envelope must hold one Body: {self}"
        children = [child for child in bodies[0] if isinstance(child.tag, str)]
        assert len(children) == 1, f"the Body must hold one element: {self}"
        return children[0]

    @property
    def is_fault(self) -> bool:
        return self.body_child.tag == f"{{{SOAP_ENV}}}Fault"

    def fault(self) -> IciFaultDetail:
        """The Fault of spec 1.2, checked field by field."""
        fault = self.body_child
        assert fault.tag == f"{{{SOAP_ENV}}}Fault", f"expected a SOAP Fault: {self}"
        assert self.status == 500, f"a Fault goes with HTTP 500: {self}"
        faultcode = fault.find("faultcode")
        assert faultcode is not None and faultcode.text, f"Fault without faultcode: {self}"
        prefix, _, local = faultcode.text.strip().rpartition(":")
        assert fault.nsmap.get(prefix or None) == SOAP_ENV, f"faultcode not a SOAP QName: {self}"
        assert local in ("Client", "Server"), f"faultcode {faultcode.text!r}: {self}"
        faultstring = fault.findtext("faultstring")
        assert faultstring, f"Fault without faultstring: {self}"
        codes = fault.find(f"detail/{{{ICI_ERRORS}}}IciErrorCodes")
        assert codes is not None, f"no detail/ns1:IciErrorCodes in {{{ICI_ERRORS}}}: {self}"
        fields = {child.tag: child for child in codes if isinstance(child.tag, str)}
        assert set(fields) >= {"message", "areaCode", "errorCode", "errorText", "errorRetry"}, (
            f"IciErrorCodes lacks ICI fields (has {sorted(fields)}): {self}"
        )
        retry = fields["errorRetry"].text
        assert retry in ("true", "false"), f"errorRetry {retry!r} is not true|false: {self}"
        for name in ("areaCode", "errorCode"):
            value = fields[name].text or ""
            assert re.fullmatch(r"-?\d+", value.strip()), f"{name} {value!r} is no int: {self}"
        message = fields["message"]
        return IciFaultDetail(
            faultcode=local,
            faultstring=faultstring,
            message=None if message.get(f"{{{XSI}}}nil") == "true" else (message.text or ""),
            area=int(fields["areaCode"].text or ""),
            code=int(fields["errorCode"].text or ""),
            text=fields["errorText"].text or "",
            retry=retry == "true",
        )


def soap(
    base_url: str,
    path: str,
    body: bytes | Iterable[bytes],
    soap_action: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT_S,
) -> SoapAnswer:
    """POST ``body`` (bytes, or an iterable of chunks: sent chunked) as CRM would.

    Fails unless the answer is XML: an HTML or JSON error page is never acceptable.
    """
    request_headers = {"Content-Type": "text/xml; charset=utf-8", **(headers or {})}
    if soap_action is not None:
        request_headers["SOAPAction"] = soap_action
    started = time.monotonic()
    with httpx.Client(timeout=timeout) as client:
        answer = client.post(base_url + path, content=body, headers=request_headers)
    elapsed = time.monotonic() - started
    content = answer.content
    try:
        root = etree.fromstring(content, _response_parser())
    except etree.XMLSyntaxError as error:
        raise AssertionError(
            f"POST {path} (SOAPAction {soap_action!r}) got no XML ({error}): HTTP "
            f"{answer.status_code} {answer.headers.get('content-type')!r}: {content[:2000]!r}"
        ) from None
    return SoapAnswer(answer.status_code, answer.headers, content, root, elapsed)


def soap_action(interface: str) -> str:
    """The SOAPAction of an ICI interface (spec 7.1), e.g. ``IciSystem``."""
    return f"{ACTION_PREFIX}{interface}Bean"


def envelope(operation_xml: str) -> bytes:
    """A SOAP 1.1 request with ``operation_xml`` in its Body."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}" xmlns:xsi="{XSI}">'
        f"<soap:Body>{operation_xml}</soap:Body></soap:Envelope>"
    ).encode()


def assert_soap_content_type(answer: SoapAnswer) -> None:
    content_type = answer.headers.get("content-type", "")
    assert content_type.split(";")[0].strip() == "text/xml", f"not text/xml: {answer}"


def assert_fault(answer: SoapAnswer, error: IciError) -> IciFaultDetail:
    """``answer`` is the SOAP Fault of ``error`` (faultcode, area, code, retry)."""
    assert_soap_content_type(answer)
    fault = answer.fault()
    expected = (error.faultcode.value, int(error.area), error.code, error.retry)
    got = (fault.faultcode, fault.area, fault.code, fault.retry)
    assert got == expected, (
        f"expected fault (faultcode, area, code, retry) {expected} ({error.text}), got {got} "
        f"({fault.text}: {fault.faultstring}): {answer}"
    )
    return fault


def assert_response(answer: SoapAnswer, interface: str, operation: str) -> etree._Element:
    """``answer`` is HTTP 200 with ``<operationResponse>`` in the interface's namespace."""
    assert_soap_content_type(answer)
    assert answer.status == 200, f"expected {operation}Response: {answer}"
    child = answer.body_child
    assert child.tag == f"{{urn:{interface}Interface}}{operation}Response", (
        f"expected {operation}Response in urn:{interface}Interface: {answer}"
    )
    return child


# --------------------------------------------------------------------------- IciSystem answers

# The groups of the spec's sample answer (9.1.1.3).
ICI_MESSAGE_GROUPS = ["IciGroupBasic", "IciGroupUser", "IciGroupTelephony", "IciGroupMessaging"]


def check_product_information(answer: SoapAnswer, requested_version: str) -> None:
    """exchangeProductInformationResponse as in spec 9.1.1.3, for OII."""
    wrapper = assert_response(answer, "IciSystem", "exchangeProductInformation")
    response = wrapper.find("{urn:IciSystemInterface}response")
    assert response is not None, f"no <response> in urn:IciSystemInterface: {answer}"
    values = {
        "productName": response.findtext("productName"),
        "iciMessageGroups": [item.text for item in response.findall("iciMessageGroups/item")],
        "productVersion": response.findtext("productVersion"),
        "iciVersion": response.findtext("iciVersion"),
    }
    assert values == {
        "productName": PRODUCT_NAME,
        "iciMessageGroups": ICI_MESSAGE_GROUPS,
        "productVersion": PRODUCT_VERSION,
        "iciVersion": requested_version,
    }, f"{values}: {answer}"


def check_workcenter_capability(answer: SoapAnswer) -> None:
    """getWorkcenterCapabilityResponse: always 0 / false / false (spec 9.1.2)."""
    wrapper = assert_response(answer, "IciSystem", "getWorkcenterCapability")
    response = wrapper.find("{urn:IciSystemInterface}response")
    assert response is not None, f"no <response> in urn:IciSystemInterface: {answer}"
    values = {name: response.findtext(name) for name in ("types", "workcenterList", "filter")}
    assert values == {"types": "0", "workcenterList": "false", "filter": "false"}, (
        f"{values}: {answer}"
    )
