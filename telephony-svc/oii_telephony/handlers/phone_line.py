"""IciPhoneLine (spec 9.6): getCalls and dropCalls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_telephony.calls.service import Telephony
from oii_telephony.calls.states import phone_call

Parts = Mapping[str, Any] | None


def phone_line_handlers(telephony: Telephony) -> dict[HandlerKey, Handler]:
    directory = telephony.ctx.directory

    async def get_calls(call: SoapCall) -> Parts:
        line = directory.known_line(call.args.get("lineNumber"))
        legs = await telephony.ctx.store.in_container(line)
        legs.sort(key=lambda leg: leg.created_at)
        return {"response": [phone_call(leg) for leg in legs]}

    async def drop_calls(call: SoapCall) -> Parts:
        line = directory.known_line(call.args.get("lineNumber"))
        await telephony.endings.drop_calls(line, telephony.arrivals.give_back, end_wrap_up=False)
        return None

    return {
        (Interface.PHONE_LINE, "getCalls"): get_calls,
        (Interface.PHONE_LINE, "dropCalls"): drop_calls,
    }
