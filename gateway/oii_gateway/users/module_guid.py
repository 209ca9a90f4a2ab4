"""The OII module GUID: CRM's cmsHostId (9.2.1), the same from every gateway, forever."""

from __future__ import annotations

import uuid

from nats.js.errors import APIError, KeyNotFoundError
from nats.js.kv import KeyValue

from oii_shared.bus.kv import is_conflict

MODULE_GUID_KEY = "module_guid"


async def module_guid(system: KeyValue) -> str:
    """Read the GUID from the system bucket, creating it if nobody has (first writer wins)."""
    stored = await _read(system)
    if stored:
        return stored
    guid = uuid.uuid4().hex.upper()  # 32 hex digits as in the 9.2.1.3 sample
    try:
        await system.create(MODULE_GUID_KEY, guid.encode())
    except APIError as error:
        if not is_conflict(error):
            raise
        # Another gateway created it between our read and our create.
        stored = await _read(system)
        if stored:
            return stored
        raise
    return guid


async def _read(system: KeyValue) -> str | None:
    try:
        entry = await system.get(MODULE_GUID_KEY)
    except KeyNotFoundError:
        return None
    return entry.value.decode().strip() if entry.value else None
