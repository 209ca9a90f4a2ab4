"""containerChanged (9.3.3) for every container kind: a phone line, a folder, a chat line or
an action item inbox appeared (OK), went (Removed) or is out of order.

A channel's containers follow the configuration (admin UpdateSettings): with
:func:`containers_follow` the subscribers of those that appeared or went hear it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection

from nats.js import JetStreamContext

from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import ContainerChanged
from oii_shared.channels import Channel
from oii_shared.configuration import Configuration, Listener
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


# Takes a configuration snapshot; returns the containers it added and removed.
ContainersApply = Callable[[Configuration], tuple[Collection[str], Collection[str]]]


def containers_follow(js: JetStreamContext, channel: Channel, apply: ContainersApply) -> Listener:
    """A configuration listener: ``apply`` each snapshot, then tell the subscribers of the
    containers that appeared (OK) and went (Removed)."""

    async def follow(configuration: Configuration) -> None:
        added, removed = apply(configuration)
        for container in sorted(added):
            await publish_container_status(js, channel, container, ContainerStatus.OK)
        for container in sorted(removed):
            await publish_container_status(js, channel, container, ContainerStatus.REMOVED)

    return follow
