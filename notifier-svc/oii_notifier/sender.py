"""The HTTP POST of one IciEvent to CRM, with retries on connection errors and HTTP 5xx.

A 2xx answer is delivered. A SOAP Fault or a 4xx means CRM refused the event:
repeating it would get the same answer, so it is not retried. Connection
errors, timeouts and other 5xx answers are retried with exponential backoff
until ``retry_s`` (OII_EVENT_RETRY_S) has passed since the event was planned.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from types import SimpleNamespace

import aiohttp

from oii_notifier.config import ConfigHolder
from oii_notifier.delivery import Delivery, Outcome
from oii_notifier.stats import DeliveryStats
from oii_shared import PRODUCT_NAME, PRODUCT_VERSION
from oii_shared.bus.ici_events import EVENT_TIME_HEADER
from oii_shared.headers import EVENT_DELIVERY_HEADER
from oii_shared.ici.schema import Interface

log = logging.getLogger(__name__)

HEADERS = {
    "Content-Type": "text/xml; charset=utf-8",
    "SOAPAction": f'"{Interface.EVENT.soap_action}"',
    "User-Agent": f"{PRODUCT_NAME}/{PRODUCT_VERSION}",
    EVENT_DELIVERY_HEADER: "1",
}
FIRST_BACKOFF_S = 0.1
MAX_BACKOFF_S = 5.0
# CRM answers an empty response element; more than this is not read.
ANSWER_HEAD_BYTES = 4096
MAX_CONNECTIONS = 1024
DNS_CACHE_S = 10


class _Release:
    """Lets the lane's next event go SOAP_WAIT_MS after this request's headers are out.

    The wait starts when the request is on the wire, not when the attempt starts:
    a connection that fails (refused, or slow on a loaded machine) keeps the
    lane held for the backoff, so the order survives an endpoint that is down.
    """

    __slots__ = ("_delivery", "_timer", "_wait_s")

    def __init__(self, delivery: Delivery, wait_s: float) -> None:
        self._delivery = delivery
        self._wait_s = wait_s
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> None:
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(
                self._wait_s, self._delivery.released.set
            )

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


async def _headers_sent(
    _session: aiohttp.ClientSession,
    context: SimpleNamespace,
    _params: aiohttp.TraceRequestHeadersSentParams,
) -> None:
    release = context.trace_request_ctx
    if isinstance(release, _Release):
        release.start()


def client_session() -> aiohttp.ClientSession:
    """The session a :class:`Sender` needs: without its trace a lane waits for every answer."""
    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(_headers_sent)
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(
            limit=MAX_CONNECTIONS, limit_per_host=0, ttl_dns_cache=DNS_CACHE_S
        ),
        skip_auto_headers=("User-Agent",),
        trace_configs=[trace],
    )


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    # Whether the endpoint answered the last attempt (a lane with an unreachable
    # endpoint gives up queued events that are already past their retry time).
    reachable: bool


@dataclass(frozen=True, slots=True)
class _Attempt:
    outcome: Outcome | None  # None: failed, may be retried
    answered: bool
    problem: str


class Sender:
    def __init__(
        self, session: aiohttp.ClientSession, config: ConfigHolder, stats: DeliveryStats
    ) -> None:
        self._session = session
        self._config = config
        self._stats = stats

    async def send(self, delivery: Delivery) -> Result:
        """Attempts until delivered, refused, or out of retry time; sets ``released`` as due."""
        loop = asyncio.get_running_loop()
        backoff = FIRST_BACKOFF_S
        attempts = 0
        while True:
            attempts += 1
            attempt = await self._attempt(delivery)
            if attempt.outcome is not None:
                if attempt.outcome is Outcome.REJECTED:
                    self._stats.rejected += 1
                    log.error(
                        "%s to %s (appIds %s) refused by CRM: %s",
                        delivery.operation,
                        delivery.url,
                        ",".join(delivery.app_ids),
                        attempt.problem,
                    )
                else:
                    self._stats.event_delivered(delivery.occurred_at)
                return Result(attempt.outcome, True)
            pause = backoff * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not secrecy
            if loop.time() + pause > delivery.retry_until:
                self._stats.failed += 1
                log.error(
                    "%s to %s (appIds %s) given up after %d attempt(s): %s",
                    delivery.operation,
                    delivery.url,
                    ",".join(delivery.app_ids),
                    attempts,
                    attempt.problem,
                )
                return Result(Outcome.FAILED, attempt.answered)
            self._stats.retries += 1
            log.debug("%s to %s: %s; again in %.2f s", delivery.operation, delivery.url,
                      attempt.problem, pause)  # fmt: skip
            await asyncio.sleep(pause)
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def send_once(self, delivery: Delivery, timeout_s: float) -> Outcome:
        """One attempt within ``timeout_s`` (the notices of an orderly stop)."""
        try:
            async with asyncio.timeout(timeout_s):
                attempt = await self._attempt(delivery)
        except TimeoutError:
            attempt = _Attempt(None, False, "no answer before the stop")
        if attempt.outcome is Outcome.DELIVERED:
            self._stats.event_delivered(delivery.occurred_at)
            return Outcome.DELIVERED
        log.warning("%s to %s not delivered: %s", delivery.operation, delivery.url,
                    attempt.problem)  # fmt: skip
        return attempt.outcome or Outcome.FAILED

    async def _attempt(self, delivery: Delivery) -> _Attempt:
        config = self._config.current
        loop = asyncio.get_running_loop()
        # The next event of this lane goes once this one has waited SOAP_WAIT_MS for
        # its answer; during a backoff pause it stays held, which keeps the order.
        release = _Release(delivery, config.wait_s)
        started = loop.time()
        answered_after: float | None = None
        self._stats.request_started()
        try:
            async with self._session.post(
                delivery.url,
                data=delivery.body,
                headers=_headers(delivery),
                proxy=config.proxy,
                ssl=config.ssl,
                allow_redirects=False,
                trace_request_ctx=release,
                timeout=aiohttp.ClientTimeout(
                    total=config.timeout_s, sock_connect=config.connect_timeout_s
                ),
            ) as answer:
                head = await answer.content.read(ANSWER_HEAD_BYTES)
                answered_after = loop.time() - started
                return _classify(answer.status, head)
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
            # ValueError: aiohttp refuses some URLs (bad port, no host) before connecting.
            return _Attempt(None, False, f"{type(error).__name__}: {error}".rstrip(": "))
        finally:
            release.cancel()
            self._stats.request_ended(answered_after)


def _headers(delivery: Delivery) -> dict[str, str]:
    if delivery.occurred_at is None:
        return HEADERS
    return {**HEADERS, EVENT_TIME_HEADER: f"{delivery.occurred_at:.6f}"}


def _classify(status: int, head: bytes) -> _Attempt:
    if 200 <= status < 300:
        return _Attempt(Outcome.DELIVERED, True, "")
    text = head.decode("utf-8", errors="replace")[:300].strip()
    if _is_soap_fault(head):
        return _Attempt(Outcome.REJECTED, True, f"HTTP {status} SOAP Fault: {text}")
    if status >= 500:
        return _Attempt(None, True, f"HTTP {status}")
    return _Attempt(Outcome.REJECTED, True, f"HTTP {status}: {text}")


def _is_soap_fault(head: bytes) -> bool:
    return b":Fault>" in head or b"<Fault>" in head or b":Fault " in head
