"""The IciPhoneLine and IciPhoneCall operations (spec 9.6 and 9.7)."""

from __future__ import annotations

from oii_shared.ici.operations._fields import CALL_HANDLE, LINE_NUMBER, VOID_RESPONSE
from oii_shared.ici.schema import INT, STRING, Field, Interface, Operation, Owner

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
        response=VOID_RESPONSE,
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
            CALL_HANDLE,
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
            LINE_NUMBER,
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
            LINE_NUMBER,
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
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Creates a consultation call from a created call while the connected call is held.",
        spec_section="9.7.3",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="transfer",
        request=(
            LINE_NUMBER,
            Field("connCallHandle", STRING, doc="= itemId: the connected consultation call."),
            Field("heldCallHandle", STRING, doc="= itemId: the held call to be transferred."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Transfers a connected call to another extension number; does not wait.",
        spec_section="9.7.4",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="reconnect",
        request=(
            LINE_NUMBER,
            Field("connCallHandle", STRING, doc="= itemId: the connected call to disconnect."),
            Field("heldCallHandle", STRING, doc="= itemId: the held call to release."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Disconnects a connected call and releases a specific held call.",
        spec_section="9.7.5",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="drop",
        request=(LINE_NUMBER, Field("callHandle", STRING, doc="= itemId: the call to drop.")),
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Disconnects a call.",
        spec_section="9.7.6",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="hold",
        request=(LINE_NUMBER, Field("callHandle", STRING, doc="= itemId: the call to hold.")),
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Puts a connected call on hold.",
        spec_section="9.7.7",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="unhold",
        request=(LINE_NUMBER, Field("callHandle", STRING, doc="= itemId: the call to release.")),
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Releases a held call.",
        spec_section="9.7.8",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="alternate",
        request=(
            LINE_NUMBER,
            Field("connCallHandle", STRING, doc="= itemId: the connected call to put on hold."),
            Field("heldCallHandle", STRING, doc="= itemId: the held call to release."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Toggles between a connected and a held call.",
        spec_section="9.7.9",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="conference",
        request=(
            LINE_NUMBER,
            Field("connCallHandle", STRING, doc="= itemId: the connected call to add."),
            Field("heldCallHandle", STRING, doc="= itemId: the held call to add."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Creates a phone conference from a connected and a held call; events tell which "
        "call survives.",
        spec_section="9.7.10",
    ),
    Operation(
        interface=Interface.PHONE_CALL,
        name="dropParty",
        request=(
            LINE_NUMBER,
            Field("remoteNumber", STRING, doc="Extension to drop."),
            Field("callHandle", STRING, doc="= itemId: identifies the conference call."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.TELEPHONY,
        doc="Drops another extension from an existing conference call.",
        spec_section="9.7.11",
    ),
)
