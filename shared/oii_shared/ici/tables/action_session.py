"""The action session capability and status tables (spec 10.16.2, 10.16.3)."""

from __future__ import annotations

from oii_shared.ici.tables.rows import Capability, Status, capabilities, statuses

# 10.16.2
ACTION_SESSION_CAPABILITIES: dict[int, Capability] = capabilities(
    Capability(1, "Accept a new action item for processing", "IciItem_accept"),
    Capability(2, "Reroute an action item before it is accepted", "IciItem_reroute"),
    Capability(3, "Forward an action item to another destination", "IciItem_forward"),
    Capability(4, "Indicate that wrap-up time is required", "IciItem_wrapUpRequired"),
    Capability(5, "Indicate that wrap-up time is ended", "IciItem_wrapUpEnded"),
    Capability(6, "Get attached data", "IciItem_getAttachedData"),
    Capability(7, "Set attached data", "IciItem_setAttachedData"),
    Capability(8, "Delete attached data", "IciItem_deleteAttachedData"),
    Capability(401, "Enqueue (not implemented)", "IciActionItem_enqueue"),
    Capability(
        402,
        "Route (this actually creates the action item, so this capability is not used)",
        "IciActionItem_route",
    ),
    # Printed as "IciMessage_end (was IciActionItem_end)"; the method part is kept.
    Capability(403, "End", "IciMessage_end"),
)

# 10.16.3
ACTION_SESSION_STATUSES: dict[int, Status] = statuses(
    Status(
        1,
        "Created",
        "Action Item created by an ICI application with IciItem_create "
        "(not used, instead IciActionItem_route is used)",
        (6, 7, 8, 401, 402, 403),
    ),
    Status(
        2,
        "New",
        "Action Item not assigned to an agent (usually waiting in a queue)",
        (),
    ),
    Status(3, "Alerting", "Action Item signaled to an agent", (1, 2, 3, 6)),
    Status(4, "Ended", "Ended Action Item", (5,)),
    Status(401, "Accepted", "Action Item accepted by an agent", (3, 4, 6, 7, 8, 403)),
)
