"""The OII module GUID: CRM's cmsHostId (9.2.1), the same from every gateway, forever."""

from __future__ import annotations

import uuid

from nats.js.kv import KeyValue

from oii_shared.bus.kv import first_written

MODULE_GUID_KEY = "module_guid"


async def module_guid(system: KeyValue) -> str:
    """Read the GUID from the system bucket, creating it if nobody has (first writer wins)."""
    # 32 hex digits as in the 9.2.1.3 sample.
    value = await first_written(system, MODULE_GUID_KEY, lambda: uuid.uuid4().hex.upper().encode())
    return value.decode().strip()
