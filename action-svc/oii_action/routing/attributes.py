"""Action item routing attributes (7.3), read from IciActionItem.route.

``itemData.actionItemAttributes`` carries what ERMS knows of the mail (FROM_ADDRESS,
TO_ADDRESS, SUBJECT...); ``routingAttributes`` overrides it: a name given there
replaces every value of that name from itemData (SKILL and REQUIRED_AGENT may
repeat). Names are compared without case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from oii_shared.soap.faults import Errors, IciFault

# 7.3: one week, when REQUIRED_AGENT_EXPIRY_TIME is not given.
DEFAULT_REQUIRED_AGENT_EXPIRY_S = 604_800
# A SKILL without "=level" requires level 4 (7.3).
DEFAULT_SKILL_LEVEL = 4


@dataclass(frozen=True, slots=True)
class RouteAttributes:
    source: str = ""
    # TO_ADDRESS, or Z_TO_ADDRESS_DIS: the item's saved destination.
    destination: str = ""
    # TO_ADDRESS, or Z_TO_ADDRESS: the address whose e-mail queue gets the item.
    queue_address: str = ""
    subject: str = ""
    # (GUID or external name, level 1-5) as CRM wrote them.
    skills: tuple[tuple[str, int], ...] = ()
    required_agents: tuple[str, ...] = ()
    required_expiry_s: int = DEFAULT_REQUIRED_AGENT_EXPIRY_S
    delete: bool = False


def _pairs(attributes: object) -> list[tuple[str, str]]:
    if not isinstance(attributes, list):
        return []
    pairs = []
    for attribute in attributes:
        if isinstance(attribute, Mapping):
            name = str(attribute.get("id") or "").strip().upper()
            if name:
                pairs.append((name, str(attribute.get("description") or "").strip()))
    return pairs


def _merged(item_attributes: object, routing_attributes: object) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in _pairs(item_attributes):
        values.setdefault(name, []).append(value)
    overriding: dict[str, list[str]] = {}
    for name, value in _pairs(routing_attributes):
        overriding.setdefault(name, []).append(value)
    return {**values, **overriding}


def _skill(text: str) -> tuple[str, int]:
    name, equals, level = text.rpartition("=") if "=" in text else (text, "", "")
    name = name.strip()
    if not name:
        raise IciFault(Errors.INVALID_ARGUMENT, f"SKILL {text!r} names no skill")
    if not equals:
        return name, DEFAULT_SKILL_LEVEL
    if level.strip() not in {"1", "2", "3", "4", "5"}:
        raise IciFault(
            Errors.INVALID_ARGUMENT, f"SKILL {text!r}: the level must be a number from 1 to 5"
        )
    return name, int(level)


def _expiry(values: Iterable[str]) -> int:
    text = next((value for value in values if value), "")
    if not text:
        return DEFAULT_REQUIRED_AGENT_EXPIRY_S
    if not text.isdigit():
        raise IciFault(
            Errors.INVALID_ARGUMENT,
            f"REQUIRED_AGENT_EXPIRY_TIME {text!r} is not a number of seconds",
        )
    return int(text)


def read_attributes(item_data: Mapping[str, Any], routing_attributes: object) -> RouteAttributes:
    values = _merged(item_data.get("actionItemAttributes"), routing_attributes)

    def first(*names: str) -> str:
        return next((v for name in names for v in values.get(name, ()) if v), "")

    return RouteAttributes(
        source=first("FROM_ADDRESS"),
        destination=first("Z_TO_ADDRESS_DIS", "TO_ADDRESS"),
        queue_address=first("Z_TO_ADDRESS", "TO_ADDRESS"),
        subject=first("SUBJECT"),
        skills=tuple(_skill(text) for text in values.get("SKILL", ()) if text),
        required_agents=tuple(text for text in values.get("REQUIRED_AGENT", ()) if text),
        required_expiry_s=_expiry(values.get("REQUIRED_AGENT_EXPIRY_TIME", ())),
        delete=first("DELETE").upper() == "X",
    )
