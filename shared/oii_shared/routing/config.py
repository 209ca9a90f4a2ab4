"""What routing needs of the configuration, for one channel, as one immutable snapshot.

Built by the channel from each configuration snapshot (``infra.configuration``):
the users who have the channel (by user key and by their container in it, 9.3.3),
the channel's queues, and the room rules.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from oii_shared.channel_access import channel_enabled
from oii_shared.channel_access import live_pseudo_queues as live_pseudo_queues
from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.configuration import Configuration
from oii_shared.db.models import user_key
from oii_shared.db.repository import QueueRecord, UserRecord
from oii_shared.routing.room import RoomRules

# The container of a user in a channel (None: the user has none, so not the channel).
ContainerOf = Callable[[UserRecord], str | None]


@dataclass(frozen=True, slots=True)
class RoutingConfig:
    channel: Channel
    # Users who have the channel and a container in it, by user key and by container.
    users: dict[str, UserRecord] = field(default_factory=dict)
    containers: dict[str, UserRecord] = field(default_factory=dict)
    # The channel's queues whose contacts are offered through ICI (queue parameter OII=1).
    queues: dict[str, QueueRecord] = field(default_factory=dict)  # by casefold id
    parameters: ModuleParameters = field(default_factory=lambda: ModuleParameters({}))
    room: RoomRules = field(default_factory=RoomRules)

    @classmethod
    def of(
        cls,
        configuration: Configuration,
        channel: Channel,
        container_of: ContainerOf,
        *,
        chats_at_once: int = 1,
        queue_channels: Collection[Channel] = (),
    ) -> RoutingConfig:
        """``queue_channels``: the channels whose queues hold this channel's contacts too
        (action items wait in e-mail queues, 4.7.3); its own always do."""
        kinds = frozenset((channel, *queue_channels))
        pseudo = live_pseudo_queues(configuration.queues)
        parameters = configuration.parameters
        users: dict[str, UserRecord] = {}
        containers: dict[str, UserRecord] = {}
        for user in configuration.users:
            container = container_of(user)
            if container and channel_enabled(user, channel, parameters, pseudo):
                users[user_key(user.id)] = user
                containers[container] = user
        return cls(
            channel=channel,
            users=users,
            containers=containers,
            queues={
                queue.id.strip().casefold(): queue
                for queue in configuration.queues
                if queue.channel in kinds and queue.enabled
            },
            parameters=parameters,
            room=RoomRules.from_parameters(parameters, chats_at_once),
        )

    def user(self, user_id: str) -> UserRecord | None:
        return self.users.get(user_key(user_id))

    def user_of(self, container: str) -> UserRecord | None:
        return self.containers.get(container)

    def queue(self, queue_id: str) -> QueueRecord | None:
        return self.queues.get(queue_id.strip().casefold())
