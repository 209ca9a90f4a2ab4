"""Configuration changes (admin UpdateSettings): telephony's lines follow, and the
subscribers of lines that appeared or went hear it (containerChanged OK / Removed)."""

from __future__ import annotations

from oii_shared.configuration import Configuration, Listener
from oii_shared.ici.tables import ContainerStatus
from oii_telephony.calls.events import CallEvents
from oii_telephony.lines.directory import Directory


def lines_follow(directory: Directory, events: CallEvents) -> Listener:
    async def apply(configuration: Configuration) -> None:
        added, removed = directory.apply(configuration)
        for line in sorted(added):
            await events.line_status(line, ContainerStatus.OK)
        for line in sorted(removed):
            await events.line_status(line, ContainerStatus.REMOVED)

    return apply
