"""The IciEvent operations the notifier sends to CRM (spec 9.3)."""

from __future__ import annotations

from oii_shared.ici.operations._fields import APP_IDS, VOID_RESPONSE
from oii_shared.ici.schema import STRING, Field, Interface, Operation, Owner

EVENTS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.EVENT,
        name="userChanged",
        request=(APP_IDS, Field("user", "User", doc="The user's attributes.")),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="Signals a change in the user's properties (workmode, channels, queues...).",
        spec_section="9.3.1",
    ),
    Operation(
        interface=Interface.EVENT,
        name="subscriptionEnded",
        request=(
            APP_IDS,
            Field(
                "reason",
                "TextElement",
                doc="1 = shut-down, 2 = paused, 3 = subscription timeout.",
            ),
        ),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="Sent when a previously accepted subscription was canceled.",
        spec_section="9.3.2",
    ),
    Operation(
        interface=Interface.EVENT,
        name="containerChanged",
        request=(
            APP_IDS,
            Field(
                "channelType",
                STRING,
                doc="1 = Phone line, 2 = Folder, 3 = Chat line, 4 = Action item inbox.",
            ),
            Field("containerId", STRING, doc="The ID of the container that has changed."),
            Field("containerStatus", "TextElement", doc="1 = OK, 2 = Failure, 3 = Removed."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="Sent if the status of a container has changed.",
        spec_section="9.3.3",
    ),
    Operation(
        interface=Interface.EVENT,
        name="phoneCallChanged",
        request=(APP_IDS, Field("phoneCall", "PhoneCall", doc="The phone call data.")),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="Signals a new or changed phone call and delivers its data.",
        spec_section="9.3.4",
    ),
    Operation(
        interface=Interface.EVENT,
        name="messageChanged",
        request=(
            APP_IDS,
            Field("message", "Message", doc="The new, changed or deleted message."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="Signals a new, changed or deleted message with small-sized data (no contents).",
        spec_section="9.3.5",
    ),
    Operation(
        interface=Interface.EVENT,
        name="chatChanged",
        request=(APP_IDS, Field("chatSession", "ChatSession", doc="Changed chat session.")),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="Signals a new or changed chat session.",
        spec_section="9.3.6",
    ),
    Operation(
        interface=Interface.EVENT,
        name="chatNewPosting",
        request=(
            APP_IDS,
            Field("chatPosting", "ChatPosting", doc="The new chat text, creation date, etc."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="Signals a new posting in a chat session, to all subscribed lines including the "
        "poster's.",
        spec_section="9.3.7",
    ),
    Operation(
        interface=Interface.EVENT,
        name="actionItemChanged",
        request=(
            APP_IDS,
            Field("userIds", STRING, array=True, doc="Not used."),
            Field("actionSession", "ActionSession", doc="Status for the action item."),
            Field("actionItemId", STRING, doc="Id for the action item (used by CRM 7.0)."),
            Field("itemData", "ActionItem", doc="Data of the action item."),
            Field("scenarioId", STRING, doc="Not used (was a TextElement scenario ID)."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="Signals a change of an action item and delivers its new data.",
        spec_section="9.3.8",
    ),
    # Listed in 7.1 but not defined in chapter 9; every documented event starts with appIds.
    Operation(
        interface=Interface.EVENT,
        name="monitorDataChanged",
        request=(APP_IDS,),
        response=VOID_RESPONSE,
        owner=Owner.NOTIFIER,
        doc="IciMonitor event; undocumented: only appIds is inferred, the payload is unknown.",
        spec_section="7.1",
    ),
)
