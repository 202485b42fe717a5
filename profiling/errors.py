"""Typed errors of the profiling engine, so callers can tell bad input from bugs."""

from __future__ import annotations

import math


class InvalidTimestamp(ValueError):
    """A timestamp that is not a finite number of unix seconds (NaN, ±inf, not a number).

    One NaN folded into a profile would turn every decayed sum into NaN and make the stored
    JSON invalid, so every entry point of the engine refuses such a moment up front.
    """


def check_timestamp(ts: object, what: str = "timestamp") -> float:
    """`ts` as a float, or `InvalidTimestamp` when it is not a finite number."""
    try:
        value = float(ts)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidTimestamp(f"{what} must be unix seconds, got {ts!r}") from None
    if not math.isfinite(value):
        raise InvalidTimestamp(f"{what} must be finite unix seconds, got {ts!r}")
    return value
