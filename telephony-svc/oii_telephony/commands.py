"""Requests other services send telephony over core NATS.

``oii.cmd.telephony.drop_calls`` ``{"user_id": "..."}`` -> ``{"dropped": n}``: the
gateway asks it when a user logs in, OII.LoginDropCalls=1 and the agent's record shows
a call on the line (every leg on a line is a contact of its agent). One replica
answers (a queue group).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

log = logging.getLogger(__name__)

DROP_CALLS_SUBJECT = "oii.cmd.telephony.drop_calls"
QUEUE_GROUP = "oii-telephony"


async def serve_drop_calls(
    nats: NATS, drop_user_calls: Callable[[str], Awaitable[int]], stack: AsyncExitStack
) -> None:
    async def answer(msg: Msg) -> None:
        try:
            request = json.loads(msg.data)
            user_id = request["user_id"] if isinstance(request, dict) else None
            if not isinstance(user_id, str) or not user_id.strip():
                raise ValueError("user_id must be a non-empty string")
        except (ValueError, KeyError) as error:
            await msg.respond(json.dumps({"error": f"bad request: {error}"}).encode())
            return
        try:
            dropped = await drop_user_calls(user_id.strip())
        except Exception:
            log.exception("dropping the calls of %s failed", user_id)
            await msg.respond(json.dumps({"error": "dropping the calls failed"}).encode())
            return
        log.info("login of %s: %d calls dropped", user_id, dropped)
        await msg.respond(json.dumps({"dropped": dropped}).encode())

    subscription = await nats.subscribe(DROP_CALLS_SUBJECT, queue=QUEUE_GROUP, cb=answer)
    stack.push_async_callback(subscription.unsubscribe)
