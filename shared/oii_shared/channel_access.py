"""Who has which channel: the module parameters and pseudo queues of spec 4.3.1 and 4.3.3.

Routing asks it of every agent, the gateway of every user it describes, and the
configuration snapshot to know who is a member of the ACTION queue (4.7.3).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.config.schema import PSEUDO_QUEUES
from oii_shared.db.repository import QueueRecord, UserRecord


def live_pseudo_queues(queues: Iterable[QueueRecord]) -> frozenset[str]:
    """The upper-case ids of the pseudo queues that exist (and are enabled) (4.3.3)."""
    return frozenset(
        queue.id.strip().upper()
        for queue in queues
        if queue.enabled and queue.id.strip().upper() in PSEUDO_QUEUES
    )


def channel_enabled(
    user: UserRecord,
    channel: Channel,
    parameters: ModuleParameters,
    live_pseudo_queues: Collection[str],
) -> bool:
    """The phone channel always; the others by module parameter, or by pseudo queue membership.

    The module parameter (OII.Email, OII.Chat, OII.Action) switches a channel on for
    everybody (4.3.1), unless its pseudo queue (OII_EMAIL...) exists: then membership
    decides (4.3.3, 4.6). ``live_pseudo_queues``: the upper-case ids of those that exist.
    """
    parameter, pseudo = channel.parameter, channel.pseudo_queue
    if parameter is None or pseudo is None:
        return True
    if pseudo in live_pseudo_queues:
        return any(queue_id.strip().upper() == pseudo for queue_id in user.queues)
    return parameters.flag(parameter)
