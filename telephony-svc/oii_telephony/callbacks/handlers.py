"""The SOAP side of createCallBack, updateCallBack and getCallBacks (spec 9.1.6-9.1.8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from oii_shared.db.models import Callback
from oii_shared.ici.schema import Interface
from oii_shared.service.soap_endpoint import Handler, HandlerKey
from oii_shared.soap.codec import SoapCall
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.parser import local_name
from oii_telephony.callbacks.lifecycle import parse_result
from oii_telephony.callbacks.service import CallbackService, NewCallback
from oii_telephony.values import (
    dial_prefix,
    phone_number,
    text_argument,
    utc_datetime,
)


def callback_handlers(service: CallbackService) -> dict[HandlerKey, Handler]:
    async def create_call_back(call: SoapCall) -> Mapping[str, Any]:
        args = call.args
        request = NewCallback(
            number=phone_number("number", args["number"]),
            queue=text_argument(args["queue"]),
            call_time=utc_datetime("callTime", args["callTime"]),
            extra_data=extra_data_text(call),
            gw_prefix=dial_prefix("gwPrefix", args["gwPrefix"]),
            notes=_notes(args["notes"]) or "",
        )
        # None is the spec's NULL: a callback is open for the number in the queue.
        return {"response": await service.create(request)}

    async def update_call_back(call: SoapCall) -> None:
        args = call.args
        callback_id = text_argument(args["id"])
        if not callback_id:
            raise IciFault(Errors.MISSING_ARGUMENT, "id is required")
        result_text = text_argument(args["result"])
        notes = _notes(args["notes"])
        if not result_text and notes is None:
            raise IciFault(Errors.MISSING_ARGUMENT, "result is required")
        result = parse_result(result_text) if result_text else None
        await service.update(callback_id, result, notes)

    async def get_call_backs(call: SoapCall) -> Mapping[str, Any]:
        return {"response": [call_back_element(row) for row in await service.list_all()]}

    return {
        (Interface.SYSTEM, "createCallBack"): create_call_back,
        (Interface.SYSTEM, "updateCallBack"): update_call_back,
        (Interface.SYSTEM, "getCallBacks"): get_call_backs,
    }


def _notes(value: object) -> str | None:
    """Free text; nil or absent is None (updateCallBack ignores a NULL, 9.1.7)."""
    return value if isinstance(value, str) else None


def extra_data_text(call: SoapCall) -> str:
    """extraData as text: escaped as the schema says, or sent as XML children.

    The spec's string is XML; a client that puts ``<XML>`` in unescaped sends it
    as child elements, which are taken as the same document.
    """
    for child in call.element:
        if local_name(child) != "extraData":
            continue
        for inner in child:
            if local_name(inner):
                return etree.tostring(inner, encoding="unicode", with_tail=False)
        break
    return text_argument(call.args["extraData"])


def call_back_element(callback: Callback) -> dict[str, Any]:
    """The CallBack element of 10.8."""
    return {
        "id": callback.id,
        "number": callback.number,
        "queueNumber": callback.queue_id,
        "handledTime": callback.handled_time,
        "lastCallTime": callback.last_call_time,
        "nextCallTime": callback.next_call_time,
        "failures": callback.failures,
        "maxCalls": callback.max_calls,
        "lastResult": callback.last_result,
        "extraData": callback.extra_data,
        "notes": callback.notes,
        "gwPrefix": callback.gw_prefix,
    }
