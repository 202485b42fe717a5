"""Benchmark of check-in planning: `next_slot` for many customers, next to a baseline.

Customers get realistic active-hour patterns (weekday evenings, lunch breaks, weekends only,
night owls, scattered hours, none at all), offsets across Russia's zones and starts spread
over a week. The baseline is the cheapest possible "planner" (earliest + one hour) run over the
same inputs in the same process, so the ratio says what the planning itself costs.

    .venv/bin/python bench/checkin_planning.py [--customers 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bot.checkins.slots import next_slot  # noqa: E402

NOW = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
OFFSETS = (120, 180, 240, 300, 360, 420, 480, 540, 600, 660, 720)


def _pattern(rng: random.Random) -> list[int] | None:
    """One customer's hours of week, drawn from a few habits seen in real chats."""
    kind = rng.random()
    if kind < 0.15:
        return None  # new customer
    days = range(5) if kind < 0.55 else range(5, 7) if kind < 0.65 else range(7)
    if kind < 0.40:
        start = rng.choice((19, 20, 21))
        hours = [start, start + 1]
    elif kind < 0.55:
        hours = [12, 13]
    elif kind < 0.65:
        hours = [rng.choice((10, 11, 14, 16))]
    elif kind < 0.75:
        hours = [1, 2, 3]  # a night owl: planned in the daytime instead
    else:
        hours = rng.sample(range(8, 23), rng.randint(1, 6))
    week = [d * 24 + h for d in days for h in hours]
    if kind >= 0.75:
        week = rng.sample(week, max(1, len(week) // 2))  # scattered over the days
    return week


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    inputs = [
        (
            _pattern(rng),
            rng.choice(OFFSETS),
            NOW + timedelta(minutes=rng.randrange(0, 7 * 24 * 60)),
        )
        for _ in range(args.customers)
    ]

    started = time.perf_counter()
    baseline = [earliest + timedelta(hours=1) for _, _, earliest in inputs]
    base_s = time.perf_counter() - started

    started = time.perf_counter()
    slots = [
        next_slot(now=NOW, active_hours_of_week=week, utc_offset_minutes=offset, earliest=earliest)
        for week, offset, earliest in inputs
    ]
    plan_s = time.perf_counter() - started

    assert len(slots) == len(baseline)
    pairs = zip(slots, inputs, strict=True)
    waits = sorted((s.at - e).total_seconds() / 3600 for s, (_, _, e) in pairs)
    n = len(waits)
    print(f"customers: {n}")
    print(f"baseline (earliest + 1 h): {base_s:.3f} s  ({base_s / n * 1e6:.2f} µs each)")
    print(f"next_slot:                 {plan_s:.3f} s  ({plan_s / n * 1e6:.2f} µs each)")
    print(f"ratio: {plan_s / base_s:.1f}x the baseline")
    print(
        f"wait to slot, hours: median {waits[n // 2]:.1f}, p90 {waits[int(n * 0.9)]:.1f}, "
        f"max {waits[-1]:.1f}"
    )


if __name__ == "__main__":
    main()
