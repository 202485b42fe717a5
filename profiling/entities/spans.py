"""Claimed character ranges, so that one span of a message feeds one entity only."""

from __future__ import annotations


class Claimed:
    """Half-open [start, end) ranges already taken by an earlier (more specific) extractor.

    A message has a handful of mentions, so a plain list beats any interval structure.
    """

    __slots__ = ("_ranges",)

    def __init__(self) -> None:
        self._ranges: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in self._ranges)

    def add(self, start: int, end: int) -> None:
        self._ranges.append((start, end))

    def ranges(self) -> tuple[tuple[int, int], ...]:
        return tuple(self._ranges)
