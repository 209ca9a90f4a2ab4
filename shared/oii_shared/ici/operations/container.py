"""The IciContainer operations (spec 9.5)."""

from __future__ import annotations

from oii_shared.ici.operations._fields import APP_ID, APP_URL, VOID_RESPONSE
from oii_shared.ici.schema import STRING, Field, Interface, Operation, Owner

CONTAINER_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.CONTAINER,
        name="subscribe",
        request=(
            APP_URL,
            APP_ID,
            Field(
                "channelType",
                STRING,
                doc="1 = phone line, 2 = folder, 3 = chat line, 4 = action item inbox events.",
            ),
            Field("containerId", STRING, doc="The container ID (phone number, folder name...)."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Subscribes to container events and to the item events of that container.",
        spec_section="9.5.1",
    ),
    Operation(
        interface=Interface.CONTAINER,
        name="unsubscribe",
        request=(APP_URL, APP_ID),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Ends the application's container subscriptions.",
        spec_section="9.5.2",
    ),
)
