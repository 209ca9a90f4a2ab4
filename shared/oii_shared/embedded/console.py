"""The stack's console: every line prefixed with the name of who wrote it, aligned."""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
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

    def __init__(self, *sinks: TextIO | io.TextIOBase) -> None:
        super().__init__()
        self._sinks = sinks

    def write(self, text: str) -> int:
        for sink in self._sinks:
            sink.write(text)
        return len(text)

    def flush(self) -> None:
        for sink in self._sinks:
            sink.flush()


class RotatingLogFile(io.TextIOBase):
    """The stack's log file: rotated when it passes ``max_bytes``, old ones kept ``keep_days``.

    A rotated file is renamed ``<name>.<UTC time>``; rotated files older than
    ``keep_days`` (spec 4.2 LogKeepLogDays, 14 by default) are deleted at each rotation
    and when the file is opened. One write never spans two files.
    """

    def __init__(self, path: Path, max_bytes: int, keep_days: float) -> None:
        super().__init__()
        self._path = path
        self._max_bytes = max_bytes
        self._keep_s = keep_days * 86_400
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self._open()
        self._size = self._file.tell()
        self._delete_expired()

    def write(self, text: str) -> int:
        if self._size and self._size + len(text) > self._max_bytes:
            self._rotate()
        self._file.write(text)
        self._size += len(text) if text.isascii() else len(text.encode("utf-8"))
        return len(text)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        # IOBase.close flushes first: ours, while the file is still open.
        super().close()
        self._file.close()

    def rotated_files(self) -> list[Path]:
        return sorted(self._path.parent.glob(f"{self._path.name}.*"))

    def _rotate(self) -> None:
        self._file.close()
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = self._path.with_name(f"{self._path.name}.{stamp}")
        serial = 1
        while target.exists():
            target = self._path.with_name(f"{self._path.name}.{stamp}-{serial}")
            serial += 1
        os.replace(self._path, target)
        self._file = self._open()
        self._size = 0
        self._delete_expired()

    def _open(self) -> TextIO:
        descriptor = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(descriptor, 0o600)  # also a file an earlier version left readable by all
        return os.fdopen(descriptor, "a", encoding="utf-8")

    def _delete_expired(self) -> None:
        oldest = time.time() - self._keep_s
        for rotated in self.rotated_files():
            with contextlib.suppress(FileNotFoundError):
                if rotated.stat().st_mtime < oldest:
                    rotated.unlink()
