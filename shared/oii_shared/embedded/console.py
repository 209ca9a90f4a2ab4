"""The stack's console: every line prefixed with the name of who wrote it, aligned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

SUPERVISOR_NAME = "stack"


@dataclass(frozen=True)
class Console:
    out: TextIO
    err: TextIO
    width: int

    @classmethod
    def for_names(cls, names: Iterable[str], out: TextIO, err: TextIO) -> Console:
        return cls(out, err, max(len(name) for name in (*names, SUPERVISOR_NAME)))

    def prefix(self, name: str) -> str:
        return f"{name:<{self.width}} | "

    def say(self, message: str, *, error: bool = False) -> None:
        """A line of the supervisor's own."""
        sink = self.err if error else self.out
        sink.write(f"{self.prefix(SUPERVISOR_NAME)}{message}\n")
        sink.flush()
