"""The IciActionItem operations (spec 9.12)."""

from __future__ import annotations

from oii_shared.ici.schema import STRING, Field, Interface, Operation, Owner

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
