"""No import cycles between the sibling packages of a service (a package imports another,
which imports it back): each folder of a service is a feature that depends one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {
    "oii_telephony": ROOT / "telephony-svc" / "oii_telephony",
    "oii_notifier": ROOT / "notifier-svc" / "oii_notifier",
    "oii_gateway": ROOT / "gateway" / "oii_gateway",
    "oii_shared": ROOT / "shared" / "oii_shared",
}


def imports_between_siblings(package: str, path: Path) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for file in path.rglob("*.py"):
        sibling = file.relative_to(path).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == package and len(parts) > 1 and parts[1] != sibling:
                    graph.setdefault(sibling, set()).add(parts[1])
    return graph


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for following in graph.get(node, ()):
            if following == start:
                found.add(tuple(sorted(path)))
            elif following not in path:
                walk(start, following, [*path, following])

    for start in graph:
        walk(start, start, [start])
    return found


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_import_cycle_between_sibling_packages(package: str) -> None:
    assert cycles(imports_between_siblings(package, PACKAGES[package])) == set()


def test_the_check_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {("a", "b", "c")}
