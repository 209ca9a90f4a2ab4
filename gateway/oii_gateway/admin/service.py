"""What each admin operation of ``OII.asmx`` does (spec 3.4.1), translated to this suite."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from nats.aio.client import Client as NATS
from nats.js.client import JetStreamContext
from nats.js.kv import KeyValue
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from oii_shared.bus.kv import snapshot
from oii_shared.bus.topology import SUBSCRIPTIONS_BUCKET
from oii_shared.configuration import CONFIG_CHANGED_SUBJECT
from oii_shared.db.models import User
from oii_shared.items.store import live_items
from oii_shared.run_state import RunMode, RunStateFollower, set_run_mode
from oii_shared.service.infrastructure import LOG_LEVEL_SUBJECT
from oii_shared.service.logs import LastErrorHandler, normalize_level
from oii_shared.settings import Settings

log = logging.getLogger(__name__)


class AdminError(Exception):
    """A refused admin request; answered as a 4xx with a JSON error."""


@dataclass(frozen=True, slots=True)
class AdminService:
    settings: Settings
    nats: NATS
    js: JetStreamContext
    system: KeyValue
    engine: AsyncEngine
    run_state: RunStateFollower
    last_error: LastErrorHandler

    async def get_state(self) -> str:
        """ "Connected" when the integration runs and reaches NATS (spec: the Agent Server)."""
        if not self.nats.is_connected:
            return "Not connected"
        return "Stopped" if self.run_state.stopped else "Connected"

    async def enum_items(self) -> str:
        items = sorted(await live_items(self.js), key=lambda item: item[1])
        return "\n".join(f"{item_id}\t{channel.value}" for channel, item_id in items)

    async def enum_clients(self) -> str:
        """The CRM sessions subscribed to events: this suite's clients."""
        return _lines(await snapshot(self.js, SUBSCRIPTIONS_BUCKET))

    async def enum_users(self) -> str:
        async with AsyncSession(self.engine) as session:
            users = (await session.exec(select(User).order_by(User.key))).all()
        return "\n".join(
            f"{user.id}\t{user.name}\tphone={user.phone or ''}\temail={user.email or ''}"
            f"\tchat={user.chat or ''}"
            for user in users
        )

    async def update_settings(self) -> str:
        await self.nats.publish(CONFIG_CHANGED_SUBJECT, b"")
        await self.nats.flush()
        log.warning("configuration reload requested")
        return "OK"

    async def set_log_level(self, level: str) -> str:
        try:
            name = normalize_level(level)
        except ValueError as exc:
            raise AdminError(str(exc)) from None
        await self.nats.publish(LOG_LEVEL_SUBJECT, name.encode())
        await self.nats.flush()
        return name

    async def get_log_path(self) -> str:
        if self.settings.log_file is None:
            return "console (OII_LOG_FILE is not set)"
        return str(self.settings.log_file.resolve())

    async def start(self) -> str:
        return await self._set_mode(RunMode.RUNNING)

    async def stop(self) -> str:
        return await self._set_mode(RunMode.STOPPED)

    async def _set_mode(self, mode: RunMode) -> str:
        await set_run_mode(self.system, mode)
        # The watch is the one writer of the follower: answer once it has brought the change.
        await self.run_state.wait_for(mode)
        return await self.get_state()


def _lines(entries: list[tuple[str, bytes]]) -> str:
    return "\n".join(f"{key}\t{value.decode(errors='replace')}" for key, value in sorted(entries))
