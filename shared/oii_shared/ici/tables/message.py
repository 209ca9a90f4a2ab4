"""The message capability and status tables (spec 10.13.2, 10.13.3)."""

from __future__ import annotations

from oii_shared.ici.tables.rows import Capability, Status, capabilities, statuses

# 10.13.2
MESSAGE_CAPABILITIES: dict[int, Capability] = capabilities(
    Capability(1, "Accept a new message for processing", "IciItem_accept"),
    Capability(2, "Reroute a message before it is accepted", "IciItem_reroute"),
    Capability(3, "Forward a message to another destination", "IciItem_forward"),
    Capability(4, "Indicate that wrap-up time is required", "IciItem_wrapUpRequired"),
    Capability(5, "Indicate that wrap-up time is ended", "IciItem_wrapUpEnded"),
    Capability(6, "Get attached data", "IciItem_getAttachedData"),
    Capability(7, "Set attached data", "IciItem_setAttachedData"),
    Capability(8, "Delete attached data", "IciItem_deleteAttachedData"),
    Capability(201, "Set message contents", "IciMessage_setContent"),
    Capability(202, "Send message", "IciMessage_send"),
    Capability(203, "Delete message", "IciMessage_delete"),
)

# 10.13.3
MESSAGE_STATUSES: dict[int, Status] = statuses(
    Status(
        1,
        "Created",
        "Initial message created by an ICI application with IciItem_create",
        (6, 7, 8, 201),
    ),
    Status(
        2,
        "New",
        "Inbound message not assigned to an agent (usually waiting in a queue)",
        (),
    ),
    Status(3, "Alerting", "Inbound message signaled to an agent", (1, 2, 3)),
    Status(4, "Ended", "Message deleted (may be archived)", (5,)),
    Status(201, "Accepted", "Inbound message accepted by an agent", (3, 4, 6, 7, 8, 203)),
    Status(202, "Draft", "Message has been saved but not yet sent", (4, 6, 7, 8, 201, 202, 203)),
    Status(203, "Sent", "Message has been sent", (4, 5, 6, 7, 8, 203)),
)
