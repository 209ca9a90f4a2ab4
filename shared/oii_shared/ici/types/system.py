"""The ICI types of IciSystem: product, queue, presence, recording and callback data."""

from __future__ import annotations

from oii_shared.ici.schema import BOOLEAN, DATETIME, INT, STRING, ComplexType, Field

PRODUCT_INFORMATION = ComplexType(
    name="ProductInformation",
    doc="The OII version and implementation, for IciSystem.exchangeProductInformation (10.2).",
    fields=(
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        Field("productName", STRING, doc='The name of the external product ("WicomOII").'),
        # 10.2.1 calls it a String; the schema and the 9.1.1.3 sample have an array.
        Field(
            "iciMessageGroups",
            STRING,
            array=True,
            doc="Identifiers of the ICI groups the product supports (IciGroupBasic...).",
        ),
        Field("productVersion", STRING, doc='The product version, e.g. "1.0.2214.21309".'),
        Field("iciVersion", STRING, doc='The ICI version the product supports ("3.00").'),
    ),
)

QUEUE_INFO = ComplexType(
    name="QueueInfo",
    doc="A queue ID, its description and simple statistics (10.3).",
    fields=(
        Field(
            "id",
            STRING,
            nillable=False,
            doc="Queue address: phone number, e-mail account or chat address.",
        ),
        Field("description", STRING, nillable=False, doc="The display name of the queue."),
        # Not in the schema or the sub-element list; the 9.1.3.3 sample response has it here.
        Field("guid", STRING, nillable=False, doc="Queue GUID (only in the 9.1.3.3 sample)."),
        Field("loggedIn", STRING, nillable=False, doc="The number of logged in agents in queue."),
        Field("ready", STRING, nillable=False, doc="The number of ready agents in queue."),
        Field("pending", STRING, nillable=False, doc="The number of items (calls) in queue."),
        Field("open", STRING, nillable=False, doc="Queue open = 1, closed = 0, empty = no info."),
        Field("avgWaitingTime", STRING, nillable=False, doc="Average waiting time in seconds."),
        Field("maxWaitingTime", STRING, nillable=False, doc="Maximum waiting time in seconds."),
        Field("busy", STRING, nillable=False, doc="Number of busy agents."),
        Field("wrapUp", STRING, nillable=False, doc="Number of wrap up agents."),
        Field("notReady", STRING, nillable=False, doc="Number of not ready agents."),
        Field("paused", STRING, nillable=False, doc="Number of paused agents."),
    ),
)

GROUP_INFO = ComplexType(
    name="GroupInfo",
    doc="A queue group: ID, description, parent and its queues (10.4).",
    fields=(
        Field("id", STRING, nillable=False, doc="ID of group."),
        Field("description", STRING, nillable=False, doc="Description of group."),
        # The sub-element list spells parentID/queuesID; schema and sample say parentId/queuesId.
        Field("parentId", STRING, nillable=False, doc="ID of parent group."),
        # The schema is not nillable, yet the 9.1.3.3 sample sends <queuesId xsi:nil="true" />.
        Field("queuesId", STRING, array=True, nillable=False, doc="List of presence queue IDs."),
    ),
)

COLLABORATION_DATA = ComplexType(
    name="CollaborationData",
    doc="One possible collaboration action for a user (10.6).",
    fields=(
        Field(
            "description",
            STRING,
            min_occurs=1,
            doc="Call, Blind transfer or Warm transfer.",
        ),
        Field(
            "channel",
            STRING,
            min_occurs=1,
            doc="1 = PhoneCall, 2 = Message, 3 = Chat, 4 = Action.",
        ),
        Field("capability", STRING, min_occurs=1, doc="101 = Dial, 3 = Forward, 104 = Transfer."),
        Field("address", STRING, min_occurs=1, doc="User phone number, e-mail or chat address."),
    ),
)

USER_PRESENCE_INFO = ComplexType(
    name="UserPresenceInfo",
    doc="A user's presence status and collaboration options (10.5).",
    fields=(
        Field("user", STRING, min_occurs=1, doc="User ID."),
        Field(
            "presenceStatus",
            STRING,
            min_occurs=1,
            doc="0 = NotAvailable, 1 = Available, 2 = Busy, 3 = LoggedOff.",
        ),
        Field(
            "presenceDescription",
            STRING,
            min_occurs=1,
            doc="NotAvailable, Available, Busy, LoggedOff.",
        ),
        Field(
            "collaborationData",
            "CollaborationData",
            array=True,
            min_occurs=1,
            doc="List of possible collaboration actions for the user.",
        ),
    ),
)

CALL_RECORDING = ComplexType(
    name="CallRecording",
    doc="Call recording information, for IciSystem.getCallRecordings (10.7).",
    fields=(
        Field("callHandle", STRING, nillable=False, doc="Call handle."),
        Field("userId", STRING, nillable=False, doc="User ID."),
        Field(
            "creationTime",
            DATETIME,
            nillable=False,
            min_occurs=1,
            doc="When this recording was saved.",
        ),
        Field("startTime", DATETIME, min_occurs=1, doc="When the call was connected."),
        Field("endTime", DATETIME, min_occurs=1, doc="When the call was disconnected."),
        Field("source", STRING, nillable=False, doc="Source phone number."),
        Field("destination", STRING, nillable=False, doc="Destination phone number."),
        Field("fileName", STRING, nillable=False, doc="File name of the recording, with path."),
    ),
)

# Spelled "CallBack" as in the schema of 10.8 and the 9.1.8 definition ("ici.CallBack []").
CALL_BACK = ComplexType(
    name="CallBack",
    doc="Call back information, for IciSystem.getCallBacks (10.8).",
    fields=(
        Field("id", STRING, nillable=False, doc="Call back handle."),
        Field("number", STRING, nillable=False, doc="Customer's phone number."),
        Field("queueNumber", STRING, nillable=False, doc="Call back queue's number."),
        Field(
            "handledTime",
            DATETIME,
            min_occurs=1,
            doc="When this call back was handled (result SUCCESSFUL or HANDLED).",
        ),
        Field("lastCallTime", DATETIME, min_occurs=1, doc="When the call was last time done."),
        Field("nextCallTime", DATETIME, min_occurs=1, doc="When the call will be done next."),
        Field("failures", INT, nillable=False, min_occurs=1, doc="Number of failures."),
        Field("maxCalls", INT, nillable=False, min_occurs=1, doc="The maximum number of calls."),
        Field(
            "lastResult",
            STRING,
            nillable=False,
            doc="The last result (SUCCESSFUL, HANDLED or one of the failures).",
        ),
        Field("extraData", STRING, nillable=False, doc="XML data for the call."),
        Field("notes", STRING, nillable=False, doc="Free text for the call."),
        Field("gwPrefix", STRING, nillable=False, doc="Gateway prefix that is used in routing."),
    ),
)

# No schema in chapter 10: fields from the 9.1.2.3 sample, optional booleans from 9.1.2.1.
WORKCENTER_CAPABILITY = ComplexType(
    name="WorkcenterCapability",
    doc="Answer of IciSystem.getWorkcenterCapability (9.1.2); OII always sends 0/false/false.",
    fields=(
        Field("types", STRING, doc="Comma-separated workcenter identification types; always 0."),
        Field(
            "workcenterList",
            BOOLEAN,
            nillable=False,
            doc="Whether workcenter lists are supported; always false.",
        ),
        Field(
            "filter",
            BOOLEAN,
            nillable=False,
            doc="Whether workcenter list filtering is supported; always false.",
        ),
    ),
)

# No schema in chapter 10: the <response> of the 9.1.3.3 sample.
PRESENCE_QUEUE_INFO = ComplexType(
    name="PresenceQueueInfo",
    doc="Answer of IciSystem.getPresenceQueueInfo (9.1.3): groups and queues.",
    fields=(
        Field(
            "groupInfo",
            "GroupInfo",
            array=True,
            doc="Groups the queues fall into; OII sends one: id=1, description=*.",
        ),
        Field(
            "queueInfo",
            "QueueInfo",
            array=True,
            doc="Queues the user has the right to see, with statistics.",
        ),
    ),
)
