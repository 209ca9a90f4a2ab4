"""Fuzzer bytes read as a sequence of decisions, for the structure-aware harnesses.

Like atheris' FuzzedDataProvider, but plain Python: the targets replay without atheris
(in the test suite), and a decision past the end of the input reads as zero, so every
input, even an empty one, means something.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Choices:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def byte(self) -> int:
        if self._at >= len(self._data):
            return 0
        value = self._data[self._at]
        self._at += 1
        return value

    def below(self, bound: int) -> int:
        """A number in ``range(bound)``; two bytes when one cannot tell ``bound`` apart."""
        if bound <= 1:
            return 0
        value = self.byte()
        if bound > 256:
            value = value << 8 | self.byte()
        return value % bound

    def pick(self, options: Sequence[T]) -> T:
        return options[self.below(len(options))]

    def flag(self) -> bool:
        return self.byte() & 1 == 1

    def raw(self, max_len: int) -> bytes:
        size = self.below(max_len + 1)
        chunk = self._data[self._at : self._at + size]
        self._at += len(chunk)
        return chunk

    def text(self, max_len: int) -> str:
        return self.raw(max_len).decode("utf-8", errors="replace")

    def rest(self) -> bytes:
        chunk = self._data[self._at :]
        self._at = len(self._data)
        return chunk
