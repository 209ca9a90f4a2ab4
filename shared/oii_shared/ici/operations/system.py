"""The IciSystem operations (spec 9.1)."""

from __future__ import annotations

from oii_shared.ici.operations._fields import CHANNEL_TYPE
from oii_shared.ici.schema import STRING, Field, Interface, Operation, Owner

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
            CHANNEL_TYPE,
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
