"""The IciItem operations (spec 9.4)."""

from __future__ import annotations

from oii_shared.ici.operations._fields import (
    CHANNEL_TYPE,
    ITEM_CONTAINER_ID,
    ITEM_ID,
    VOID_RESPONSE,
)
from oii_shared.ici.schema import STRING, Field, Interface, Operation, Owner

ITEM_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.ITEM,
        name="create",
        request=(
            CHANNEL_TYPE,
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
        request=(ITEM_ID,),
        response=VOID_RESPONSE,
        owner=Owner.ITEM_OWNER,
        doc="Tells that wrap-up work is required: the item goes to Wrap up when its current "
        "processing ends (requested wrap up mode only).",
        spec_section="9.4.2",
    ),
    Operation(
        interface=Interface.ITEM,
        name="wrapUpEnded",
        request=(ITEM_ID,),
        response=VOID_RESPONSE,
        owner=Owner.ITEM_OWNER,
        doc="Tells that wrap-up work has finished; the item status changes to Not in process.",
        spec_section="9.4.3",
    ),
    Operation(
        interface=Interface.ITEM,
        name="accept",
        request=(ITEM_ID, ITEM_CONTAINER_ID),
        response=VOID_RESPONSE,
        owner=Owner.ITEM_OWNER,
        doc="The user accepts an assigned item; processing status becomes active (a call is "
        "connected).",
        spec_section="9.4.4",
    ),
    Operation(
        interface=Interface.ITEM,
        name="reroute",
        request=(ITEM_ID, ITEM_CONTAINER_ID),
        response=VOID_RESPONSE,
        owner=Owner.ITEM_OWNER,
        doc="The user does not accept an assigned item; reroute it to someone else.",
        spec_section="9.4.5",
    ),
    Operation(
        interface=Interface.ITEM,
        name="forward",
        request=(
            ITEM_ID,
            Field("containerId", STRING, doc="The container the item is transferred from."),
            Field(
                "destType",
                STRING,
                doc="1 = Phone line, 2 = Folder, 3 = Chat line, 4 = Action item inbox, 12 = Queue.",
            ),
            Field("destination", STRING, doc="The container ID or the queue ID."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.ITEM_OWNER,
        doc="Forwards an item to another user (identified by the container) or to a queue.",
        spec_section="9.4.6",
    ),
    Operation(
        interface=Interface.ITEM,
        name="getAttachedData",
        request=(ITEM_ID,),
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
            ITEM_ID,
            Field("attachedData", STRING, doc="XML document of attached data; may be empty."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.ITEM_OWNER,
        doc="Sets the attached data for an item.",
        spec_section="9.4.8",
    ),
    Operation(
        interface=Interface.ITEM,
        name="deleteAttachedData",
        request=(ITEM_ID,),
        response=VOID_RESPONSE,
        owner=Owner.ITEM_OWNER,
        doc="Deletes the data attached to an item.",
        spec_section="9.4.9",
    ),
)
