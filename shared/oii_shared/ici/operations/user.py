"""The IciUser operations (spec 9.2)."""

from __future__ import annotations

from oii_shared.ici.operations._fields import APP_ID, APP_URL, USER_ID, VOID_RESPONSE
from oii_shared.ici.schema import STRING, Field, Interface, Operation, Owner

USER_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.USER,
        name="getAttributes",
        request=(
            Field("userId", STRING, doc="Identifies the user; must match the Contact Center ID."),
            # Not in the 9.2.1.2 sample; the definition table adds it as optional (CC 7 SP4).
            Field("cmsPing", STRING, doc="TRUE: CRM only tests that the CMS is alive."),
        ),
        response=(
            Field("response", "User"),
            Field("cmsHostId", STRING, doc="Identifies the CMS system (OII module GUID)."),
        ),
        owner=Owner.GATEWAY,
        doc="Called when a user logs into IC WebClient; returns the user's attributes.",
        spec_section="9.2.1",
    ),
    Operation(
        interface=Interface.USER,
        name="setCurrentWorkmode",
        request=(USER_ID, Field("workmode", STRING, doc="The workmode to be set.")),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        # Chapter 7.1 lists this operation as setWorkmode.
        aliases=("setWorkmode",),
        doc="Sets the workmode for a user.",
        spec_section="9.2.2",
    ),
    Operation(
        interface=Interface.USER,
        name="setCurrentChannels",
        request=(
            USER_ID,
            Field("channels", STRING, array=True, doc="The channels enabled for this user."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Enables or disables channels for the user; currently does nothing in Cctr.",
        spec_section="9.2.3",
    ),
    Operation(
        interface=Interface.USER,
        name="setCurrentQueues",
        request=(
            USER_ID,
            Field("queues", STRING, array=True, doc="The queues the user is assigned to."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Sets the queues the user must be assigned to; does nothing unless "
        "ICIUSER_SETCURRENTQUEUES is enabled.",
        spec_section="9.2.4",
    ),
    Operation(
        interface=Interface.USER,
        name="setAddresses",
        request=(
            USER_ID,
            Field("addresses", "Address", array=True, doc="The addresses for the user."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Sets the channel-specific addresses for the user.",
        spec_section="9.2.5",
    ),
    Operation(
        interface=Interface.USER,
        name="subscribe",
        request=(
            APP_URL,
            APP_ID,
            Field("userId", STRING, doc="The user ID of the user to be monitored."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Subscribes an application (appUrl + appId) to the user's events.",
        spec_section="9.2.6",
    ),
    Operation(
        interface=Interface.USER,
        name="unsubscribe",
        request=(APP_URL, APP_ID),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Ends the application's user event subscription.",
        spec_section="9.2.7",
    ),
)
