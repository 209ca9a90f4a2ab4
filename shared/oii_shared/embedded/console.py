"""The stack's console: every line prefixed with the name of who wrote it, aligned."""

from __future__ import annotations

import io
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


class TeeWriter(io.TextIOBase):
    """Writes every line to the terminal and to the stack's log file."""

    def __init__(self, *sinks: TextIO) -> None:
        super().__init__()
        self._sinks = sinks

    def write(self, text: str) -> int:
        for sink in self._sinks:
            sink.write(text)
        return len(text)

    def flush(self) -> None:
        for sink in self._sinks:
            sink.flush()
