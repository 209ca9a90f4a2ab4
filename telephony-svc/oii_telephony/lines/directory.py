"""The configuration telephony works with: phone lines and their agents, phone queues, parameters.

Derived from each snapshot of the process's configuration (``infra.configuration``,
loaded at start and on every UpdateSettings), so no request pays a database round trip.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from oii_shared.channels import Channel
from oii_shared.config.parameters import ModuleParameters
from oii_shared.configuration import Configuration
from oii_shared.db.models import user_key
from oii_shared.db.repository import (
    QueueRecord,
    UserRecord,
)
from oii_shared.items.wrapup import WrapUpPolicy
from oii_shared.routing.config import RoutingConfig
from oii_shared.soap.faults import Errors, IciFault
from oii_telephony.numbers import NumberRules

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Snapshot:
    users: dict[str, UserRecord] = field(default_factory=dict)  # by user_key
    lines: dict[str, UserRecord] = field(default_factory=dict)  # by phone line
    queues: dict[str, QueueRecord] = field(default_factory=dict)  # phone queues by casefold id
    parameters: ModuleParameters = field(default_factory=lambda: ModuleParameters({}))
    routing: RoutingConfig = field(default_factory=lambda: RoutingConfig(Channel.PHONE))
    wrap_up: WrapUpPolicy = field(default_factory=WrapUpPolicy)


class Directory:
    def __init__(self) -> None:
        self._snapshot = Snapshot()
        self.numbers = NumberRules()

    def apply(self, configuration: Configuration) -> tuple[set[str], set[str]]:
        """Take a new configuration; returns the phone lines added and removed."""
        users = configuration.users
        queues = [queue for queue in configuration.queues if queue.channel is Channel.PHONE]
        parameters = configuration.parameters
        old_lines = set(self._snapshot.lines)
        self._snapshot = Snapshot(
            users={user_key(user.id): user for user in users},
            lines={user.phone: user for user in users if user.phone},
            queues={queue.id.casefold(): queue for queue in queues},
            parameters=parameters,
            routing=RoutingConfig.of(configuration, Channel.PHONE, _phone_line),
            wrap_up=WrapUpPolicy.from_parameters(parameters),
        )
        self.numbers = NumberRules.from_parameters(parameters)
        new_lines = set(self._snapshot.lines)
        log.info("telephony configuration: %d lines, %d phone queues", len(new_lines), len(queues))
        return new_lines - old_lines, old_lines - new_lines

    @property
    def routing(self) -> RoutingConfig:
        """What the dispatcher needs: the agents with a phone line, the queues, the room."""
        return self._snapshot.routing

    @property
    def wrap_up(self) -> WrapUpPolicy:
        """OII.RequestedWrapUp and OII.Afterwork, as the kit applies them to every channel."""
        return self._snapshot.wrap_up

    @property
    def parameters(self) -> ModuleParameters:
        return self._snapshot.parameters

    def flag(self, name: str) -> bool:
        return self._snapshot.parameters.flag(name)

    def user(self, user_id: str) -> UserRecord | None:
        return self._snapshot.users.get(user_key(user_id))

    def user_of_line(self, line: str) -> UserRecord | None:
        return self._snapshot.lines.get(line)

    def line_of(self, user_id: str) -> str | None:
        user = self.user(user_id)
        return user.phone if user is not None else None

    def queue(self, queue_id: str) -> QueueRecord | None:
        return self._snapshot.queues.get(queue_id.strip().casefold())

    @property
    def queues(self) -> list[QueueRecord]:
        return list(self._snapshot.queues.values())

    @property
    def lines(self) -> list[str]:
        return list(self._snapshot.lines)

    def known_line(self, value: object) -> str:
        """The configured phone line ``value`` names, or a Client fault."""
        line = str(value if value is not None else "").strip()
        if not line:
            raise IciFault(Errors.MISSING_ARGUMENT, "lineNumber is required")
        if line not in self._snapshot.lines:
            raise IciFault(Errors.UNKNOWN_PHONE_LINE, f"no phone line {line}")
        return line


def _phone_line(user: UserRecord) -> str | None:
    return user.phone or None
