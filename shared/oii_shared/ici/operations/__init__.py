"""Every ICI operation of spec chapter 9 (and the undocumented ones that chapter 7.1 lists).

``request`` follows the order of each sample request envelope; ``response`` lists the children
of ``<nameResponse>`` in the sample response. Void operations answer an empty
``<response />`` as every void sample of chapter 9 does; only updateCallBack's sample has none.
"""

from __future__ import annotations

from oii_shared.ici.operations.action import ACTION_ITEM_OPERATIONS
from oii_shared.ici.operations.chat import CHAT_LINE_OPERATIONS, CHAT_SESSION_OPERATIONS
from oii_shared.ici.operations.container import CONTAINER_OPERATIONS
from oii_shared.ici.operations.events import EVENTS
from oii_shared.ici.operations.item import ITEM_OPERATIONS
from oii_shared.ici.operations.messaging import FOLDER_OPERATIONS, MESSAGE_OPERATIONS
from oii_shared.ici.operations.monitor import MONITOR_OPERATIONS
from oii_shared.ici.operations.system import SYSTEM_OPERATIONS
from oii_shared.ici.operations.telephony import PHONE_CALL_OPERATIONS, PHONE_LINE_OPERATIONS
from oii_shared.ici.operations.user import USER_OPERATIONS
from oii_shared.ici.schema import Operation

__all__ = [
    "ACTION_ITEM_OPERATIONS",
    "CHAT_LINE_OPERATIONS",
    "CHAT_SESSION_OPERATIONS",
    "CONTAINER_OPERATIONS",
    "EVENTS",
    "FOLDER_OPERATIONS",
    "ITEM_OPERATIONS",
    "MESSAGE_OPERATIONS",
    "MONITOR_OPERATIONS",
    "OPERATIONS",
    "PHONE_CALL_OPERATIONS",
    "PHONE_LINE_OPERATIONS",
    "SYSTEM_OPERATIONS",
    "USER_OPERATIONS",
]

OPERATIONS: tuple[Operation, ...] = (
    *SYSTEM_OPERATIONS,
    *USER_OPERATIONS,
    *CONTAINER_OPERATIONS,
    *ITEM_OPERATIONS,
    *PHONE_LINE_OPERATIONS,
    *PHONE_CALL_OPERATIONS,
    *FOLDER_OPERATIONS,
    *MESSAGE_OPERATIONS,
    *CHAT_LINE_OPERATIONS,
    *CHAT_SESSION_OPERATIONS,
    *ACTION_ITEM_OPERATIONS,
    *MONITOR_OPERATIONS,
)
