"""IciPhoneCall (spec 9.7): getAttributes, dial, consult, transfer, reconnect, drop, hold,
unhold, alternate, conference, dropParty. listen and listenEnd are not offered (7.1)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.ending import on_line
from oii_telephony.calls.service import Telephony
from oii_telephony.calls.states import phone_call

Parts = Mapping[str, Any] | None
LineAction = Callable[..., Awaitable[None]]

# The operations that act on calls of the line and answer nothing: the engine's method
# and the arguments it takes after the line, in the order it takes them.
LINE_ACTIONS: dict[str, tuple[Callable[[Telephony], LineAction], tuple[str, ...]]] = {
    "transfer": (lambda t: t.bridging.transfer, ("connCallHandle", "heldCallHandle")),
    "reconnect": (lambda t: t.bridging.reconnect, ("connCallHandle", "heldCallHandle")),
    "alternate": (lambda t: t.bridging.alternate, ("connCallHandle", "heldCallHandle")),
    "conference": (lambda t: t.bridging.conference, ("connCallHandle", "heldCallHandle")),
    "drop": (lambda t: t.endings.drop, ("callHandle",)),
    "hold": (lambda t: t.bridging.hold, ("callHandle",)),
    "unhold": (lambda t: t.bridging.unhold, ("callHandle",)),
    "dropParty": (lambda t: t.bridging.drop_party, ("callHandle", "remoteNumber")),
}


def phone_call_handlers(telephony: Telephony) -> dict[HandlerKey, Handler]:
    directory = telephony.ctx.directory

    def line_of(call: SoapCall) -> str:
        return directory.known_line(call.args.get("lineNumber"))

    async def get_attributes(call: SoapCall) -> Parts:
        line = line_of(call)
        leg = await telephony.ctx.store.load(call.args.get("callHandle"))
        on_line(leg, line)
        return {"response": phone_call(leg)}

    async def dial(call: SoapCall) -> Parts:
        args = call.args
        dialed = await telephony.dialing.dial(
            line_of(call), args.get("callHandle"), args.get("dialNumber")
        )
        return {"response": dialed}

    async def consult(call: SoapCall) -> Parts:
        args = call.args
        next_step = args.get("nextStep")
        if next_step is None:
            raise IciFault(Errors.MISSING_ARGUMENT, "nextStep is required")
        await telephony.dialing.consult(
            line_of(call),
            args.get("callHandle"),
            args.get("connCallHandle"),
            args.get("dialNumber"),
            int(next_step),
        )
        return None

    def line_action(action: LineAction, names: tuple[str, ...]) -> Handler:
        async def handle(call: SoapCall) -> Parts:
            await action(line_of(call), *(call.args.get(name) for name in names))
            return None

        return handle

    actions = {
        name: line_action(action_of(telephony), names)
        for name, (action_of, names) in LINE_ACTIONS.items()
    }
    operations: dict[str, Handler] = {
        "getAttributes": get_attributes,
        "dial": dial,
        "consult": consult,
        **actions,
    }
    return {(Interface.PHONE_CALL, name): handler for name, handler in operations.items()}
