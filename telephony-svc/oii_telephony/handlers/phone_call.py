"""IciPhoneCall (spec 9.7): getAttributes, dial, consult, transfer, reconnect, drop, hold,
unhold, alternate, conference, dropParty. listen and listenEnd are not offered (7.1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.calls.ending import on_line
from oii_telephony.calls.service import Telephony
from oii_telephony.calls.states import phone_call

Parts = Mapping[str, Any] | None


def phone_call_handlers(telephony: Telephony) -> dict[HandlerKey, Handler]:
    directory = telephony.ctx.directory
    bridging = telephony.bridging

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

    async def transfer(call: SoapCall) -> Parts:
        args = call.args
        await bridging.transfer(
            line_of(call), args.get("connCallHandle"), args.get("heldCallHandle")
        )
        return None

    async def reconnect(call: SoapCall) -> Parts:
        args = call.args
        await bridging.reconnect(
            line_of(call), args.get("connCallHandle"), args.get("heldCallHandle")
        )
        return None

    async def alternate(call: SoapCall) -> Parts:
        args = call.args
        await bridging.alternate(
            line_of(call), args.get("connCallHandle"), args.get("heldCallHandle")
        )
        return None

    async def conference(call: SoapCall) -> Parts:
        args = call.args
        await bridging.conference(
            line_of(call), args.get("connCallHandle"), args.get("heldCallHandle")
        )
        return None

    async def drop(call: SoapCall) -> Parts:
        await telephony.endings.drop(line_of(call), call.args.get("callHandle"))
        return None

    async def hold(call: SoapCall) -> Parts:
        await bridging.hold(line_of(call), call.args.get("callHandle"))
        return None

    async def unhold(call: SoapCall) -> Parts:
        await bridging.unhold(line_of(call), call.args.get("callHandle"))
        return None

    async def drop_party(call: SoapCall) -> Parts:
        args = call.args
        await bridging.drop_party(line_of(call), args.get("callHandle"), args.get("remoteNumber"))
        return None

    operations = {
        "getAttributes": get_attributes,
        "dial": dial,
        "consult": consult,
        "transfer": transfer,
        "reconnect": reconnect,
        "drop": drop,
        "hold": hold,
        "unhold": unhold,
        "alternate": alternate,
        "conference": conference,
        "dropParty": drop_party,
    }
    return {(Interface.PHONE_CALL, name): handler for name, handler in operations.items()}
