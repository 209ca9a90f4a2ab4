"""The extraData XML of createCallBack (spec 9.1.6.2): skills, priority and any CAD.

``<XML><Skills>English=4;German=3</Skills><Priority>5</Priority><Foo>Bar</Foo></XML>``
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from oii_shared.config.schema import normalized_guid
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.soap.parser import local_name, parse_xml

log = logging.getLogger(__name__)

ROOT = "XML"
SKILLS = "skills"
PRIORITY = "priority"
DEFAULT_PRIORITY = 1
MIN_SKILL_LEVEL = 1
MAX_SKILL_LEVEL = 5


@dataclass(frozen=True, slots=True)
class ExtraData:
    """What an extraData document asks for."""

    priority: int = DEFAULT_PRIORITY
    # Skill name (as written, not yet checked against the configured skills) -> 1..5.
    skills: dict[str, int] = field(default_factory=dict)
    # Every other child of <XML>: CAD key -> text, kept for the call.
    attached_data: dict[str, str] = field(default_factory=dict)


def parse_extra_data(text: str, max_bytes: int) -> ExtraData:
    """Read extraData; "" means none. Not XML, or a root other than <XML>, is a Client fault.

    Skills and Priority are matched ignoring case. A bad skill entry is dropped and
    logged, a bad priority becomes 1: neither aborts the operation (9.1.6.2).
    """
    if not text.strip():
        return ExtraData()
    try:
        root = parse_xml(text.encode(), max_bytes)
    except IciFault as fault:
        raise IciFault(Errors.INVALID_ARGUMENT, f"extraData: {fault.faultstring}") from None
    if local_name(root) != ROOT:
        raise IciFault(
            Errors.INVALID_ARGUMENT,
            f'extraData: the root node must be named "{ROOT}", not "{local_name(root)}"',
        )
    priority = DEFAULT_PRIORITY
    skills: dict[str, int] = {}
    attached: dict[str, str] = {}
    for child in root:
        name = local_name(child)
        if not name:
            continue
        value = "".join(text for text in child.itertext() if isinstance(text, str)).strip()
        if name.casefold() == SKILLS:
            skills.update(parse_skills(value))
        elif name.casefold() == PRIORITY:
            priority = parse_priority(value)
        else:
            attached[name] = value
    return ExtraData(priority, skills, attached)


def parse_skills(text: str) -> dict[str, int]:
    """``Name=level;Name=level`` with levels 1..5; bad entries are dropped and logged."""
    skills: dict[str, int] = {}
    for entry in text.split(";"):
        if not entry.strip():
            continue
        name, _, level_text = entry.partition("=")
        name = name.strip()
        try:
            level = int(level_text.strip())
        except ValueError:
            level = 0
        if not name or not MIN_SKILL_LEVEL <= level <= MAX_SKILL_LEVEL:
            log.error("callback extraData: skill entry %r dropped (want Name=1..5)", entry)
            continue
        skills[name] = level
    return skills


def parse_priority(text: str) -> int:
    """A positive integer; anything else is 1 (9.1.6.2)."""
    try:
        priority = int(text)
    except ValueError:
        return DEFAULT_PRIORITY
    return priority if priority > 0 else DEFAULT_PRIORITY


def known_skills(requested: Mapping[str, int], configured: Mapping[str, str]) -> dict[str, int]:
    """The requested skills that exist, under their configured name.

    ``configured`` maps every case-folded name a skill goes by (its GUID, its
    external name, its name) to its name; a GUID may be written with dashes. An
    unknown skill is dropped and logged (9.1.6.2).
    """
    kept: dict[str, int] = {}
    for name, level in requested.items():
        spelling = configured.get((normalized_guid(name) or name).casefold())
        if spelling is None:
            log.error("callback extraData: unknown skill %r dropped", name)
            continue
        kept[spelling] = level
    return kept
