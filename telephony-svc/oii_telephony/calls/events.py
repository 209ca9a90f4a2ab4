"""Publishing what happens to calls and lines as domain events (spec 9.3.3, 9.3.4).

The notifier turns each into IciEvent deliveries to the line's subscribers.
Callers publish the events of one call one after the other (under the call's
lock), so subscribers see a call's changes in the order they happened.
"""

from __future__ import annotations

from nats.js import JetStreamContext

from oii_shared.bus.events import publish
from oii_shared.bus.ici_events import PhoneCallChanged
from oii_telephony.calls.model import Leg
from oii_telephony.calls.states import departed, phone_call


class CallEvents:
    def __init__(self, js: JetStreamContext) -> None:
        self._js = js

    async def changed(self, leg: Leg) -> None:
        """phoneCallChanged on the leg's line (a call waiting on no line has no subscriber)."""
        if not leg.line:
            return
        event = PhoneCallChanged(
            id=f"call.{leg.handle}.{leg.version}",
            container_id=leg.line,
            phone_call=phone_call(leg),
        )
        await publish(self._js, event)

    async def left_line(self, leg: Leg, line: str) -> None:
        """The call left ``line`` (rerouted, alert timed out): it ends there."""
        event = PhoneCallChanged(
            id=f"call.{leg.handle}.{leg.version}.left",
            container_id=line,
            phone_call=departed(leg, line),
        )
        await publish(self._js, event)
