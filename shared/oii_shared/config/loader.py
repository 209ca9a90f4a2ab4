"""Read the contact-center YAML file and report every problem in it at once."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from oii_shared.config.schema import (
    ConfigProblems,
    ContactCenterConfig,
    Location,
    NotReadyReasonConfig,
    Problem,
    QueueConfig,
    SimulatorConfig,
    SkillConfig,
    UserConfig,
    collect_problems,
)

Entry = TypeVar("Entry", bound=BaseModel)

_SECTIONS: dict[str, type[BaseModel]] = {
    "skills": SkillConfig,
    "queues": QueueConfig,
    "users": UserConfig,
    "not_ready_reasons": NotReadyReasonConfig,
}
_SECTION_ORDER = {
    "parameters": 0,
    "skills": 1,
    "queues": 2,
    "users": 3,
    "not_ready_reasons": 4,
    "simulator": 5,
}
# YAML 1.1 reads +129 as 129, 011 as 9 and NO as false: phone numbers, dialing
# prefixes and login names must stay the text that was written.
_TEXT_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "timestamp")
)


class ConfigError(Exception):
    """The contact-center file cannot be used; one line per problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"config error in {path}: {problem}" for problem in problems))


class _TextScalarLoader(yaml.SafeLoader):
    """A safe loader that keeps numbers and booleans as text and refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f'duplicate key "{key_node.value}"', key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


_TextScalarLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _TEXT_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def demo_config_path() -> Path:
    """The built-in demo contact center, used when ``OII_CONFIG`` is unset."""
    return Path(__file__).with_name("demo.yaml")


def load_config(path: Path) -> ContactCenterConfig:
    """Parse and validate ``path``; any problem raises :class:`ConfigError`."""
    data = _read_yaml(path)
    try:
        return ContactCenterConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(path, _describe(error, data)) from None


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, ["file not found"]) from None
    except UnicodeDecodeError:
        raise ConfigError(path, ["the file is not UTF-8 text"]) from None
    except OSError as error:
        raise ConfigError(path, [f"cannot read the file: {error.strerror}"]) from None
    loader = _TextScalarLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        raise ConfigError(path, [_yaml_problem(error)]) from None
    except yaml.YAMLError as error:
        raise ConfigError(path, [f"invalid YAML: {error}"]) from None
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        found = type(data).__name__
        expected = (
            "a mapping with the keys parameters, skills, queues, users, not_ready_reasons "
            "and simulator"
        )
        raise ConfigError(path, [f"the file holds a {found}, expected {expected}"])
    return data


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    mark = error.problem_mark or error.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    what = ": ".join(part for part in (error.context, error.problem) if part)
    return f"{where}invalid YAML: {what}"


def _describe(error: ValidationError, data: object) -> list[str]:
    problems: list[Problem] = []
    field_errors = False
    for detail in error.errors():
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, ConfigProblems):
            problems += cause.problems
        else:
            field_errors = True
            problems.append((tuple(detail["loc"]), _message(detail)))
    if field_errors:
        # The cross-entry rules ran on nothing: run them on the entries that are valid.
        problems += _problems_of_valid_entries(data)
    problems.sort(key=lambda problem: _order(problem[0]))
    lines = [_render(location, message, data) for location, message in problems]
    return list(dict.fromkeys(lines))


def _message(detail: ErrorDetails) -> str:
    location = tuple(detail["loc"])
    if detail["type"] == "extra_forbidden":
        model = _model_at(location[:-1])
        allowed = f"; allowed: {', '.join(model.model_fields)}" if model else ""
        return f"unknown field{allowed}"
    if detail["type"] == "missing":
        return "required field is missing"
    return detail["msg"].removeprefix("Value error, ")


def _model_at(location: Location) -> type[BaseModel] | None:
    if not location:
        return ContactCenterConfig
    if len(location) == 2 and isinstance(location[1], int):
        return _SECTIONS.get(str(location[0]))
    if location == ("simulator",):
        return SimulatorConfig
    return None


def _problems_of_valid_entries(data: object) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    parameters = data.get("parameters")
    scalars = {
        str(name): value
        for name, value in (parameters.items() if isinstance(parameters, dict) else ())
        if isinstance(value, str)
    }
    queues, failed_queue_ids = _valid_entries(data.get("queues"), QueueConfig)
    users, _ = _valid_entries(data.get("users"), UserConfig)
    reasons, _ = _valid_entries(data.get("not_ready_reasons"), NotReadyReasonConfig)
    skills, _ = _valid_entries(data.get("skills"), SkillConfig)
    return collect_problems(scalars, queues, users, failed_queue_ids, reasons, skills)


def _valid_entries(
    entries: object, model: type[Entry]
) -> tuple[list[tuple[int, Entry]], list[str]]:
    valid: list[tuple[int, Entry]] = []
    failed_ids: list[str] = []
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        try:
            valid.append((index, model.model_validate(entry)))
            continue
        except ValidationError as error:
            bad_fields = {detail["loc"][0] for detail in error.errors() if detail["loc"]}
        # Without its bad fields the entry can still take part in the cross-entry rules.
        if isinstance(entry, dict):
            try:
                trimmed = {key: value for key, value in entry.items() if key not in bad_fields}
                valid.append((index, model.model_validate(trimmed)))
            except ValidationError:
                if entry.get("id") is not None:
                    failed_ids.append(str(entry["id"]))
    return valid, failed_ids


def _order(location: Location) -> tuple[int, int]:
    section = _SECTION_ORDER.get(str(location[0]), len(_SECTION_ORDER)) if location else -1
    index = location[1] if len(location) > 1 and isinstance(location[1], int) else -1
    return section, index


def _render(location: Location, message: str, data: object) -> str:
    parts: list[str] = []
    for position, part in enumerate(location):
        if isinstance(part, int) and parts:
            parts[-1] += f"[{part}]"
            if position == 1:
                parts[-1] += _entry_id(data, str(location[0]), part)
        else:
            parts.append(str(part))
    return ": ".join([*parts, message])


def _entry_id(data: object, section: str, index: int) -> str:
    entries = data.get(section) if isinstance(data, dict) else None
    if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
        entry_id = entries[index].get("id")
        if entry_id is not None:
            return f" (id {entry_id})"
    return ""
