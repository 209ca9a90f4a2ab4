"""The phone call capability and status tables (spec 10.12.2, 10.12.3)."""

from __future__ import annotations

from oii_shared.ici.tables.rows import Capability, Status, capabilities, statuses

# 10.12.2
PHONE_CALL_CAPABILITIES: dict[int, Capability] = capabilities(
    Capability(1, "Accept (answer) a ringing call", "IciItem_accept"),
    Capability(2, "Reroute a call before it is accepted", "IciItem_reroute"),
    Capability(
        3,
        "Transfer a call to another destination number without consultation "
        "(is equal to deflect or blind transfer)",
        "IciItem_forward",
    ),
    Capability(4, "Indicate that wrap-up time is required", "IciItem_wrapUpRequired"),
    Capability(5, "Indicate that wrap-up time is ended", "IciItem_wrapUpEnded"),
    Capability(6, "Get attached data", "IciItem_getAttachedData"),
    Capability(7, "Set attached data", "IciItem_setAttachedData"),
    Capability(8, "Delete attached data", "IciItem_deleteAttachedData"),
    Capability(101, "Dial (outbound call)", "IciPhoneCall_dial"),
    Capability(102, "Disconnect a call", "IciPhoneCall_drop"),
    Capability(103, "Create a consultation call", "IciPhoneCall_consult"),
    Capability(104, "Transfer a held call to a consulted number", "IciPhoneCall_transfer"),
    Capability(105, "Create a phone conference", "IciPhoneCall_conference"),
    Capability(106, "Drop a party from a phone conference", "IciPhoneCall_dropParty"),
    Capability(107, "Put a call on hold", "IciPhoneCall_hold"),
    Capability(108, "Release a held call", "IciPhoneCall_unhold"),
    Capability(109, "Toggle between a held and connected call", "IciPhoneCall_alternate"),
    Capability(
        110,
        "Disconnect a connected call and release a held call",
        "IciPhoneCall_reconnect",
    ),
    # 7.1: listen and listenEnd are not implemented by OII.
    Capability(111, "Listen to another call", "IciPhoneCall_listen"),
    Capability(112, "End listening another call", "IciPhoneCall_listenEnd"),
)

# 10.12.3
PHONE_CALL_STATUSES: dict[int, Status] = statuses(
    Status(
        1,
        "Created",
        "Initial outbound call created by an ICI application with IciItem_create",
        (6, 7, 8, 101, 102, 103),
    ),
    Status(
        2,
        "New",
        "Inbound call not assigned to any phone line (usually waiting in a queue)",
        (),
    ),
    Status(3, "Alerting", "Inbound call is signaled", (1, 2, 3)),
    Status(4, "Ended", "Disconnected call", (5,)),
    Status(
        101,
        "Connected",
        "Call is connected, parties can talk",
        (3, 4, 6, 7, 8, 102, 104, 105, 107, 109, 110),
    ),
    Status(
        102,
        "Idle",
        "Initial call created by the contact center (e.g. user took the receiver off the hook)",
        (6, 7, 8, 101, 102, 103),
    ),
    Status(103, "Dialing", "Outbound call is dialed", (102,)),
    Status(104, "Ringing", "Outbound call rings", (102,)),
    Status(105, "Busy", "Call is busy (the remote party is busy)", (102,)),
    Status(
        106,
        "Hold",
        "Call is held, on hold status was triggered by this number",
        (4, 6, 7, 8, 102, 103, 104, 105, 108, 109, 110),
    ),
    Status(
        107,
        "Held",
        "Call is held, on hold status was triggered by the remote number",
        (4, 6, 7, 8, 102),
    ),
    # Spelled so in the spec itself (the row is intact in the extraction).
    Status(
        108,
        "ConfereceOwner",
        "Call represents a conference call, established by this number",
        (4, 6, 7, 8, 102, 106, 107),
    ),
    Status(
        109,
        "ConferenceParticipant",
        "Call represents a conference call, established by a remote number",
        (4, 6, 7, 8, 102, 107),
    ),
    Status(110, "Listened", "User (usually a supervisor) listens to a phone call", (112,)),
)
