"""The ICI content types of spec chapter 10, plus the structures chapter 9 uses without a schema.

Field names, order, nillable and minOccurs follow the XML schema of each type. A schema element
without ``nillable``/``minOccurs`` (booleans and ints) is ``nillable=False, min_occurs=1``; a
``minOccurs="0"`` element of an ``xs:sequence`` without ``nillable`` is ``nillable=False``.
"""

from __future__ import annotations

from oii_shared.ici.schema import ComplexType
from oii_shared.ici.types.action import ACTION_ITEM, ACTION_ITEM_ROUTE_RESULT, ACTION_SESSION
from oii_shared.ici.types.chat import CHAT_POSTING, CHAT_SESSION
from oii_shared.ici.types.common import ADDRESS, ATTRIBUTE, TEXT_ELEMENT, VOID_TYPE
from oii_shared.ici.types.items import ITEM, MESSAGE, PHONE_CALL
from oii_shared.ici.types.system import (
    CALL_BACK,
    CALL_RECORDING,
    COLLABORATION_DATA,
    GROUP_INFO,
    PRESENCE_QUEUE_INFO,
    PRODUCT_INFORMATION,
    QUEUE_INFO,
    USER_PRESENCE_INFO,
    WORKCENTER_CAPABILITY,
)
from oii_shared.ici.types.user import USER

__all__ = [
    "ACTION_ITEM",
    "ACTION_ITEM_ROUTE_RESULT",
    "ACTION_SESSION",
    "ADDRESS",
    "ATTRIBUTE",
    "CALL_BACK",
    "CALL_RECORDING",
    "CHAT_POSTING",
    "CHAT_SESSION",
    "COLLABORATION_DATA",
    "GROUP_INFO",
    "ITEM",
    "MESSAGE",
    "PHONE_CALL",
    "PRESENCE_QUEUE_INFO",
    "PRODUCT_INFORMATION",
    "QUEUE_INFO",
    "TEXT_ELEMENT",
    "TYPES",
    "USER",
    "USER_PRESENCE_INFO",
    "VOID_TYPE",
    "WORKCENTER_CAPABILITY",
]

TYPES: dict[str, ComplexType] = {
    t.name: t
    for t in (
        VOID_TYPE,
        TEXT_ELEMENT,
        PRODUCT_INFORMATION,
        QUEUE_INFO,
        GROUP_INFO,
        USER_PRESENCE_INFO,
        COLLABORATION_DATA,
        CALL_RECORDING,
        CALL_BACK,
        ADDRESS,
        USER,
        ITEM,
        PHONE_CALL,
        MESSAGE,
        CHAT_SESSION,
        CHAT_POSTING,
        ACTION_SESSION,
        ACTION_ITEM,
        ATTRIBUTE,
        WORKCENTER_CAPABILITY,
        PRESENCE_QUEUE_INFO,
        ACTION_ITEM_ROUTE_RESULT,
    )
}
