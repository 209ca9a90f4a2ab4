"""The chat session capability and status tables (spec 10.14.2, 10.14.3)."""

from __future__ import annotations

from oii_shared.ici.tables.rows import Capability, Status, capabilities, statuses

# 10.14.2
CHAT_SESSION_CAPABILITIES: dict[int, Capability] = capabilities(
    Capability(1, "Accept a new chat session for processing", "IciItem_accept"),
    Capability(2, "Reroute a chat session before it is accepted", "IciItem_reroute"),
    Capability(3, "Forward a chat session to another destination", "IciItem_forward"),
    Capability(4, "Indicate that wrap-up time is required", "IciItem_wrapUpRequired"),
    Capability(5, "Indicate that wrap-up time is ended", "IciItem_wrapUpEnded"),
    Capability(6, "Get attached data", "IciItem_getAttachedData"),
    Capability(7, "Set attached data", "IciItem_setAttachedData"),
    Capability(8, "Delete attached data", "IciItem_deleteAttachedData"),
    Capability(301, "Leave a chat session", "IciChatSession_leave"),
    Capability(
        302,
        "Join an existing chat session not signaled via event (not implemented)",
        "IciChatSession_join",
    ),
    Capability(
        303,
        "Start a conference chat session (not implemented)",
        "IciChatSession_conference",
    ),
    Capability(304, "Post a message to the chat session", "IciChatSession_postMessage"),
    Capability(305, "Invite participants in a chat session", "IciChatSession_invite"),
)

# 10.14.3
CHAT_SESSION_STATUSES: dict[int, Status] = statuses(
    Status(
        1,
        "Created",
        "Initial chat session created by an ICI application with IciItem_create",
        (6, 7, 8, 302, 305),
    ),
    Status(
        2,
        "New",
        "Chat session not assigned to any chat line (usually waiting in a queue)",
        (),
    ),
    Status(3, "Alerting", "Inbound chat session is signaled", (1, 2, 3)),
    Status(4, "Ended", "Ended chat session", (5,)),
    Status(
        301,
        "Connected",
        "Chat session is connected, parties can talk",
        (3, 4, 6, 7, 8, 301, 302, 303, 304),
    ),
    Status(
        302,
        "Inviting",
        "Chat session participants are being invited "
        "(equivalent to status \u201cringing\u201d in telephony)",
        (301,),
    ),
)
