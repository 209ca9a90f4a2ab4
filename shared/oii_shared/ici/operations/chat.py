"""The IciChatLine and IciChatSession operations (spec 9.10 and 9.11)."""

from __future__ import annotations

from oii_shared.ici.operations._fields import CHAT_LINE_ID, CHAT_SESSION_ID, VOID_RESPONSE
from oii_shared.ici.schema import STRING, Field, Interface, Operation, Owner

CHAT_LINE_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.CHAT_LINE,
        name="getSessions",
        request=(
            Field("chatLineId", STRING, doc="= containerId: where chat sessions are assigned."),
        ),
        response=(Field("response", "ChatSession", array=True),),
        owner=Owner.CHAT,
        # The 9.10.1.2 sample request is spelled getSession.
        aliases=("getSession",),
        doc="Gets the chat sessions assigned to a chat line (for recovery after a failure).",
        spec_section="9.10.1",
    ),
)

CHAT_SESSION_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.CHAT_SESSION,
        name="getAttributes",
        request=(CHAT_SESSION_ID, CHAT_LINE_ID),
        # 9.11.1.1 says ChatSession[]; the 9.11.1.3 sample answers a single ChatSession.
        response=(Field("response", "ChatSession"),),
        owner=Owner.CHAT,
        doc="Gets all participants and other attributes of an existing chat session.",
        spec_section="9.11.1",
    ),
    Operation(
        interface=Interface.CHAT_SESSION,
        name="invite",
        request=(
            CHAT_SESSION_ID,
            CHAT_LINE_ID,
            Field("title", STRING, doc="Title of chat session (optional)."),
            Field(
                "chatParticipants",
                STRING,
                array=True,
                doc="Chat participants being invited.",
            ),
        ),
        response=VOID_RESPONSE,
        owner=Owner.CHAT,
        doc="Initiates a chat session between participants; the item comes from IciItem.create.",
        spec_section="9.11.2",
    ),
    Operation(
        interface=Interface.CHAT_SESSION,
        name="leave",
        request=(CHAT_SESSION_ID, CHAT_LINE_ID),
        response=VOID_RESPONSE,
        owner=Owner.CHAT,
        doc="Removes a chat line from a chat session.",
        spec_section="9.11.3",
    ),
    Operation(
        interface=Interface.CHAT_SESSION,
        name="getDialog",
        request=(CHAT_SESSION_ID,),
        response=(Field("response", "ChatPosting", array=True),),
        owner=Owner.CHAT,
        doc="Gets all chat contributions created so far.",
        spec_section="9.11.4",
    ),
    Operation(
        interface=Interface.CHAT_SESSION,
        name="postMessage",
        request=(
            CHAT_SESSION_ID,
            Field("chatLineId", STRING, doc="The chat line that makes the contribution."),
            # 9.11.5.1 says contextText; the 9.11.5.2 sample and ChatPosting say contentText.
            Field("contentText", STRING, doc="Post message as text."),
        ),
        response=VOID_RESPONSE,
        owner=Owner.CHAT,
        doc="Sends a chat contribution to the chat session.",
        spec_section="9.11.5",
    ),
)
