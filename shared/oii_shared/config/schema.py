"""The contact-center YAML (public contract): parameters, skills, queues, users, not-ready reasons.

Field-level rules are pydantic's; the rules that look across entries (unique
ids, known queues, parameter names and values) live in :func:`collect_problems`
so that the loader can report them together with field errors, each with the
entry it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from oii_shared.channels import Channel
from oii_shared.config.parameters import (
    ParameterError,
    get_parameter,
    scalar_text,
    validate_value,
)

# Spec 4.3.3: queues that switch a channel per user rather than route contacts.
PSEUDO_QUEUES: Mapping[str, Channel] = {
    channel.pseudo_queue: channel for channel in Channel if channel.pseudo_queue is not None
}
# Spec 4.7.3: the queue every action item goes to unless routed elsewhere.
ACTION_QUEUE_ID = "ACTION"
ACTION_QUEUE_NAME = "Action Queue"
FIXED_QUEUE_CHANNELS: Mapping[str, Channel] = {**PSEUDO_QUEUES, ACTION_QUEUE_ID: Channel.ACTION}

Location = tuple[str | int, ...]
Problem = tuple[Location, str]


class ConfigProblems(ValueError):
    """Problems found across entries, each with the location it belongs to."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        lines = [f"{location_text(location)}: {message}" for location, message in problems]
        super().__init__("; ".join(lines))
        self.problems = tuple(problems)


def location_text(location: Location) -> str:
    """``("users", 1, "queues")`` as ``users[1]: queues``."""
    parts: list[str] = []
    for part in location:
        if isinstance(part, int) and parts:
            parts[-1] += f"[{part}]"
        else:
            parts.append(str(part))
    return ": ".join(parts)


def _number_as_text(value: object) -> object:
    # YAML reads 2001 or +129 as numbers when a caller did not use our loader.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _empty_text(value: object) -> object:
    return "" if value is None else _number_as_text(value)


def _optional_text(value: object) -> object:
    value = _number_as_text(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _empty_collection(empty: type[list[object]] | type[dict[object, object]]) -> BeforeValidator:
    return BeforeValidator(lambda value: empty() if value is None else value)


GUID_FORMAT = "32 hex digits, or 8-4-4-4-12 hex digits with dashes"
_GUID = re.compile(
    r"[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)


def normalized_guid(text: str) -> str | None:
    """``text`` as 32 upper-case hex digits if it is a GUID in either form, else None."""
    stripped = text.strip()
    if _GUID.fullmatch(stripped) is None:
        return None
    return stripped.replace("-", "").upper()


def _guid(value: object) -> object:
    value = _optional_text(value)
    if not isinstance(value, str):
        return value
    guid = normalized_guid(value)
    if guid is None:
        raise ValueError(f'"{value}" is not a GUID ({GUID_FORMAT})')
    return guid


def _parameter_scalar(value: object) -> str:
    try:
        return scalar_text(value)
    except ParameterError as error:
        raise ValueError(str(error)) from None


Identifier = Annotated[
    str,
    BeforeValidator(_number_as_text),
    StringConstraints(strip_whitespace=True, min_length=1),
]
Text = Annotated[str, BeforeValidator(_empty_text)]
Address = Annotated[str | None, BeforeValidator(_optional_text)]
Guid = Annotated[str | None, BeforeValidator(_guid)]
SkillLevel = Annotated[int, Field(ge=1, le=5)]
Skills = Annotated[dict[Identifier, SkillLevel], _empty_collection(dict)]
ParameterScalar = Annotated[str, BeforeValidator(_parameter_scalar)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SkillConfig(_Entry):
    """A skill of the catalog: CRM names a skill by GUID or external name (7.3 SKILL)."""

    id: Identifier = Field(
        description="The skill's name as the users' and queues' skills maps use it."
    )
    guid: Guid = Field(
        default=None,
        description=f"The skill's GUID: {GUID_FORMAT}, stored as 32 upper-case hex digits; "
        "generated once when absent.",
    )
    external_name: Text = Field(
        default="", description="The name CRM uses, case-insensitive; empty means the id."
    )

    @model_validator(mode="after")
    def _external_name_defaults_to_id(self) -> SkillConfig:
        self.external_name = self.external_name.strip() or self.id
        return self


class QueueConfig(_Entry):
    id: Identifier = Field(description="Queue address: phone number, e-mail or chat address.")
    name: Text = Field(default="", description="Display name; empty means the id.")
    channel: Channel
    enabled: bool = Field(default=True, description="Queue parameter OII (4.3.2, 4.7.1).")
    answer_info: Text = Field(default="", description="Queue parameter AnswerInfo (4.7.2).")
    skills: Skills = Field(default_factory=dict, description="Required skills, name -> 1..5.")

    @model_validator(mode="after")
    def _name_defaults_to_id(self) -> QueueConfig:
        if not self.name.strip():
            self.name = self.id
        return self


class UserConfig(_Entry):
    id: Identifier = Field(description="Login name; case-insensitive (spec 4.6).")
    name: Text = Field(default="", description="Display name; empty means the id.")
    phone: Address = Field(default=None, description="Phone line, the telephony containerId.")
    email: Address = None
    chat: Address = None
    queues: Annotated[list[Identifier], _empty_collection(list)] = Field(default_factory=list)
    skills: Skills = Field(default_factory=dict)
    guid: Guid = Field(
        default=None,
        description=f"The user's GUID: {GUID_FORMAT}, stored as 32 upper-case hex digits; "
        "generated once when absent.",
    )
    crm_login: Address = Field(
        default=None, description="The user's CRM login id, case-insensitive."
    )

    @model_validator(mode="after")
    def _name_defaults_to_id(self) -> UserConfig:
        if not self.name.strip():
            self.name = self.id
        return self


# Not-ready reasons.
class NotReadyReasonConfig(_Entry):
    """A custom not-ready workmode offered besides 1, 2, 3 and 1000 (10.10)."""

    id: Annotated[int, Field(gt=1000)] = Field(
        description="Workmode id; above 1000 (No Phone) so it never collides with the spec's."
    )
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        description="The text IC WebClient shows, e.g. Lunch."
    )


def _reason_problems(reasons: Sequence[tuple[int, NotReadyReasonConfig]]) -> list[Problem]:
    problems: list[Problem] = []
    first_index: dict[int, int] = {}
    for index, reason in reasons:
        if reason.id in first_index:
            message = f"duplicate id {reason.id} (also not_ready_reasons[{first_index[reason.id]}])"
            problems.append((("not_ready_reasons", index, "id"), message))
        first_index.setdefault(reason.id, index)
    return problems


# Simulated telephone network.
PhoneNumber = Annotated[
    str,
    BeforeValidator(_number_as_text),
    StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^\+?[0-9]+$"),
]


class SimulatorConfig(_Entry):
    """How the simulated telephone network answers outbound calls to these numbers."""

    busy: Annotated[list[PhoneNumber], _empty_collection(list)] = Field(
        default_factory=list, description="Numbers that are always busy."
    )
    no_answer: Annotated[list[PhoneNumber], _empty_collection(list)] = Field(
        default_factory=list, description="Numbers that ring and are never answered."
    )


class ContactCenterConfig(_Entry):
    parameters: Annotated[dict[str, ParameterScalar], _empty_collection(dict)] = Field(
        default_factory=dict, description="Module parameters and registry settings by spec name."
    )
    skills: Annotated[list[SkillConfig], _empty_collection(list)] = Field(
        default_factory=list,
        description="The skill catalog; a skill a user or queue names but the catalog does "
        "not list is implied, with its name as external name and a generated GUID.",
    )
    queues: Annotated[list[QueueConfig], _empty_collection(list)] = Field(default_factory=list)
    users: Annotated[list[UserConfig], _empty_collection(list)] = Field(default_factory=list)
    not_ready_reasons: Annotated[list[NotReadyReasonConfig], _empty_collection(list)] = Field(
        default_factory=list
    )
    simulator: Annotated[SimulatorConfig, BeforeValidator(lambda v: {} if v is None else v)] = (
        Field(default_factory=SimulatorConfig)
    )

    @model_validator(mode="after")
    def _cross_checks(self) -> ContactCenterConfig:
        problems = collect_problems(
            self.parameters,
            enumerate(self.queues),
            enumerate(self.users),
            reasons=enumerate(self.not_ready_reasons),
            skills=enumerate(self.skills),
        )
        if problems:
            raise ConfigProblems(problems)
        self.parameters = canonical_parameters(self.parameters)
        canonical_ids = _queue_spellings(self.queues)
        for user in self.users:
            user.queues = [canonical_ids.get(queue.casefold(), queue) for queue in user.queues]
        return self

    def pseudo_queues_in_use(self) -> list[QueueConfig]:
        """Pseudo queues users are members of but the file does not declare (spec 4.3.3)."""
        declared = {queue.id.casefold() for queue in self.queues}
        used = {queue.upper() for user in self.users for queue in user.queues}
        return [
            QueueConfig(id=queue_id, channel=channel)
            for queue_id, channel in PSEUDO_QUEUES.items()
            if queue_id in used and queue_id.casefold() not in declared
        ]

    def implied_skills(self) -> list[SkillConfig]:
        """Skills users or queues name that the catalog does not list, in name order."""
        listed = {skill.id for skill in self.skills}
        named = {name for queue in self.queues for name in queue.skills}
        named |= {name for user in self.users for name in user.skills}
        return [SkillConfig(id=name) for name in sorted(named - listed)]


def canonical_parameters(parameters: Mapping[str, str]) -> dict[str, str]:
    """Spec spelling of each name and its canonical value; raises ParameterError."""
    canonical: dict[str, str] = {}
    for name, value in parameters.items():
        spec = get_parameter(name)
        canonical[spec.name] = validate_value(spec, value)
    return canonical


def _queue_spellings(queues: Iterable[QueueConfig]) -> dict[str, str]:
    # The pseudo queues and ACTION exist whether the file declares them or not.
    spellings = {queue_id.casefold(): queue_id for queue_id in FIXED_QUEUE_CHANNELS}
    spellings.update({queue.id.casefold(): queue.id for queue in queues})
    return spellings


def collect_problems(
    parameters: Mapping[str, str],
    queues: Iterable[tuple[int, QueueConfig]],
    users: Iterable[tuple[int, UserConfig]],
    other_queue_ids: Iterable[str] = (),
    reasons: Iterable[tuple[int, NotReadyReasonConfig]] = (),
    skills: Iterable[tuple[int, SkillConfig]] = (),
) -> list[Problem]:
    """Every rule that spans entries; ``other_queue_ids`` are ids of entries that failed."""
    queues, users, skills = list(queues), list(users), list(skills)
    problems = _parameter_problems(parameters)
    problems += _skill_problems(skills)
    problems += _reason_problems(list(reasons))
    problems += _queue_problems(queues)
    known = {queue_id.casefold() for queue_id in _queue_spellings(q for _, q in queues)}
    known |= {queue_id.casefold() for queue_id in other_queue_ids}
    problems += _user_problems(users, known)
    named_skills: list[tuple[str, int, QueueConfig | UserConfig]] = [
        *(("queues", index, queue) for index, queue in queues),
        *(("users", index, user) for index, user in users),
    ]
    problems += _implied_skill_problems(skills, named_skills)
    return problems


def _skill_problems(skills: Sequence[tuple[int, SkillConfig]]) -> list[Problem]:
    problems: list[Problem] = []
    first_id: dict[str, int] = {}
    first_guid: dict[str, int] = {}
    first_name: dict[str, int] = {}
    for index, skill in skills:
        if skill.id in first_id:
            message = f'duplicate skill id "{skill.id}" (also skills[{first_id[skill.id]}])'
            problems.append((("skills", index, "id"), message))
        first_id.setdefault(skill.id, index)
        if skill.guid is not None:
            if skill.guid in first_guid:
                message = f'duplicate guid "{skill.guid}" (also skills[{first_guid[skill.guid]}])'
                problems.append((("skills", index, "guid"), message))
            first_guid.setdefault(skill.guid, index)
        name = skill.external_name.casefold()
        if name in first_name:
            message = (
                f'duplicate external name "{skill.external_name}" '
                f"(also skills[{first_name[name]}], ignoring case)"
            )
            problems.append((("skills", index, "external_name"), message))
        first_name.setdefault(name, index)
    return problems


def _implied_skill_problems(
    skills: Sequence[tuple[int, SkillConfig]],
    entries: Sequence[tuple[str, int, QueueConfig | UserConfig]],
) -> list[Problem]:
    """A skill the catalog does not list takes its name as external name: that name must
    not be a listed skill's external name, or CRM's SKILL would name two skills."""
    listed = {skill.id for _, skill in skills}
    by_external_name = {skill.external_name.casefold(): (index, skill) for index, skill in skills}
    problems: list[Problem] = []
    for section, entry_index, entry in entries:
        for name in entry.skills:
            if name in listed or name.casefold() not in by_external_name:
                continue
            index, skill = by_external_name[name.casefold()]
            message = (
                f'skill "{name}" is not in the skill catalog, and its implied external name '
                f'is that of skills[{index}] (id {skill.id}): name the skill "{skill.id}" '
                "or list it in skills"
            )
            problems.append(((section, entry_index, "skills"), message))
    return problems


def _parameter_problems(parameters: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for name, value in parameters.items():
        try:
            spec = get_parameter(name)
            validate_value(spec, value)
        except ParameterError as error:
            problems.append((("parameters",), str(error)))
            continue
        if spec.name in seen:
            problems.append((("parameters",), f"{name}: given twice (also as {seen[spec.name]})"))
        seen[spec.name] = name
    return problems


def _queue_problems(queues: Sequence[tuple[int, QueueConfig]]) -> list[Problem]:
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for index, queue in queues:
        key = queue.id.casefold()
        if key in first_index:
            message = f'duplicate queue id "{queue.id}" (also queues[{first_index[key]}])'
            problems.append((("queues", index, "id"), message))
        first_index.setdefault(key, index)
        fixed = FIXED_QUEUE_CHANNELS.get(queue.id.upper())
        if fixed is not None and queue.channel != fixed:
            message = f"queue {queue.id.upper()} must have channel {fixed.value}"
            problems.append((("queues", index, "channel"), message))
    return problems


def _user_problems(users: Sequence[tuple[int, UserConfig]], known: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    first_id: dict[str, int] = {}
    first_phone: dict[str, int] = {}
    first_guid: dict[str, int] = {}
    first_crm_login: dict[str, int] = {}
    for index, user in users:
        key = user.id.casefold()
        if key in first_id:
            message = f'duplicate user id "{user.id}" (also users[{first_id[key]}], ignoring case)'
            problems.append((("users", index, "id"), message))
        first_id.setdefault(key, index)
        if user.phone is not None:
            if user.phone in first_phone:
                message = f'"{user.phone}" is also the phone of users[{first_phone[user.phone]}]'
                problems.append((("users", index, "phone"), message))
            first_phone.setdefault(user.phone, index)
        if user.guid is not None:
            if user.guid in first_guid:
                message = f'duplicate guid "{user.guid}" (also users[{first_guid[user.guid]}])'
                problems.append((("users", index, "guid"), message))
            first_guid.setdefault(user.guid, index)
        if user.crm_login is not None:
            login = user.crm_login.casefold()
            if login in first_crm_login:
                message = (
                    f'duplicate crm_login "{user.crm_login}" '
                    f"(also users[{first_crm_login[login]}], ignoring case)"
                )
                problems.append((("users", index, "crm_login"), message))
            first_crm_login.setdefault(login, index)
        listed: set[str] = set()
        for queue in user.queues:
            if queue.casefold() not in known:
                problems.append((("users", index, "queues"), f'unknown queue "{queue}"'))
            elif queue.casefold() in listed:
                problems.append((("users", index, "queues"), f'queue "{queue}" listed twice'))
            listed.add(queue.casefold())
    return problems
