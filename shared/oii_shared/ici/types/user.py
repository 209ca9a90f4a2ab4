"""The ICI User type (spec 10.10)."""

from __future__ import annotations

from oii_shared.ici.schema import INT, STRING, ComplexType, Field

USER = ComplexType(
    name="User",
    doc="All attributes of a user (10.10).",
    fields=(
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        Field("userId", STRING, doc="Identifies the user; must not contain slashes."),
        Field("currentWorkmode", "TextElement", doc="The current workmode of the user."),
        Field(
            "workmodes",
            "TextElement",
            array=True,
            doc="All workmodes the user is allowed to set.",
        ),
        Field(
            "wrapUpMode",
            INT,
            nillable=False,
            min_occurs=1,
            doc="1 = automatic wrap up status, 2 = requested wrap up status.",
        ),
        Field(
            "currentChannels",
            "TextElement",
            array=True,
            doc="The channels enabled for this user.",
        ),
        Field(
            "channels",
            "TextElement",
            array=True,
            doc="The channels the user is allowed to use.",
        ),
        Field(
            "currentQueues",
            "TextElement",
            array=True,
            doc="The queues the user is currently assigned to.",
        ),
        Field(
            "queues",
            "TextElement",
            array=True,
            doc="The queues the user is allowed to assign to.",
        ),
        Field(
            "addresses",
            "Address",
            array=True,
            doc="The channel-specific addresses of the user.",
        ),
        # The sub-element list says "cmdHostId"; the schema says cmsHostId. The 9.2.1.3 sample
        # of IciUser.getAttributes sends it as a sibling of <response>, not inside the User.
        Field(
            "cmsHostId",
            STRING,
            min_occurs=1,
            doc="Identifies the OII instance (OII module GUID).",
        ),
    ),
)
