"""ICI faults: one exception type, one catalog of errors, one encoder.

Every failure the suite reports to CRM is an ``IciFault`` carrying an entry of
``Errors``; ``fault_envelope`` turns it into the SOAP 1.1 Fault of spec 1.2.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from oii_shared.soap.namespaces import ICI_ERRORS, SOAP_ENV, XSI
from oii_shared.soap.text import escape


class FaultCode(enum.StrEnum):
    CLIENT = "Client"
    SERVER = "Server"


class Area(enum.IntEnum):
    """Area codes of ICI errors. Spec 1.2 only shows area 5 (telephony)."""

    REQUEST = 1
    SYSTEM = 2
    USER = 3
    ITEM = 4
    TELEPHONY = 5
    MESSAGING = 6
    CHAT = 7
    ACTION = 8


@dataclass(frozen=True, slots=True)
class IciError:
    area: Area
    code: int
    text: str
    faultcode: FaultCode = FaultCode.CLIENT
    retry: bool = False


class Errors:
    """The catalog of ICI errors the suite can answer with."""

    MALFORMED_XML = IciError(Area.REQUEST, 1, "Malformed XML request")
    DTD_FORBIDDEN = IciError(Area.REQUEST, 2, "DTD or entity declaration in request")
    BODY_TOO_LARGE = IciError(Area.REQUEST, 3, "Request body too large")
    NOT_SOAP = IciError(Area.REQUEST, 4, "Not a SOAP 1.1 envelope")
    UNKNOWN_SOAP_ACTION = IciError(Area.REQUEST, 5, "Unknown SOAPAction")
    UNKNOWN_OPERATION = IciError(Area.REQUEST, 6, "Unknown operation")
    INVALID_ARGUMENT = IciError(Area.REQUEST, 7, "Invalid argument")
    MISSING_ARGUMENT = IciError(Area.REQUEST, 8, "Missing argument")
    UNKNOWN_PATH = IciError(Area.REQUEST, 9, "Unknown service path")
    FORBIDDEN = IciError(Area.REQUEST, 10, "Client address not allowed")

    NOT_SUPPORTED_YET = IciError(
        Area.SYSTEM, 1, "Operation not supported yet", FaultCode.SERVER, retry=False
    )
    SERVICE_UNAVAILABLE = IciError(
        Area.SYSTEM, 2, "Service unavailable", FaultCode.SERVER, retry=True
    )
    SERVICE_TIMEOUT = IciError(Area.SYSTEM, 3, "Service timed out", FaultCode.SERVER, retry=True)
    STOPPED = IciError(Area.SYSTEM, 4, "OII is stopped", FaultCode.SERVER, retry=True)
    INTERNAL = IciError(Area.SYSTEM, 5, "Internal error", FaultCode.SERVER, retry=True)

    UNKNOWN_USER = IciError(Area.USER, 1, "Unknown user")
    UNKNOWN_ITEM = IciError(Area.ITEM, 1, "Unknown item")

    INVALID_PHONE_NUMBER = IciError(
        Area.TELEPHONY, 2, "SAP BCB:Other characters than +1234567890 in phone number"
    )

    # Callbacks and call recordings, IciSystem 9.1.5-9.1.8.
    UNKNOWN_QUEUE = IciError(Area.TELEPHONY, 20, "Unknown queue")
    UNKNOWN_CALLBACK = IciError(Area.TELEPHONY, 21, "Unknown call back")
    CALLBACK_HANDLED = IciError(Area.TELEPHONY, 22, "Call back already handled")

    # Phone calls, IciPhoneLine/IciPhoneCall/IciItem for calls.
    UNKNOWN_PHONE_LINE = IciError(Area.TELEPHONY, 1, "Unknown phone line")
    CALL_NOT_ON_LINE = IciError(Area.TELEPHONY, 3, "The call is not on this phone line")
    # Action items, IciActionItem/IciItem/IciMessage.end for action items.
    ACTION_ITEM_NOT_IN_INBOX = IciError(
        Area.ACTION, 1, "The action item is not in this action item inbox"
    )
    NO_ACTION_QUEUE = IciError(Area.ACTION, 2, "No enabled queue for the action item")
    # Any channel: the capability list of the item's status (chapter 10 tables) lacks it.
    NOT_ALLOWED_IN_STATUS = IciError(Area.ITEM, 2, "Operation not allowed in the item's status")

    # Subscriptions, IciUser/IciContainer.subscribe.
    # Code 20 keeps clear of further generic request errors (1-10 so far).
    SUBSCRIBER_URL_REFUSED = IciError(Area.REQUEST, 20, "Event URL refused")


# A fault message quotes what the client sent (a SOAPAction, an argument): never
# more than this, so that no fault answer or log line grows with the input.
MAX_FAULT_MESSAGE_CHARS = 240


def bounded_message(message: str, limit: int = MAX_FAULT_MESSAGE_CHARS) -> str:
    if len(message) <= limit:
        return message
    return f"{message[:limit]}... ({len(message) - limit} more characters)"


class IciFault(Exception):
    """An ICI operation failed; answered to CRM as a SOAP 1.1 Fault."""

    def __init__(self, error: IciError, message: str | None = None) -> None:
        self.error = error
        self.message = bounded_message(message) if message else message
        super().__init__(self.message or error.text)

    @property
    def faultstring(self) -> str:
        return self.message or self.error.text


def fault_envelope(fault: IciFault) -> bytes:
    """The SOAP 1.1 Fault of spec 1.2, with the ICI error fields in the detail."""
    error = fault.error
    message = (
        f"<message>{escape(fault.message)}</message>"
        if fault.message
        else '<message xsi:nil="true"/>'
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}" xmlns:xsi="{XSI}">'
        "<soap:Body><soap:Fault>"
        f"<faultcode>soap:{error.faultcode.value}</faultcode>"
        f"<faultstring>{escape(fault.faultstring)}</faultstring>"
        f'<detail><ns1:IciErrorCodes xmlns:ns1="{ICI_ERRORS}">'
        f"{message}"
        f"<areaCode>{int(error.area)}</areaCode>"
        f"<errorCode>{error.code}</errorCode>"
        f"<errorText>{escape(error.text)}</errorText>"
        f"<errorRetry>{'true' if error.retry else 'false'}</errorRetry>"
        "</ns1:IciErrorCodes></detail>"
        "</soap:Fault></soap:Body></soap:Envelope>"
    ).encode()
