"""Routing attributes of IciActionItem.route (7.3): overrides, repeats, defaults, bad values."""

from __future__ import annotations

from typing import Any

import pytest

from oii_action.routing.attributes import (
    DEFAULT_REQUIRED_AGENT_EXPIRY_S,
    RouteAttributes,
    read_attributes,
)
from oii_shared.soap.faults import Errors, IciFault


def pairs(*values: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"id": name, "description": value} for name, value in values]


def read(item: list[tuple[str, str]], routing: list[tuple[str, str]] = []) -> RouteAttributes:
    return read_attributes({"actionItemAttributes": pairs(*item)}, pairs(*routing))


def test_erms_attributes_are_the_items_source_destination_subject_and_queue_address() -> None:
    found = read([("FROM_ADDRESS", "a@x"), ("TO_ADDRESS", "erms@x"), ("SUBJECT", "Hi")])
    assert (found.source, found.destination, found.queue_address, found.subject) == (
        "a@x",
        "erms@x",
        "erms@x",
        "Hi",
    )
    assert found.required_expiry_s == DEFAULT_REQUIRED_AGENT_EXPIRY_S and not found.delete


def test_z_attributes_and_routing_attributes_override() -> None:
    found = read(
        [("TO_ADDRESS", "erms@x"), ("SKILL", "A"), ("SUBJECT", "old")],
        [("Z_TO_ADDRESS", "q@x"), ("z_to_address_dis", "shown@x"), ("SKILL", "B=2")],
    )
    assert found.queue_address == "q@x" and found.destination == "shown@x"
    # A name given in routingAttributes replaces all of itemData's values of it.
    assert found.skills == (("B", 2),) and found.subject == "old"


def test_repeated_skills_and_required_agents() -> None:
    found = read(
        [("SKILL", "German"), ("SKILL", "Sales=5"), ("REQUIRED_AGENT", "A1")],
        [("REQUIRED_AGENT", "A2"), ("REQUIRED_AGENT", "A3"), ("DELETE", "x")],
    )
    assert found.skills == (("German", 4), ("Sales", 5))
    assert found.required_agents == ("A2", "A3") and found.delete


@pytest.mark.parametrize("value", ["German=0", "German=6", "German=", "German=high", "=3"])
def test_a_bad_skill_is_a_fault_naming_it(value: str) -> None:
    with pytest.raises(IciFault) as caught:
        read([("SKILL", value)])
    assert caught.value.error is Errors.INVALID_ARGUMENT and value in caught.value.message


def test_a_bad_expiry_is_a_fault() -> None:
    with pytest.raises(IciFault) as caught:
        read([("REQUIRED_AGENT_EXPIRY_TIME", "soon")])
    assert "REQUIRED_AGENT_EXPIRY_TIME" in caught.value.message
