"""Builds the callback list, its scheduler and the recordings search for telephony-svc's main.

``compose_callbacks`` answers IciSystem createCallBack, updateCallBack,
getCallBacks and getCallRecordings, runs the scheduler (in ``stack``) that offers
each due callback to the call engine, and reports the outcome of every call the
engine makes for a callback goes to the one callback service it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
from contextlib import AsyncExitStack
from dataclasses import dataclass

from oii_shared.db.engine import session_factory
from oii_shared.db.repository import get_parameters
from oii_shared.service.health import ComponentStatus
from oii_shared.service.infrastructure import Infrastructure
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_telephony.callback_port import CallbackDialer
from oii_telephony.callbacks.handlers import callback_handlers
from oii_telephony.callbacks.lifecycle import CallbackPolicy
from oii_telephony.callbacks.scheduler import CallbackScheduler
from oii_telephony.callbacks.service import CallbackService
from oii_telephony.callbacks.store import CallbackStore
from oii_telephony.recordings.handlers import recording_handlers

POLICY = CallbackPolicy()


@dataclass(frozen=True, slots=True)
class CallbackParts:
    handlers: dict[HandlerKey, Handler]
    # The one callback service: the call engine reports its calls' outcomes to it.
    service: CallbackService


async def compose_callbacks(
    infra: Infrastructure, stack: AsyncExitStack, dialer: CallbackDialer
) -> CallbackParts:
    store = CallbackStore(infra.engine)

    async def cad_application_id() -> str:
        async with session_factory(infra.engine)() as session:
            return (await get_parameters(session)).text("OII.CADApplicationID")

    scheduler = CallbackScheduler(store, dialer, POLICY, cad_application_id=cad_application_id)
    service = CallbackService(
        store,
        POLICY,
        max_extra_data_bytes=infra.settings.max_body_bytes,
        on_new=scheduler.wake,
        dialer=dialer,
    )
    task = asyncio.create_task(scheduler.run(), name="callback-scheduler")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    stack.push_async_callback(stop)

    async def scheduler_status() -> ComponentStatus:
        return ComponentStatus(not task.done(), "" if not task.done() else "stopped")

    infra.health.register("callback_scheduler", scheduler_status)
    return CallbackParts(
        handlers={**callback_handlers(service), **recording_handlers(infra.engine)},
        service=service,
    )
