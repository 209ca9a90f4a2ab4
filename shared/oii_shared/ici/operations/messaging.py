"""The IciFolder and IciMessage operations (spec 9.8 and 9.9)."""

from __future__ import annotations

from oii_shared.ici.operations._fields import MESSAGE_ID, VOID_RESPONSE, flag
from oii_shared.ici.schema import STRING, Field, Interface, Operation, Owner

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
        request=(MESSAGE_ID,),
        response=(Field("response", "Message"),),
        owner=Owner.MESSAGING,
        doc="Gets the message attributes (sender, subject, body text, attachment names...), "
        "without attachment contents.",
        spec_section="9.9.1",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="getContent",
        request=(MESSAGE_ID,),
        response=(Field("response", STRING, doc="The complete RFC 822 contents of the message."),),
        owner=Owner.MESSAGING,
        doc="Gets the complete native RFC 822 / MIME contents of a message.",
        spec_section="9.9.2",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="setContent",
        request=(
            MESSAGE_ID,
            Field("content", STRING, doc="The complete RFC 822 contents of the message."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.MESSAGING,
        doc="Sets the complete native RFC 822 / MIME contents of a message.",
        spec_section="9.9.3",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="delete",
        request=(MESSAGE_ID,),
        response=VOID_RESPONSE,
        owner=Owner.MESSAGING,
        doc="Deletes an existing message.",
        spec_section="9.9.4",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="send",
        request=(
            MESSAGE_ID,
            flag("requestSuccessNotification", "Request a delivery notification."),
            flag("requestFailureNotification", "Request a non-delivery notification."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.MESSAGING,
        doc="Sends the message to the recipients of its header; Bcc lines must be removed.",
        spec_section="9.9.5",
    ),
    Operation(
        interface=Interface.MESSAGE,
        name="setActionFlags",
        request=(
            MESSAGE_ID,
            flag("read", "The message has been read."),
            flag("answered", "The message has been answered."),
            flag("forwarded", "The message has been forwarded."),
        ),
        response=VOID_RESPONSE,
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
        request=(MESSAGE_ID,),
        response=VOID_RESPONSE,
        # The item's channel service: action items are action-svc's (docs/design.md).
        owner=Owner.ITEM_OWNER,
        doc="Ends an action item (capability 403). Undocumented in chapter 9: the messageId "
        "(= itemId) request is inferred.",
        spec_section="7.1",
    ),
)
