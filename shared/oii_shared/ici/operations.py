"""Every ICI operation of spec chapter 9 (and the undocumented ones that chapter 7.1 lists).

``request`` follows the order of each sample request envelope; ``response`` lists the children
of ``<nameResponse>`` in the sample response. Void operations answer an empty
``<response />`` as every void sample of chapter 9 does; only updateCallBack's sample has none.
"""

from __future__ import annotations

from oii_shared.ici.schema import BOOLEAN, INT, STRING, VOID, Field, Interface, Operation, Owner

_APP_URL = Field("appUrl", STRING, doc="SOAP entry point the events are sent to.")
_APP_ID = Field("appId", STRING, doc="Identifies the subscribing application instance.")
# The PDF extraction prints "applds"/"appld" in several places; the samples mostly say appIds.
_APP_IDS = Field(
    "appIds",
    STRING,
    array=True,
    doc="At least one appId which has subscribed for this event.",
)
_USER_ID = Field("userId", STRING, doc="Identifies the user.")
_ITEM_ID = Field("itemId", STRING, doc="The ID of the item.")
_ITEM_CONTAINER_ID = Field("containerId", STRING, doc="The container that contains the item.")
_LINE_NUMBER = Field("lineNumber", STRING, doc="= containerId: the phone line to use.")
_CALL_HANDLE = Field("callHandle", STRING, doc="= itemId: the call.")
_MESSAGE_ID = Field("messageId", STRING, doc="= itemId: the message.")
_CHAT_SESSION_ID = Field("chatSessionId", STRING, doc="= itemId: IM/chat session ID.")
_CHAT_LINE_ID = Field("chatLineId", STRING, doc="= containerId: the chat line of the session.")
_CHANNEL_TYPE = Field(
    "channelType",
    STRING,
    doc="1 = telephony, 2 = messaging, 3 = chat, 4 = action routing.",
)


_VOID = (Field("response", VOID, nillable=False, min_occurs=1),)


def _flag(name: str, doc: str) -> Field:
    """A boolean request element; value types are mandatory in OII's .NET WSDL."""
    return Field(name, BOOLEAN, nillable=False, min_occurs=1, doc=doc)


SYSTEM_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.SYSTEM,
        name="exchangeProductInformation",
        request=(Field("iciVersion", STRING, doc="The ICI version of the SAP system, e.g. 3.00."),),
        response=(Field("response", "ProductInformation"),),
        owner=Owner.GATEWAY,
        doc="Called by SAP CRM 4.0 when OII is configured; returns the OII product version.",
        spec_section="9.1.1",
    ),
    Operation(
        interface=Interface.SYSTEM,
        name="getWorkcenterCapability",
        request=(Field("userId", STRING, doc="The user in question."),),
        response=(Field("response", "WorkcenterCapability"),),
        owner=Owner.GATEWAY,
        doc="Called first at login by CRM 4.1 and later; OII always answers the same values "
        "because Free Seating is not supported.",
        spec_section="9.1.2",
    ),
    Operation(
        interface=Interface.SYSTEM,
        name="getPresenceQueueInfo",
        request=(
            # The 9.1.3.2 sample puts userId in the urn:IciUserInterface namespace.
            Field("userId", STRING, doc="User who requests the presence info."),
            _CHANNEL_TYPE,
        ),
        response=(Field("response", "PresenceQueueInfo"),),
        owner=Owner.GATEWAY,
        doc="Retrieves presence queue data for a specific channel (CRM 2006 / 5.2 and later).",
        spec_section="9.1.3",
    ),
    Operation(
        interface=Interface.SYSTEM,
        name="getUserPresence",
        request=(
            Field("users", STRING, array=True, doc="User ids whose presence should be returned."),
            Field("searchterm", STRING, doc="Free-text user search; used only if users is empty."),
            Field("maxhits", STRING, doc="Maximum number of users to return (default 100)."),
        ),
        response=(Field("response", "UserPresenceInfo", array=True),),
        owner=Owner.GATEWAY,
        doc="Retrieves presence data for specified users (CRM 7.0).",
        spec_section="9.1.4",
    ),
    Operation(
        interface=Interface.SYSTEM,
        name="getCallRecordings",
        request=(
            Field("callHandle", STRING, doc="Search recordings by call handle."),
            Field("userId", STRING, doc="Search recordings by user ID."),
            Field("dateTimeFrom", STRING, doc="Search recordings by timestamp, lower limit."),
            Field("dateTimeTo", STRING, doc="Search recordings by timestamp, upper limit."),
            Field("filePath", STRING, doc="Search recordings by file path."),
            Field("fileName", STRING, doc="Search recordings by file name."),
            Field("maxhits", STRING, doc="Maximum number of recordings to return (default all)."),
        ),
        response=(Field("response", "CallRecording", array=True),),
        owner=Owner.TELEPHONY,
        doc="Retrieves call recording file names (experimental, Contact Center 7 SP4).",
        spec_section="9.1.5",
    ),
    Operation(
        interface=Interface.SYSTEM,
        name="createCallBack",
        request=(
            Field("number", STRING, doc="The phone number of the customer."),
            Field("queue", STRING, doc="Queue number, GUID or name."),
            Field("callTime", STRING, doc="Optional UTC date and time when to call."),
            Field("extraData", STRING, doc='Optional extra data XML; root node must be "XML".'),
            Field("gwPrefix", STRING, doc="Optional gateway prefix, used in call routing."),
            Field("notes", STRING, doc="Optional notes, shown in the call back script."),
        ),
        response=(
            Field(
                "response",
                STRING,
                doc="GUID of the call back; NULL if one exists for the number and queue.",
            ),
        ),
        owner=Owner.TELEPHONY,
        # The 9.1.6.3 sample request is spelled createCallback.
        aliases=("createCallback",),
        doc="Creates a web callback request (Contact Center 7 SP7, not used by CRM).",
        spec_section="9.1.6",
    ),
    Operation(
        interface=Interface.SYSTEM,
        name="updateCallBack",
        request=(
            Field("id", STRING, doc="GUID of the call back."),
            Field(
                "result",
                STRING,
                doc="BADADDRESS, BUSY, NO_ANSWER, VOICEMAIL, OTHER, SUCCESSFUL or HANDLED.",
            ),
            Field("notes", STRING, doc="Optional notes for the callback; NULL is ignored."),
        ),
        response=(),
        owner=Owner.TELEPHONY,
        aliases=("updateCallback",),
        doc="Updates a callback request (Contact Center 7 SP7, not used by CRM).",
        spec_section="9.1.7",
    ),
    Operation(
        interface=Interface.SYSTEM,
        name="getCallBacks",
        request=(),
        response=(Field("response", "CallBack", array=True),),
        owner=Owner.TELEPHONY,
        # The 9.1.8.2 sample request is spelled getCallbacks.
        aliases=("getCallbacks",),
        doc="Returns all callbacks (Contact Center 7 SP7, not used by CRM).",
        spec_section="9.1.8",
    ),
)

USER_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.USER,
        name="getAttributes",
        request=(
            Field("userId", STRING, doc="Identifies the user; must match the Contact Center ID."),
            # Not in the 9.2.1.2 sample; the definition table adds it as optional (CC 7 SP4).
            Field("cmsPing", STRING, doc="TRUE: CRM only tests that the CMS is alive."),
        ),
        response=(
            Field("response", "User"),
            Field("cmsHostId", STRING, doc="Identifies the CMS system (OII module GUID)."),
        ),
        owner=Owner.GATEWAY,
        doc="Called when a user logs into IC WebClient; returns the user's attributes.",
        spec_section="9.2.1",
    ),
    Operation(
        interface=Interface.USER,
        name="setCurrentWorkmode",
        request=(_USER_ID, Field("workmode", STRING, doc="The workmode to be set.")),
        response=_VOID,
        owner=Owner.GATEWAY,
        # Chapter 7.1 lists this operation as setWorkmode.
        aliases=("setWorkmode",),
        doc="Sets the workmode for a user.",
        spec_section="9.2.2",
    ),
    Operation(
        interface=Interface.USER,
        name="setCurrentChannels",
        request=(
            _USER_ID,
            Field("channels", STRING, array=True, doc="The channels enabled for this user."),
        ),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Enables or disables channels for the user; currently does nothing in Cctr.",
        spec_section="9.2.3",
    ),
    Operation(
        interface=Interface.USER,
        name="setCurrentQueues",
        request=(
            _USER_ID,
            Field("queues", STRING, array=True, doc="The queues the user is assigned to."),
        ),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Sets the queues the user must be assigned to; does nothing unless "
        "ICIUSER_SETCURRENTQUEUES is enabled.",
        spec_section="9.2.4",
    ),
    Operation(
        interface=Interface.USER,
        name="setAddresses",
        request=(
            _USER_ID,
            Field("addresses", "Address", array=True, doc="The addresses for the user."),
        ),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Sets the channel-specific addresses for the user.",
        spec_section="9.2.5",
    ),
    Operation(
        interface=Interface.USER,
        name="subscribe",
        request=(
            _APP_URL,
            _APP_ID,
            Field("userId", STRING, doc="The user ID of the user to be monitored."),
        ),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Subscribes an application (appUrl + appId) to the user's events.",
        spec_section="9.2.6",
    ),
    Operation(
        interface=Interface.USER,
        name="unsubscribe",
        request=(_APP_URL, _APP_ID),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Ends the application's user event subscription.",
        spec_section="9.2.7",
    ),
)

ITEM_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.ITEM,
        name="create",
        request=(
            _CHANNEL_TYPE,
            Field(
                "containerId",
                STRING,
                doc="Phone line number, folder name, chat line name or action item inbox.",
            ),
        ),
        response=(Field("response", "Item"),),
        owner=Owner.ITEM_OWNER,
        doc="Creates a contact center item with the CREATED status; channelType selects the "
        "channel.",
        spec_section="9.4.1",
    ),
    Operation(
        interface=Interface.ITEM,
        name="wrapUpRequired",
        request=(_ITEM_ID,),
        response=_VOID,
        owner=Owner.ITEM_OWNER,
        doc="Tells that wrap-up work is required: the item goes to Wrap up when its current "
        "processing ends (requested wrap up mode only).",
        spec_section="9.4.2",
    ),
    Operation(
        interface=Interface.ITEM,
        name="wrapUpEnded",
        request=(_ITEM_ID,),
        response=_VOID,
        owner=Owner.ITEM_OWNER,
        doc="Tells that wrap-up work has finished; the item status changes to Not in process.",
        spec_section="9.4.3",
    ),
    Operation(
        interface=Interface.ITEM,
        name="accept",
        request=(_ITEM_ID, _ITEM_CONTAINER_ID),
        response=_VOID,
        owner=Owner.ITEM_OWNER,
        doc="The user accepts an assigned item; processing status becomes active (a call is "
        "connected).",
        spec_section="9.4.4",
    ),
    Operation(
        interface=Interface.ITEM,
        name="reroute",
        request=(_ITEM_ID, _ITEM_CONTAINER_ID),
        response=_VOID,
        owner=Owner.ITEM_OWNER,
        doc="The user does not accept an assigned item; reroute it to someone else.",
        spec_section="9.4.5",
    ),
    Operation(
        interface=Interface.ITEM,
        name="forward",
        request=(
            _ITEM_ID,
            Field("containerId", STRING, doc="The container the item is transferred from."),
            Field(
                "destType",
                STRING,
                doc="1 = Phone line, 2 = Folder, 3 = Chat line, 4 = Action item inbox, 12 = Queue.",
            ),
            Field("destination", STRING, doc="The container ID or the queue ID."),
        ),
        response=_VOID,
        owner=Owner.ITEM_OWNER,
        doc="Forwards an item to another user (identified by the container) or to a queue.",
        spec_section="9.4.6",
    ),
    Operation(
        interface=Interface.ITEM,
        name="getAttachedData",
        request=(_ITEM_ID,),
        response=(
            Field(
                "response",
                STRING,
                doc="XML document of attached data; empty string if there is none.",
            ),
        ),
        owner=Owner.ITEM_OWNER,
        doc="Reads the data attached to an item.",
        spec_section="9.4.7",
    ),
    Operation(
        interface=Interface.ITEM,
        name="setAttachedData",
        request=(
            _ITEM_ID,
            Field("attachedData", STRING, doc="XML document of attached data; may be empty."),
        ),
        response=_VOID,
        owner=Owner.ITEM_OWNER,
        doc="Sets the attached data for an item.",
        spec_section="9.4.8",
    ),
    Operation(
        interface=Interface.ITEM,
        name="deleteAttachedData",
        request=(_ITEM_ID,),
        response=_VOID,
        owner=Owner.ITEM_OWNER,
        doc="Deletes the data attached to an item.",
        spec_section="9.4.9",
    ),
)

CONTAINER_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.CONTAINER,
        name="subscribe",
        request=(
            _APP_URL,
            _APP_ID,
            Field(
                "channelType",
                STRING,
                doc="1 = phone line, 2 = folder, 3 = chat line, 4 = action item inbox events.",
            ),
            Field("containerId", STRING, doc="The container ID (phone number, folder name...)."),
        ),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Subscribes to container events and to the item events of that container.",
        spec_section="9.5.1",
    ),
    Operation(
        interface=Interface.CONTAINER,
        name="unsubscribe",
        request=(_APP_URL, _APP_ID),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Ends the application's container subscriptions.",
        spec_section="9.5.2",
    ),
)

PHONE_LINE_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.PHONE_LINE,
        name="getCalls",
        request=(Field("lineNumber", STRING, doc="= containerId: get all calls of this number."),),
        response=(Field("response", "PhoneCall", array=True),),
        owner=Owner.TELEPHONY,
        doc="Gets all existing phone calls of a phone line.",
        spec_section="9.6.1",
    ),
    Operation(
        interface=Interface.PHONE_LINE,
        name="dropCalls",
        request=(Field("lineNumber", STRING, doc="Identifies the phone number."),),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Disconnects all calls of an extension number.",
        spec_section="9.6.2",
    ),
)

PHONE_CALL_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.PHONE_CALL,
        name="getAttributes",
        request=(
            Field("lineNumber", STRING, doc="= containerId: the phone line of the call."),
            _CALL_HANDLE,
        ),
        response=(Field("response", "PhoneCall"),),
        owner=Owner.TELEPHONY,
        doc="Gets the attributes of a specific phone call.",
        spec_section="9.7.1",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="dial",
        request=(
            _LINE_NUMBER,
            Field("callHandle", STRING, doc="= itemId: the created call to dial."),
            Field("dialNumber", STRING, doc="The number to dial."),
        ),
        response=(
            Field("response", STRING, doc="The number dialed (may differ from dialNumber)."),
        ),
        owner=Owner.TELEPHONY,
        doc="Dials a new outbound call; the call handle comes from IciItem.create.",
        spec_section="9.7.2",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="consult",
        request=(
            _LINE_NUMBER,
            Field("callHandle", STRING, doc="= itemId: the created call for the consultation."),
            Field("connCallHandle", STRING, doc="= itemId: the connected call to put on hold."),
            Field("dialNumber", STRING, doc="The number to dial."),
            Field(
                "nextStep",
                INT,
                nillable=False,
                min_occurs=1,
                doc="1 = unknown, 2 = transfer, 3 = conference, 4 = reconnect.",
            ),
        ),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Creates a consultation call from a created call while the connected call is held.",
        spec_section="9.7.3",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="transfer",
        request=(
            _LINE_NUMBER,
            Field("connCallHandle", STRING, doc="= itemId: the connected consultation call."),
            Field("heldCallHandle", STRING, doc="= itemId: the held call to be transferred."),
        ),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Transfers a connected call to another extension number; does not wait.",
        spec_section="9.7.4",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="reconnect",
        request=(
            _LINE_NUMBER,
            Field("connCallHandle", STRING, doc="= itemId: the connected call to disconnect."),
            Field("heldCallHandle", STRING, doc="= itemId: the held call to release."),
        ),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Disconnects a connected call and releases a specific held call.",
        spec_section="9.7.5",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="drop",
        request=(_LINE_NUMBER, Field("callHandle", STRING, doc="= itemId: the call to drop.")),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Disconnects a call.",
        spec_section="9.7.6",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="hold",
        request=(_LINE_NUMBER, Field("callHandle", STRING, doc="= itemId: the call to hold.")),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Puts a connected call on hold.",
        spec_section="9.7.7",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="unhold",
        request=(_LINE_NUMBER, Field("callHandle", STRING, doc="= itemId: the call to release.")),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Releases a held call.",
        spec_section="9.7.8",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="alternate",
        request=(
            _LINE_NUMBER,
            Field("connCallHandle", STRING, doc="= itemId: the connected call to put on hold."),
            Field("heldCallHandle", STRING, doc="= itemId: the held call to release."),
        ),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Toggles between a connected and a held call.",
        spec_section="9.7.9",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="conference",
        request=(
            _LINE_NUMBER,
            Field("connCallHandle", STRING, doc="= itemId: the connected call to add."),
            Field("heldCallHandle", STRING, doc="= itemId: the held call to add."),
        ),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Creates a phone conference from a connected and a held call; events tell which "
        "call survives.",
        spec_section="9.7.10",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="dropParty",
        request=(
            _LINE_NUMBER,
            Field("remoteNumber", STRING, doc="Extension to drop."),
            Field("callHandle", STRING, doc="= itemId: identifies the conference call."),
        ),
        response=_VOID,
        owner=Owner.TELEPHONY,
        doc="Drops another extension from an existing conference call.",
        spec_section="9.7.11",
    ),
)

FOLDER_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.FOLDER,
        name="getMessages",
        request=(Field("folder", STRING, doc="= containerId."),),
        response=(Field("response", "Message", array=True),),
        owner=Owner.MESSAGING,
        doc="Gets the list of messages that are in one folder.",
        spec_section="9.8.1",
    ),
)

MESSAGE_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.MESSAGE,
        name="getAttributes",
        request=(_MESSAGE_ID,),
        response=(Field("response", "Message"),),
        owner=Owner.MESSAGING,
        doc="Gets the message attributes (sender, subject, body text, attachment names...), "
        "without attachment contents.",
        spec_section="9.9.1",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="getContent",
        request=(_MESSAGE_ID,),
        response=(Field("response", STRING, doc="The complete RFC 822 contents of the message."),),
        owner=Owner.MESSAGING,
        doc="Gets the complete native RFC 822 / MIME contents of a message.",
        spec_section="9.9.2",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="setContent",
        request=(
            _MESSAGE_ID,
            Field("content", STRING, doc="The complete RFC 822 contents of the message."),
        ),
        response=_VOID,
        owner=Owner.MESSAGING,
        doc="Sets the complete native RFC 822 / MIME contents of a message.",
        spec_section="9.9.3",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="delete",
        request=(_MESSAGE_ID,),
        response=_VOID,
        owner=Owner.MESSAGING,
        doc="Deletes an existing message.",
        spec_section="9.9.4",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="send",
        request=(
            _MESSAGE_ID,
            _flag("requestSuccessNotification", "Request a delivery notification."),
            _flag("requestFailureNotification", "Request a non-delivery notification."),
        ),
        response=_VOID,
        owner=Owner.MESSAGING,
        doc="Sends the message to the recipients of its header; Bcc lines must be removed.",
        spec_section="9.9.5",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="setActionFlags",
        request=(
            _MESSAGE_ID,
            _flag("read", "The message has been read."),
            _flag("answered", "The message has been answered."),
            _flag("forwarded", "The message has been forwarded."),
        ),
        response=_VOID,
        owner=Owner.MESSAGING,
        doc="Sets the read, answered and forwarded flags of a message.",
        spec_section="9.9.6",
    ),
    # Listed in 7.1 ("end is used with Action channel") and as capability 403 "IciMessage_end
    # (was IciActionItem_end)", but chapter 9 does not define it: the request is inferred from
    # the other IciMessage operations.
    Operation(
        interface=Interface.MESSAGE,
        name="end",
        request=(_MESSAGE_ID,),
        response=_VOID,
        owner=Owner.MESSAGING,
        doc="Ends an action item (capability 403). Undocumented in chapter 9: the messageId "
        "(= itemId) request is inferred.",
        spec_section="7.1",
    ),
)

CHAT_LINE_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.CHAT_LINE,
        name="getSessions",
        request=(
            Field("chatLineId", STRING, doc="= containerId: where chat sessions are assigned."),
        ),
        response=(Field("response", "ChatSession", array=True),),
        owner=Owner.CHAT,
        # The 9.10.1.2 sample request is spelled getSession.
        aliases=("getSession",),
        doc="Gets the chat sessions assigned to a chat line (for recovery after a failure).",
        spec_section="9.10.1",
    ),
)

CHAT_SESSION_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.CHAT_SESSION,
        name="getAttributes",
        request=(_CHAT_SESSION_ID, _CHAT_LINE_ID),
        # 9.11.1.1 says ChatSession[]; the 9.11.1.3 sample answers a single ChatSession.
        response=(Field("response", "ChatSession"),),
        owner=Owner.CHAT,
        doc="Gets all participants and other attributes of an existing chat session.",
        spec_section="9.11.1",
    ),
    Operation(
        interface=Interface.CHAT_SESSION,
        name="invite",
        request=(
            _CHAT_SESSION_ID,
            _CHAT_LINE_ID,
            Field("title", STRING, doc="Title of chat session (optional)."),
            Field(
                "chatParticipants",
                STRING,
                array=True,
                doc="Chat participants being invited.",
            ),
        ),
        response=_VOID,
        owner=Owner.CHAT,
        doc="Initiates a chat session between participants; the item comes from IciItem.create.",
        spec_section="9.11.2",
    ),
    Operation(
        interface=Interface.CHAT_SESSION,
        name="leave",
        request=(_CHAT_SESSION_ID, _CHAT_LINE_ID),
        response=_VOID,
        owner=Owner.CHAT,
        doc="Removes a chat line from a chat session.",
        spec_section="9.11.3",
    ),
    Operation(
        interface=Interface.CHAT_SESSION,
        name="getDialog",
        request=(_CHAT_SESSION_ID,),
        response=(Field("response", "ChatPosting", array=True),),
        owner=Owner.CHAT,
        doc="Gets all chat contributions created so far.",
        spec_section="9.11.4",
    ),
    Operation(
        interface=Interface.CHAT_SESSION,
        name="postMessage",
        request=(
            _CHAT_SESSION_ID,
            Field("chatLineId", STRING, doc="The chat line that makes the contribution."),
            # 9.11.5.1 says contextText; the 9.11.5.2 sample and ChatPosting say contentText.
            Field("contentText", STRING, doc="Post message as text."),
        ),
        response=_VOID,
        owner=Owner.CHAT,
        doc="Sends a chat contribution to the chat session.",
        spec_section="9.11.5",
    ),
)

ACTION_ITEM_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.ACTION_ITEM,
        name="route",
        request=(
            Field("actionItemId", STRING, doc="Not used."),
            Field(
                "itemData",
                "ActionItem",
                doc="actionItemAttributes, maybe requestId and processId; echoed in events.",
            ),
            Field(
                "routingAttributes",
                "Attribute",
                array=True,
                doc="Not used per 9.12.1; 7.3 says it overrides itemData.actionItemAttributes.",
            ),
            Field("scenarioId", STRING, doc="Not used."),
        ),
        response=(Field("response", "ActionItemRouteResult"),),
        owner=Owner.ACTION,
        doc="Routes and queues an application object (e.g. SAP action item) for one agent.",
        spec_section="9.12.1",
    ),
)

# 7.1 lists these four but says "Monitor interface is not documented yet"; only the
# subscription keys of the other subscribe/unsubscribe operations can be inferred.
MONITOR_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.MONITOR,
        name="subscribe",
        request=(_APP_URL, _APP_ID),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Undocumented (7.1: not ready for production); appUrl/appId inferred from the other "
        "subscribe operations.",
        spec_section="7.1",
    ),
    Operation(
        interface=Interface.MONITOR,
        name="getInstances",
        request=(),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Undocumented (7.1: not ready for production); request and response unknown.",
        spec_section="7.1",
    ),
    Operation(
        interface=Interface.MONITOR,
        name="getCatalog",
        request=(),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Undocumented (7.1: not ready for production); request and response unknown.",
        spec_section="7.1",
    ),
    Operation(
        interface=Interface.MONITOR,
        name="unsubscribe",
        request=(_APP_URL, _APP_ID),
        response=_VOID,
        owner=Owner.GATEWAY,
        doc="Undocumented (7.1: not ready for production); appUrl/appId inferred from the other "
        "unsubscribe operations.",
        spec_section="7.1",
    ),
)

OPERATIONS: tuple[Operation, ...] = (
    *SYSTEM_OPERATIONS,
    *USER_OPERATIONS,
    *CONTAINER_OPERATIONS,
    *ITEM_OPERATIONS,
    *PHONE_LINE_OPERATIONS,
    *PHONE_CALL_OPERATIONS,
    *FOLDER_OPERATIONS,
    *MESSAGE_OPERATIONS,
    *CHAT_LINE_OPERATIONS,
    *CHAT_SESSION_OPERATIONS,
    *ACTION_ITEM_OPERATIONS,
    *MONITOR_OPERATIONS,
)

EVENTS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.EVENT,
        name="userChanged",
        request=(_APP_IDS, Field("user", "User", doc="The user's attributes.")),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="Signals a change in the user's properties (workmode, channels, queues...).",
        spec_section="9.3.1",
    ),
    Operation(
        interface=Interface.EVENT,
        name="subscriptionEnded",
        request=(
            _APP_IDS,
            Field(
                "reason",
                "TextElement",
                doc="1 = shut-down, 2 = paused, 3 = subscription timeout.",
            ),
        ),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="Sent when a previously accepted subscription was canceled.",
        spec_section="9.3.2",
    ),
    Operation(
        interface=Interface.EVENT,
        name="containerChanged",
        request=(
            _APP_IDS,
            Field(
                "channelType",
                STRING,
                doc="1 = Phone line, 2 = Folder, 3 = Chat line, 4 = Action item inbox.",
            ),
            Field("containerId", STRING, doc="The ID of the container that has changed."),
            Field("containerStatus", "TextElement", doc="1 = OK, 2 = Failure, 3 = Removed."),
        ),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="Sent if the status of a container has changed.",
        spec_section="9.3.3",
    ),
    Operation(
        interface=Interface.EVENT,
        name="phoneCallChanged",
        request=(_APP_IDS, Field("phoneCall", "PhoneCall", doc="The phone call data.")),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="Signals a new or changed phone call and delivers its data.",
        spec_section="9.3.4",
    ),
    Operation(
        interface=Interface.EVENT,
        name="messageChanged",
        request=(
            _APP_IDS,
            Field("message", "Message", doc="The new, changed or deleted message."),
        ),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="Signals a new, changed or deleted message with small-sized data (no contents).",
        spec_section="9.3.5",
    ),
    Operation(
        interface=Interface.EVENT,
        name="chatChanged",
        request=(_APP_IDS, Field("chatSession", "ChatSession", doc="Changed chat session.")),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="Signals a new or changed chat session.",
        spec_section="9.3.6",
    ),
    Operation(
        interface=Interface.EVENT,
        name="chatNewPosting",
        request=(
            _APP_IDS,
            Field("chatPosting", "ChatPosting", doc="The new chat text, creation date, etc."),
        ),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="Signals a new posting in a chat session, to all subscribed lines including the "
        "poster's.",
        spec_section="9.3.7",
    ),
    Operation(
        interface=Interface.EVENT,
        name="actionItemChanged",
        request=(
            _APP_IDS,
            Field("userIds", STRING, array=True, doc="Not used."),
            Field("actionSession", "ActionSession", doc="Status for the action item."),
            Field("actionItemId", STRING, doc="Id for the action item (used by CRM 7.0)."),
            Field("itemData", "ActionItem", doc="Data of the action item."),
            Field("scenarioId", STRING, doc="Not used (was a TextElement scenario ID)."),
        ),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="Signals a change of an action item and delivers its new data.",
        spec_section="9.3.8",
    ),
    # Listed in 7.1 but not defined in chapter 9; every documented event starts with appIds.
    Operation(
        interface=Interface.EVENT,
        name="monitorDataChanged",
        request=(_APP_IDS,),
        response=_VOID,
        owner=Owner.NOTIFIER,
        doc="IciMonitor event; undocumented: only appIds is inferred, the payload is unknown.",
        spec_section="7.1",
    ),
)
