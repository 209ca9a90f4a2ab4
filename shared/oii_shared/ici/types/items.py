"""The ICI item types of the telephony and messaging channels: Item, PhoneCall, Message."""

from __future__ import annotations

from oii_shared.ici.schema import BOOLEAN, INT, STRING, ComplexType, Field

ITEM = ComplexType(
    name="Item",
    doc="The attributes common to all items, answered by IciItem.create (10.11).",
    fields=(
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        # The sub-element list calls it itemStatus; the schema and the 9.4.1.3 sample say status.
        Field("status", "TextElement", doc="The item status: 1 = Created."),
        Field("itemId", STRING, doc='The new GUID of the created item in status "Created".'),
        Field("processingStatus", "TextElement", doc="The processing status: 1 = Not in process."),
        Field(
            "capabilityList",
            INT,
            array=True,
            doc='The methods supported in the current "Created" status.',
        ),
    ),
)

PHONE_CALL = ComplexType(
    name="PhoneCall",
    doc="All attributes of a phone call (10.12).",
    fields=(
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        Field("lineNumber", STRING, doc="= containerId: the phone line the call is assigned to."),
        Field("callHandle", STRING, doc="= itemId: the GUID that identifies a call."),
        Field(
            "processingStatus",
            "TextElement",
            doc="1 = Not in process, 2 = Active, 3 = Wrap up, 4 = Suspended.",
        ),
        Field(
            "remoteNumbers",
            STRING,
            array=True,
            doc="The phone numbers of all other parties (several in conferences).",
        ),
        # The samples disagree (dialledNumber in 9.3.4.2, dialNumber in 9.7.1.3, dialedNumber in
        # 9.6.1.3); the schema and the sub-element list say dialedNumber.
        Field("dialedNumber", STRING, doc="The dialed phone number."),
        Field("callStatus", "TextElement", doc="The call status (table 10.12.3)."),
        Field(
            "capabilityList",
            INT,
            array=True,
            doc="The capabilities valid for the current call status.",
        ),
        Field(
            "inbound",
            BOOLEAN,
            nillable=False,
            min_occurs=1,
            doc="Indicates the call direction.",
        ),
        Field(
            "internal",
            BOOLEAN,
            nillable=False,
            min_occurs=1,
            doc="Indicates that the remote party is internal/external.",
        ),
        Field("attachedData", STRING, doc="The data attached to the item (XML as text)."),
        Field("trunkId", STRING, doc="The trunk ID the call is routed through."),
    ),
)

MESSAGE = ComplexType(
    name="Message",
    doc="All attributes of an e-mail message (10.13).",
    fields=(
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        Field("folder", STRING, doc="= containerId: the folder where the message is located."),
        Field("subject", STRING, doc="The subject."),
        Field("messageId", STRING, doc="= itemId: the GUID to identify a message."),
        Field(
            "processingStatus",
            "TextElement",
            doc="1 = Not in process, 2 = Active, 3 = Wrap up, 4 = Suspended.",
        ),
        # The sub-element list says String[]; the schema and all samples have a single string.
        Field("originator", STRING, doc="The originator's address."),
        Field("messageText", STRING, doc="The contents of the main body text, not encoded."),
        Field("attachments", STRING, array=True, doc="The attachment names."),
        Field("messageStatus", "TextElement", doc="The message status (table 10.13.3)."),
        Field(
            "capabilityList",
            INT,
            array=True,
            doc="The capabilities valid for the current message status.",
        ),
        Field("attachedData", STRING, doc="The data attached to the item (XML as text)."),
        Field(
            "originalMessageId",
            STRING,
            doc="Item ID of the message a notification refers to.",
        ),
        Field(
            "notification",
            BOOLEAN,
            nillable=False,
            min_occurs=1,
            doc="Indicates that the message is a notification.",
        ),
        Field(
            "read",
            BOOLEAN,
            nillable=False,
            min_occurs=1,
            doc="Indicates that the message has been read.",
        ),
        Field(
            "answered",
            BOOLEAN,
            nillable=False,
            min_occurs=1,
            doc="Indicates that the message has been answered.",
        ),
        Field(
            "forwarded",
            BOOLEAN,
            nillable=False,
            min_occurs=1,
            doc="Indicates that the message has been forwarded.",
        ),
    ),
)
