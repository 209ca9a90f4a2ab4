"""The Field constants and helpers that several ICI interface groups share."""

from __future__ import annotations

from oii_shared.ici.schema import BOOLEAN, STRING, VOID, Field

APP_URL = Field("appUrl", STRING, doc="SOAP entry point the events are sent to.")
APP_ID = Field("appId", STRING, doc="Identifies the subscribing application instance.")
# The PDF extraction prints "applds"/"appld" in several places; the samples mostly say appIds.
APP_IDS = Field(
    "appIds",
    STRING,
    array=True,
    doc="At least one appId which has subscribed for this event.",
)
USER_ID = Field("userId", STRING, doc="Identifies the user.")
ITEM_ID = Field("itemId", STRING, doc="The ID of the item.")
ITEM_CONTAINER_ID = Field("containerId", STRING, doc="The container that contains the item.")
LINE_NUMBER = Field("lineNumber", STRING, doc="= containerId: the phone line to use.")
CALL_HANDLE = Field("callHandle", STRING, doc="= itemId: the call.")
MESSAGE_ID = Field("messageId", STRING, doc="= itemId: the message.")
CHAT_SESSION_ID = Field("chatSessionId", STRING, doc="= itemId: IM/chat session ID.")
CHAT_LINE_ID = Field("chatLineId", STRING, doc="= containerId: the chat line of the session.")
CHANNEL_TYPE = Field(
    "channelType",
    STRING,
    doc="1 = telephony, 2 = messaging, 3 = chat, 4 = action routing.",
)


VOID_RESPONSE = (Field("response", VOID, nillable=False, min_occurs=1),)


def flag(name: str, doc: str) -> Field:
    """A boolean request element; value types are mandatory in OII's .NET WSDL."""
    return Field(name, BOOLEAN, nillable=False, min_occurs=1, doc=doc)
