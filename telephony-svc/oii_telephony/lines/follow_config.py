"""Configuration changes (admin UpdateSettings): reload, and tell subscribers of lines
that appeared or went (containerChanged OK / Removed)."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from oii_shared.ici.tables import ContainerStatus
from oii_shared.service.infrastructure import CONFIG_CHANGED_SUBJECT
from oii_telephony.events import CallEvents
from oii_telephony.lines.directory import Directory

log = logging.getLogger(__name__)


async def follow_configuration(
    nats: NATS, directory: Directory, events: CallEvents, stack: AsyncExitStack
) -> None:
    async def reload(_: Msg) -> None:
        try:
            added, removed = await directory.reload()
        except Exception:
            log.exception("reloading the telephony configuration failed; the old one stays")
            return
        for line in sorted(added):
            await events.line_status(line, ContainerStatus.OK)
        for line in sorted(removed):
            await events.line_status(line, ContainerStatus.REMOVED)

    subscription = await nats.subscribe(CONFIG_CHANGED_SUBJECT, cb=reload)
    stack.push_async_callback(subscription.unsubscribe)
