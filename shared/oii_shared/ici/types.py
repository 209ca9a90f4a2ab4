"""The ICI content types of spec chapter 10, plus the structures chapter 9 uses without a schema.

Field names, order, nillable and minOccurs follow the XML schema of each type. A schema element
without ``nillable``/``minOccurs`` (booleans and ints) is ``nillable=False, min_occurs=1``; a
``minOccurs="0"`` element of an ``xs:sequence`` without ``nillable`` is ``nillable=False``.
"""

from __future__ import annotations

from oii_shared.ici.schema import BOOLEAN, DATETIME, INT, STRING, VOID, ComplexType, Field

TEXT_ELEMENT = ComplexType(
    name="TextElement",
    doc="A text ID and its description (spec 10.1).",
    fields=(
        # The schema has "message" although the sub-element list of 10.1.1 does not.
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        Field("id", STRING, doc="The text ID."),
        Field("description", STRING, doc="The actual text."),
    ),
)

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

ADDRESS = ComplexType(
    name="Address",
    doc="A channel-specific address of a user (10.9).",
    fields=(
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        # The sub-element list has channel before address; the schema order is kept.
        Field("address", STRING, doc='The address, e.g. "+123" or name@domain.com.'),
        Field("channel", STRING, doc="1 = phone call, 2 = message."),
    ),
)

USER = ComplexType(
    name="User",
    doc="All attributes of a user (10.10).",
    fields=(
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        Field("userId", STRING, doc="Identifies the user; must not contain slashes."),
        Field("currentWorkmode", "TextElement", doc="The current workmode of the user."),
        Field(
            "workmodes",
            "TextElement",
            array=True,
            doc="All workmodes the user is allowed to set.",
        ),
        Field(
            "wrapUpMode",
            INT,
            nillable=False,
            min_occurs=1,
            doc="1 = automatic wrap up status, 2 = requested wrap up status.",
        ),
        Field(
            "currentChannels",
            "TextElement",
            array=True,
            doc="The channels enabled for this user.",
        ),
        Field(
            "channels",
            "TextElement",
            array=True,
            doc="The channels the user is allowed to use.",
        ),
        Field(
            "currentQueues",
            "TextElement",
            array=True,
            doc="The queues the user is currently assigned to.",
        ),
        Field(
            "queues",
            "TextElement",
            array=True,
            doc="The queues the user is allowed to assign to.",
        ),
        Field(
            "addresses",
            "Address",
            array=True,
            doc="The channel-specific addresses of the user.",
        ),
        # The sub-element list says "cmdHostId"; the schema says cmsHostId. The 9.2.1.3 sample
        # of IciUser.getAttributes sends it as a sibling of <response>, not inside the User.
        Field(
            "cmsHostId",
            STRING,
            min_occurs=1,
            doc="Identifies the OII instance (OII module GUID).",
        ),
    ),
)

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

# 10.14.1 names the element "Message" with the e-mail purpose text (a copy-paste slip); the
# schema is ici.ChatSession.
CHAT_SESSION = ComplexType(
    name="ChatSession",
    doc="All attributes of a chat session (10.14).",
    fields=(
        Field("title", STRING, min_occurs=1, doc="Title of this chat session (may be empty)."),
        Field(
            "chatLineId",
            STRING,
            min_occurs=1,
            doc="= containerId: the agent's chat address the session is assigned to.",
        ),
        Field(
            "chatSessionId",
            STRING,
            min_occurs=1,
            doc="= itemId: the GUID to identify a chat session.",
        ),
        Field(
            "processingStatus",
            "TextElement",
            min_occurs=1,
            doc="1 = Not in process, 2 = Active, 3 = Wrap up, 4 = Suspended.",
        ),
        Field(
            "capabilityList",
            INT,
            array=True,
            min_occurs=1,
            doc="The capabilities valid for the current chat status.",
        ),
        Field("attachedData", STRING, min_occurs=1, doc="Item attached data (XML as text)."),
        Field("chatStatus", "TextElement", min_occurs=1, doc="Chat status (table 10.14.3)."),
        Field(
            "chatParticipants",
            STRING,
            array=True,
            min_occurs=1,
            doc="Chat participants; assigned users who did not accept yet are not listed.",
        ),
    ),
)

CHAT_POSTING = ComplexType(
    name="ChatPosting",
    doc="One posting to a chat session (10.15).",
    fields=(
        Field(
            "chatSessionId",
            STRING,
            min_occurs=1,
            doc="= itemId: the chat session this posting was sent to.",
        ),
        Field("postDate", STRING, min_occurs=1, doc="Time stamp of posting (YYYYMMDDHHMMSS)."),
        Field(
            "chatParticipant",
            STRING,
            min_occurs=1,
            doc="Originator of the posting: chat address of agent or customer.",
        ),
        Field("contentText", STRING, min_occurs=1, doc="Message that was posted."),
        Field(
            "systemMessage",
            BOOLEAN,
            nillable=False,
            min_occurs=1,
            doc="A posting generated by the chat server (chatParticipant may be empty).",
        ),
    ),
)

ACTION_SESSION = ComplexType(
    name="ActionSession",
    doc="Status of an action item (10.16); see also ActionItem.",
    fields=(
        # The schema type is ArrayOfString1, an array of strings like ArrayOfString.
        Field(
            "actionParticipants",
            STRING,
            array=True,
            min_occurs=1,
            doc="User ids; contains the id of the active user, if any.",
        ),
        Field(
            "capabilityList",
            INT,
            array=True,
            min_occurs=1,
            doc="The capabilities valid for the current action item status.",
        ),
        Field("title", STRING, min_occurs=1, doc="Title of this action item session; not used."),
        Field("actionSessionId", STRING, min_occurs=1, doc="Session GUID; currently not used."),
        Field(
            "actionStatus",
            "TextElement",
            min_occurs=1,
            doc="Action item status (table 10.16.3).",
        ),
        Field(
            "processingStatus",
            "TextElement",
            min_occurs=1,
            doc="1 = Not in process, 2 = Active, 3 = Wrap up, 4 = Suspended.",
        ),
        Field("attachedData", STRING, min_occurs=1, doc="Item attached data (XML as text)."),
        Field("actionLineId", STRING, min_occurs=1, doc="Action item line ID; not used."),
    ),
)

ATTRIBUTE = ComplexType(
    name="Attribute",
    doc="A general name/value attribute of an action item (10.18).",
    fields=(
        Field("id", STRING, min_occurs=1, doc="Name of attribute."),
        Field("description", STRING, min_occurs=1, doc="Value of attribute."),
    ),
)

# 9.12.1.1 calls the type of IciActionItem.route's itemData "ActionData"; its sample and
# 9.3.8.2 show exactly the fields of ici.ActionItem, so route uses this type.
ACTION_ITEM = ComplexType(
    name="ActionItem",
    doc="All attributes of an action item (10.17); some repeat ActionSession.",
    fields=(
        Field("systemId", STRING, min_occurs=1, doc="Not used."),
        Field("client", STRING, min_occurs=1, doc="Not used."),
        Field("requestId", STRING, min_occurs=1, doc="Identifies the action item in CRM 5.2."),
        Field("processId", STRING, min_occurs=1, doc="Identifies the action item in CRM 5.2."),
        Field("actionItemId", STRING, min_occurs=1, doc="Action item GUID; currently not used."),
        Field(
            "actionItemInboxId",
            STRING,
            min_occurs=1,
            doc="Action item line ID; currently not used.",
        ),
        Field("attachedData", STRING, min_occurs=1, doc="Item attached data (XML as text)."),
        Field(
            "capabilityList",
            INT,
            array=True,
            min_occurs=1,
            doc="The capabilities valid for the current action item status.",
        ),
        Field("processingStatus", "TextElement", min_occurs=1, doc="The item processing status."),
        Field("actionItemStatus", "TextElement", min_occurs=1, doc="Action item status."),
        # The sub-element list says "Attribute"; the schema type is ArrayOfIciAttribute.
        Field(
            "actionItemAttributes",
            "Attribute",
            array=True,
            min_occurs=1,
            doc="Attributes from the route operation (FROM_ADDRESS, SUBJECT...).",
        ),
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

# No schema in chapter 10: 9.12.1.1 says the answer is String <actionItemId>, but the 9.12.1.3
# sample wraps it as <response><actionItemID>, so the sample's shape is kept.
ACTION_ITEM_ROUTE_RESULT = ComplexType(
    name="ActionItemRouteResult",
    doc="Answer of IciActionItem.route (9.12.1) as the sample response shows it.",
    fields=(Field("actionItemID", STRING, doc="Used in CRM 7.0 to identify the action item."),),
)

VOID_TYPE = ComplexType(name=VOID, doc="The empty <response /> of a void operation.", fields=())

TYPES: dict[str, ComplexType] = {
    t.name: t
    for t in (
        VOID_TYPE,
        TEXT_ELEMENT,
        PRODUCT_INFORMATION,
        QUEUE_INFO,
        GROUP_INFO,
        USER_PRESENCE_INFO,
        COLLABORATION_DATA,
        CALL_RECORDING,
        CALL_BACK,
        ADDRESS,
        USER,
        ITEM,
        PHONE_CALL,
        MESSAGE,
        CHAT_SESSION,
        CHAT_POSTING,
        ACTION_SESSION,
        ACTION_ITEM,
        ATTRIBUTE,
        WORKCENTER_CAPABILITY,
        PRESENCE_QUEUE_INFO,
        ACTION_ITEM_ROUTE_RESULT,
    )
}
