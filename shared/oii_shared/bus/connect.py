"""One way for every service to open and close its NATS connection."""

from __future__ import annotations

import asyncio
import logging

import nats.aio.client
from nats.errors import ConnectionClosedError, ConnectionReconnectingError

from oii_shared.settings import Settings

log = logging.getLogger("oii.bus")

RECONNECT_WAIT_S = 1
# A dead server is noticed after PING_INTERVAL_S * MAX_OUTSTANDING_PINGS instead of
# the client's default of four minutes.
PING_INTERVAL_S = 20
MAX_OUTSTANDING_PINGS = 3
DRAIN_TIMEOUT_S = 10


class NatsClient(nats.aio.client.Client):
    """nats-py's client, with one fix: a PONG never breaks the connection's read loop.

    ``flush(timeout)`` cancels its PING's future when the PONG is late, but leaves
    it in the queue of PINGs awaiting an answer; the late PONG then completes a
    cancelled future, ``InvalidStateError`` ends the read loop, and every request
    times out until the stale-connection check reconnects, a minute later. Each
    PONG answers the oldest PING: a PING nobody waits for any more is simply done.
    """

    async def _process_pong(self) -> None:
        if self._pongs and self._pongs[0].done():
            self._pongs.pop(0)
            self._pongs_received += 1
            self._pings_outstanding = 0
            return
        await super()._process_pong()

    async def restart_ordered_consumers(self) -> None:
        """Make every KV watch's consumer again, from the next message it has not seen.

        A restarted nats-server has forgotten them (they are ephemeral), and
        nats-py only notices after two missed idle heartbeats (10 s); a watch that
        misses its updates that long leaves a service on stale state.
        """
        for subscription in list(self._subs.values()):
            jsi = subscription._jsi
            if jsi is not None and jsi._ordered:
                await jsi.reset_ordered_consumer(jsi._sseq + 1)


async def connect(
    settings: Settings, name: str, *, first_connect_timeout: float = 30.0
) -> NatsClient:
    """Connect to ``settings.nats_url``; once connected, reconnect forever.

    The first connection is bounded by ``first_connect_timeout`` so that a
    service whose NATS never comes up fails its start instead of hanging.
    """
    nc = NatsClient()

    async def on_error(error: Exception) -> None:
        log.warning("nats %s: %s", name, error)

    async def on_disconnected() -> None:
        if not nc.is_closed:  # a close of our own is no news
            log.warning("nats %s: disconnected", name)

    async def on_reconnected() -> None:
        log.info("nats %s: reconnected to %s", name, nc.connected_url)
        await nc.restart_ordered_consumers()

    async def on_closed() -> None:
        log.info("nats %s: closed", name)

    try:
        await asyncio.wait_for(
            nc.connect(
                servers=[settings.nats_url],
                name=name,
                user=settings.nats_user or None,
                password=settings.nats_password or None,
                allow_reconnect=True,
                max_reconnect_attempts=-1,
                reconnect_time_wait=RECONNECT_WAIT_S,
                ping_interval=PING_INTERVAL_S,
                max_outstanding_pings=MAX_OUTSTANDING_PINGS,
                drain_timeout=DRAIN_TIMEOUT_S,
                error_cb=on_error,
                disconnected_cb=on_disconnected,
                reconnected_cb=on_reconnected,
                closed_cb=on_closed,
            ),
            first_connect_timeout,
        )
    except BaseException:
        await nc.close()
        raise
    return nc


async def close(nc: nats.aio.client.Client) -> None:
    """Drain: finish subscriptions' pending messages, flush publishes, then close."""
    if nc.is_closed:
        return
    try:
        await nc.drain()
    except (ConnectionClosedError, ConnectionReconnectingError):
        # Nothing can be flushed to a server we are not connected to.
        await nc.close()
