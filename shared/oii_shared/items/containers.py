"""containerChanged (9.3.3) for every container kind: a phone line, a folder, a chat line or
an action item inbox appeared (OK), went (Removed) or is out of order."""

from __future__ import annotations

import logging

from nats.js import JetStreamContext

from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import ContainerChanged
from oii_shared.channels import Channel
from oii_shared.ici.tables import ContainerStatus
from oii_shared.ici.types.common import text_element

log = logging.getLogger(__name__)


async def publish_container_status(
    js: JetStreamContext, channel: Channel, container: str, status: ContainerStatus
) -> None:
    """Tell the subscribers of ``channel``'s ``container`` its new status."""
    event = ContainerChanged(
        container_type=str(channel.container.value),
        container_id=container,
        status=text_element(status.value, status.description),
    )
    await publish(js, event)
    log.info("%s %s: %s", channel.container.description, container, status.description)
