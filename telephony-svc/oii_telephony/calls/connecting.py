"""A call becomes Connected: ExtraDataWhenConnected keys, the recording, OII.CallRecordingCad.

Every connected call that talks to a party of the telephone network is
recorded by it; the file name goes into CAD in a separate phoneCallChanged
event when OII.CallRecordingCad=1 (spec 4.3.1, 7.2.1).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from oii_shared.ici.tables import ProcessingStatus
from oii_shared.items import cad
from oii_telephony.calls.attached import CONNECTED, AttachedData
from oii_telephony.calls.context import CallContext
from oii_telephony.calls.model import Leg, Phase


def recording_name(handle: str, now: float) -> str:
    """The file name pattern of the spec's sample: ``2012_04\\02_10_29_42_SSR_Cr_<GUID>.wav``."""
    stamp = time.gmtime(now)
    return time.strftime(f"%Y_%m\\%d_%H_%M_%S_SSR_Cr_{handle}.wav", stamp)


class Connecting:
    def __init__(self, ctx: CallContext, attached: AttachedData) -> None:
        self.ctx = ctx
        self.attached = attached

    async def connect(self, handle: str, allowed: Callable[[Leg], bool]) -> Leg | None:
        """Connect the leg if ``allowed`` says so (it may raise a fault); the connected leg."""
        # The keys come from fields a call keeps from its start (queue, numbers, ids).
        leg = await self.ctx.store.load(handle)
        values = await self.attached.values(leg, CONNECTED)
        app, limit = self.ctx.cad_application, self.ctx.max_cad_bytes
        now = self.ctx.now()

        def mutate(current: Leg) -> Leg:
            if not allowed(current):
                return current
            recorded = current.recording or (
                recording_name(current.handle, now)
                if any(peer.external for peer in current.peers)
                else ""
            )
            return current.model_copy(
                update={
                    "phase": Phase.CONNECTED,
                    "processing": ProcessingStatus.ACTIVE.value,
                    "connected_once": True,
                    "connected_at": current.connected_at or now,
                    "attached_data": cad.with_values(current.attached_data, app, values, limit),
                    "recording": recorded,
                }
            )

        before, after = await self.ctx.core.change(handle, mutate)
        if after is before:
            return None
        if (
            after.recording
            and not before.recording
            and self.ctx.directory.flag("OII.CallRecordingCad")
        ):
            recording = [("CallRecording", after.recording)]

            def add_recording(current: Leg) -> Leg:
                document = cad.with_values(current.attached_data, app, recording, limit)
                return current.model_copy(update={"attached_data": document})

            changed = await self.ctx.core.try_change(handle, add_recording)
            if changed is not None:
                after = changed[1]
        return after
