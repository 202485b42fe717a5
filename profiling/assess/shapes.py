"""The small shapes every scorer is built from: ramps, saturation and the feature tuple."""

from __future__ import annotations

import math

# (code, measured value, contribution before evidence weighting). Plain tuples: this runs on
# every message, and only the reasons that survive are turned into `Reason` objects.
Feature = tuple[str, float, float]


def ramp(x: float, lo: float, hi: float) -> float:
    """0 at `lo`, 1 at `hi`, linear between (works for descending ramps, hi < lo)."""
    t = (x - lo) / (hi - lo)
    return 0.0 if t <= 0.0 else 1.0 if t >= 1.0 else t


def saturate(level: float) -> float:
    """Saturate an unbounded level (a decayed count) into 0..1."""
    return 1.0 - math.exp(-level) if level > 0.0 else 0.0
