"""Scores that carry their reasons, built as `Reason` objects only when someone reads them.

Every message is assessed, but the reasons are read only when a human asks why (an admin
card, `barista shell --explain`, the API). Scorers therefore keep their addends as plain
`(code, measured value, contribution)` tuples, already sorted, and `reasons` turns them into
`Reason` objects on first access: about 50 objects per assessment that are otherwise never
looked at.
"""

from __future__ import annotations

from collections.abc import Sequence

from profiling.types import Reason

# (code, measured value, signed contribution), strongest first; the scorers pass their sort
# rows (−|contribution|, code, measured value, contribution) as they are, and only the last
# three items are read (copying every row into a 3-tuple cost ~3 µs an assessment).
RawReason = tuple[str, float, float] | tuple[float, str, float, float]


class Explained:
    """Base of a score with reasons; treat instances as read-only values."""

    __slots__ = ("_raw", "_reasons")

    def __init__(self, reasons: Sequence[Reason] | None, raw: Sequence[RawReason]) -> None:
        self._reasons: tuple[Reason, ...] | None = None if reasons is None else tuple(reasons)
        self._raw = raw

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """The signals that moved the score, largest |contribution| first."""
        if self._reasons is None:
            raw = self._raw
            try:  # the scorers' sort rows (free in 3.11 when nothing is raised)
                self._reasons = tuple([Reason(code, v, c) for _, code, v, c in raw])
            except ValueError:  # (code, value, contribution) rows built by hand
                self._reasons = tuple([Reason(code, v, c) for code, v, c in raw])
        return self._reasons
