"""The row types of the status and capability tables and the helpers that key them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Capability:
    """One row of a capability table: the method an item may be given in its current status."""

    id: int
    name: str
    method: str


@dataclass(frozen=True, slots=True)
class Status:
    """One row of a status table with its default capabilities."""

    id: int
    name: str
    description: str
    capabilities: tuple[int, ...]


def capabilities(*rows: Capability) -> dict[int, Capability]:
    return {row.id: row for row in rows}


def statuses(*rows: Status) -> dict[int, Status]:
    return {row.id: row for row in rows}
