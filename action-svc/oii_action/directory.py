"""What the action channel reads of the configuration, one snapshot at a time.

The queues an action item can wait in are the ACTION queue and the e-mail
queues (4.7.3); the agents are the users with the action channel, each with an
inbox whose containerId is their user id (docs/design.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from oii_shared.channels import Channel
from oii_shared.config.schema import ACTION_QUEUE_ID
from oii_shared.configuration import Configuration
from oii_shared.db.models import user_key
from oii_shared.db.repository import QueueRecord, UserRecord
from oii_shared.items.wrapup import WrapUpPolicy
from oii_shared.routing.config import RoutingConfig
from oii_shared.soap.faults import Errors, IciFault

log = logging.getLogger(__name__)


def inbox_of(user: UserRecord) -> str:
    return user.id


@dataclass(frozen=True, slots=True)
class ActionConfig:
    configuration: Configuration = field(default_factory=Configuration)
    routing: RoutingConfig = field(default_factory=lambda: RoutingConfig(Channel.ACTION))

    @classmethod
    def of(cls, configuration: Configuration) -> ActionConfig:
        routing = RoutingConfig.of(
            configuration, Channel.ACTION, inbox_of, queue_channels=(Channel.EMAIL,)
        )
        return cls(configuration, routing)

    @property
    def wrap_up(self) -> WrapUpPolicy:
        return WrapUpPolicy.from_parameters(self.routing.parameters)

    def checks_duplicates(self) -> bool:
        return self.routing.parameters.flag("OII.CheckDuplicateActionItem")

    def cad_application(self) -> str:
        return self.routing.parameters.text("OII.CADApplicationID")

    def queue_for(self, address: str) -> QueueRecord | None:
        """The e-mail queue whose address is ``address`` (without case), else ACTION (4.7.3);
        None when neither is enabled."""
        found = self.routing.queue(address) if address else None
        if found is not None and found.channel is Channel.EMAIL:
            return found
        return self.routing.queue(ACTION_QUEUE_ID)

    def queue(self, value: object) -> QueueRecord:
        """A queue an action item may be forwarded to (destType 12)."""
        text = str(value if value is not None else "").strip()
        found = self.routing.queue(text) if text else None
        if found is None:
            raise IciFault(Errors.UNKNOWN_QUEUE, f"no action or e-mail queue {text!r}")
        return found

    def inbox(self, value: object) -> str:
        """The inbox (the user id as configured) of a user with the action channel."""
        text = str(value if value is not None else "").strip()
        if not text:
            raise IciFault(Errors.MISSING_ARGUMENT, "containerId is required")
        user = self.routing.user(text)
        if user is None:
            raise IciFault(
                Errors.INVALID_ARGUMENT,
                f"{text!r} is no action item inbox (a user with OII.Action)",
            )
        return inbox_of(user)

    def skill_levels(self, skills: tuple[tuple[str, int], ...]) -> dict[str, int]:
        """SKILL attributes (GUID or external name) as the catalog's skill names and levels."""
        levels: dict[str, int] = {}
        for text, level in skills:
            skill = self.configuration.skill(text)
            if skill is None:
                raise IciFault(Errors.INVALID_ARGUMENT, f"SKILL {text!r}: no such skill")
            levels[skill.id] = max(level, levels.get(skill.id, 0))
        return levels

    def required_users(self, names: tuple[str, ...], item_id: str) -> tuple[str, ...]:
        """REQUIRED_AGENT values (user GUID, CRM login id or login id) as user keys.

        One that matches nobody still reserves the item until the expiry, for nobody.
        """
        keys: list[str] = []
        for name in names:
            user = self.configuration.user_named(name)
            if user is None:
                log.warning(
                    "action item %s: REQUIRED_AGENT %r matches no user; it waits for the "
                    "required agent expiry",
                    item_id,
                    name[:64],
                )
                keys.append("?" + name)
            else:
                keys.append(user_key(user.id))
        return tuple(keys)


class Directory:
    """The current :class:`ActionConfig`, replaced on every configuration snapshot."""

    def __init__(self) -> None:
        self.current = ActionConfig()

    def apply(self, configuration: Configuration) -> tuple[set[str], set[str]]:
        """Take a new configuration; returns the inboxes added and removed."""
        old = set(self.current.routing.containers)
        self.current = ActionConfig.of(configuration)
        new = set(self.current.routing.containers)
        log.info("action configuration: %d inboxes", len(new))
        return new - old, old - new
