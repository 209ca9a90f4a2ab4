"""The small ICI types several others use: TextElement, Address, Attribute, Void."""

from __future__ import annotations

from oii_shared.ici.schema import STRING, VOID, ComplexType, Field

TEXT_ELEMENT = ComplexType(
    name="TextElement",
    doc="A text ID and its description (spec 10.1).",
    fields=(
        # The schema has "message" although the sub-element list of 10.1.1 does not.
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        Field("id", STRING, doc="The text ID."),
        Field("description", STRING, doc="The actual text."),
    ),
)


def text_element(element_id: object, description: str) -> dict[str, str]:
    """A TextElement's value as handlers and events send it."""
    return {"id": str(element_id), "description": description}


ADDRESS = ComplexType(
    name="Address",
    doc="A channel-specific address of a user (10.9).",
    fields=(
        Field("message", STRING, doc="Error or info message; not in the sub-element list."),
        # The sub-element list has channel before address; the schema order is kept.
        Field("address", STRING, doc='The address, e.g. "+123" or name@domain.com.'),
        Field("channel", STRING, doc="1 = phone call, 2 = message."),
    ),
)

ATTRIBUTE = ComplexType(
    name="Attribute",
    doc="A general name/value attribute of an action item (10.18).",
    fields=(
        Field("id", STRING, min_occurs=1, doc="Name of attribute."),
        Field("description", STRING, min_occurs=1, doc="Value of attribute."),
    ),
)

VOID_TYPE = ComplexType(name=VOID, doc="The empty <response /> of a void operation.", fields=())
