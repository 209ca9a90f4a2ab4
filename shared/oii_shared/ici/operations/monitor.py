"""The undocumented IciMonitor operations that spec 7.1 lists."""

from __future__ import annotations

from oii_shared.ici.operations._fields import APP_ID, APP_URL, VOID_RESPONSE
from oii_shared.ici.schema import Interface, Operation, Owner

# 7.1 lists these four but says "Monitor interface is not documented yet"; only the
# subscription keys of the other subscribe/unsubscribe operations can be inferred.
MONITOR_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        interface=Interface.MONITOR,
        name="subscribe",
        request=(APP_URL, APP_ID),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Undocumented (7.1: not ready for production); appUrl/appId inferred from the other "
        "subscribe operations.",
        spec_section="7.1",
    ),
    Operation(
        interface=Interface.MONITOR,
        name="getInstances",
        request=(),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Undocumented (7.1: not ready for production); request and response unknown.",
        spec_section="7.1",
    ),
    Operation(
        interface=Interface.MONITOR,
        name="getCatalog",
        request=(),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Undocumented (7.1: not ready for production); request and response unknown.",
        spec_section="7.1",
    ),
    Operation(
        interface=Interface.MONITOR,
        name="unsubscribe",
        request=(APP_URL, APP_ID),
        response=VOID_RESPONSE,
        owner=Owner.GATEWAY,
        doc="Undocumented (7.1: not ready for production); appUrl/appId inferred from the other "
        "unsubscribe operations.",
        spec_section="7.1",
    ),
)
