"""IciSystem.getPresenceQueueInfo (9.1.3) and getUserPresence (9.1.4), answered from memory."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from oii_gateway.agent_index import PresenceIndex
from oii_gateway.presence.counting import count_agents, passes_filter, queue_info
from oii_gateway.presence.users import (
    listed_users,
    max_hits,
    presence_addresses,
    presence_info,
    search_users,
)
from oii_gateway.users.directory import DirectoryCache
from oii_shared.channels import channel_argument
from oii_shared.db.repository import QueueRecord, UserRecord
from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors

Clock = Callable[[], float]
# 9.1.3.1: "Currently always returns only one group: id=1 description=*".
GROUP_ID = "1"
GROUP_DESCRIPTION = "*"


class PresenceService:
    def __init__(
        self, directory: DirectoryCache, index: PresenceIndex, clock: Clock = time.time
    ) -> None:
        self._directory = directory
        self._index = index
        self._clock = clock

    async def queue_info(self, user_id: object, channel_type: object) -> dict[str, Any]:
        channel = channel_argument(channel_type, when_missing=Errors.MISSING_ARGUMENT)
        directory = self._directory.current
        queues: list[QueueRecord]
        if directory.parameters.flag("OII.GetPresenceQueueInfoAll"):
            queues = directory.routing_queues(channel)
        else:
            user = await self._directory.require_user(user_id)
            directory = self._directory.current
            queues = [q for q in directory.user_routing_queues(user) if q.channel is channel]
        queue_filter = directory.parameters.integer("OII.GetPresenceQueueInfoFilter")
        now = self._clock()
        infos = []
        for queue in queues:
            counts = count_agents(self._index.agents_in(queue.id))
            if passes_filter(counts, queue_filter):
                infos.append(queue_info(queue, counts, self._index.stats(queue.id), now))
        group = {
            "id": GROUP_ID,
            "description": GROUP_DESCRIPTION,
            "parentId": "",
            "queuesId": [info["id"] for info in infos],
        }
        return {"groupInfo": [group], "queueInfo": infos}

    async def user_presence(
        self, users: list[Any] | None, searchterm: object, maxhits: object
    ) -> list[dict[str, Any]]:
        directory = self._directory.current
        found: list[UserRecord]
        if users:
            found = listed_users(directory, users)
        else:
            found = search_users(
                directory,
                str(searchterm or ""),
                max_hits(maxhits),
                lambda user: [
                    a.address for a in presence_addresses(user, self._index.agent(user.id))
                ],
            )
        return [presence_info(user, self._index.agent(user.id), directory) for user in found]


def presence_handlers(presence: PresenceService) -> dict[HandlerKey, Handler]:
    async def get_presence_queue_info(call: SoapCall) -> Mapping[str, Any]:
        answer = await presence.queue_info(call.args.get("userId"), call.args.get("channelType"))
        return {"response": answer}

    async def get_user_presence(call: SoapCall) -> Mapping[str, Any]:
        args = call.args
        answer = await presence.user_presence(
            args.get("users"), args.get("searchterm"), args.get("maxhits")
        )
        return {"response": answer}

    return {
        (Interface.SYSTEM, "getPresenceQueueInfo"): get_presence_queue_info,
        (Interface.SYSTEM, "getUserPresence"): get_user_presence,
    }
