"""The ICI action routing types: ActionSession, ActionItem and the route answer."""

from __future__ import annotations

from oii_shared.ici.schema import INT, STRING, ComplexType, Field

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

# No schema in chapter 10: 9.12.1.1 says the answer is String <actionItemId>, but the 9.12.1.3
# sample wraps it as <response><actionItemID>, so the sample's shape is kept.
ACTION_ITEM_ROUTE_RESULT = ComplexType(
    name="ActionItemRouteResult",
    doc="Answer of IciActionItem.route (9.12.1) as the sample response shows it.",
    fields=(Field("actionItemID", STRING, doc="Used in CRM 7.0 to identify the action item."),),
)
