"""Active hours from the decayed histogram, and the next polite contact slot."""

from __future__ import annotations

import random

import pytest

from profiling.profile.active_hours import (
    active_hours,
    good_week_slots,
    histogram_weight,
    in_window,
    next_contact_slot,
    next_contact_slot_in_week,
    week_to_day,
)

MONDAY = 1_704_067_200.0  # 2024-01-01 00:00 UTC
HOUR = 3600.0
DAY = 86_400.0
QUIET = (22, 9)


def _hist(**weights: float) -> list[float]:
    hist = [0.0] * 24
    for name, w in weights.items():
        hist[int(name.removeprefix("h"))] = w
    return hist


@pytest.mark.parametrize(
    ("hour", "window", "inside"),
    [
        (22, (22, 9), True),
        (23, (22, 9), True),
        (0, (22, 9), True),
        (8, (22, 9), True),
        (9, (22, 9), False),
        (21, (22, 9), False),
        (13, (13, 14), True),
        (14, (13, 14), False),
        (5, (0, 0), False),  # an empty window
    ],
)
def test_in_window(hour: int, window: tuple[int, int], inside: bool) -> None:
    assert in_window(hour, window) is inside


@pytest.mark.parametrize(
    ("hist", "expected"),
    [
        ([0.0] * 24, ()),
        (_hist(h3=0.3), ()),  # one faded stray message is not a habit
        (_hist(h14=5.0), (14,)),
        (_hist(h9=1.0, h14=5.0, h20=3.0), (14, 20)),  # 9 is under a quarter of the peak
        (_hist(h13=4.0, h14=4.0, h15=4.0), (14, 13, 15)),  # the middle of a block ranks first
        (_hist(h23=3.0, h0=3.0, h1=1.0), (0, 23, 1)),  # neighbours wrap around midnight
    ],
)
def test_active_hours(hist: list[float], expected: tuple[int, ...]) -> None:
    assert active_hours(hist) == expected


def test_active_hours_limit() -> None:
    assert len(active_hours([1.0] * 24, limit=4)) == 4


@pytest.mark.parametrize(
    ("good", "after", "offset_min", "expected"),
    [
        # Already inside a good, non-quiet hour: now is fine.
        ((14,), MONDAY + 14 * HOUR + 25 * 60, 0, MONDAY + 14 * HOUR + 25 * 60),
        # Later the same day.
        ((14, 18), MONDAY + 15 * HOUR, 0, MONDAY + 18 * HOUR),
        # The customer's favourite hour is in the quiet window (23:00): use their next one.
        ((23, 10), MONDAY + 22 * HOUR + 30 * 60, 0, MONDAY + DAY + 10 * HOUR),
        # Only night hours known: fall back to shop hours, never at night.
        ((2, 3), MONDAY + 1 * HOUR, 0, MONDAY + 11 * HOUR),
        # No history: the first non-quiet moment in shop hours.
        ((), MONDAY + 23 * HOUR + 50 * 60, 0, MONDAY + DAY + 11 * HOUR),
        ((), MONDAY + 12 * HOUR + 30 * 60, 0, MONDAY + 12 * HOUR + 30 * 60),
        ((), MONDAY + 20 * HOUR, 0, MONDAY + DAY + 11 * HOUR),
        # Local time: 10:00 local at +03:00 is 07:00 UTC.
        ((10,), MONDAY, 180, MONDAY + 7 * HOUR),
        # 21:30 local at -05:00 is 02:30 UTC next day; quiet starts 22:00 local, so the next
        # good hour (12 local = 17 UTC) comes the following day.
        ((12,), MONDAY + DAY + 2 * HOUR + 30 * 60, -300, MONDAY + DAY + 17 * HOUR),
    ],
)
def test_next_contact_slot(
    good: tuple[int, ...], after: float, offset_min: int, expected: float
) -> None:
    got = next_contact_slot(good, after, utc_offset_minutes=offset_min, quiet_hours=QUIET)
    assert got == expected


@pytest.mark.parametrize("quiet", [(22, 9), (0, 7), (13, 15), (20, 2)])
def test_next_contact_slot_never_quiet(quiet: tuple[int, int]) -> None:
    rng = random.Random(7)
    for _ in range(300):
        good = tuple(rng.sample(range(24), rng.randint(0, 5)))
        offset = rng.choice([-300, 0, 180, 330])
        after = MONDAY + rng.uniform(0, 14 * DAY)
        slot = next_contact_slot(good, after, utc_offset_minutes=offset, quiet_hours=quiet)
        hour = int(((slot + offset * 60) % DAY) // HOUR)
        assert after <= slot < after + DAY + HOUR
        assert not in_window(hour, quiet)
        usable = [h for h in good if not in_window(h, quiet)]
        if usable:
            assert hour in usable


@pytest.mark.parametrize(
    ("hist", "scale", "expected"),
    [
        (_hist(h14=5.0), 1.0, (14,)),
        (_hist(h14=5.0), 0.05, ()),  # long ago: 0.25 decayed messages are not a habit
        (_hist(h14=20.0, h9=8.0), 0.05, (14,)),  # 0.4 decayed messages at 9:00: too few ...
        (_hist(h14=20.0, h9=12.0), 0.05, (14, 9)),  # ... 0.6 are enough
    ],
)
def test_active_hours_scale(hist: list[float], scale: float, expected: tuple[int, ...]) -> None:
    assert active_hours(hist, scale=scale) == expected


def _week(**weights: float) -> list[float]:
    """A 168-bin histogram from keywords like sat14=3.0 (day name + hour)."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    week = [0.0] * 168
    for name, w in weights.items():
        week[days.index(name[:3]) * 24 + int(name[3:])] = w
    return week


SAT = MONDAY + 5 * DAY
SUN = MONDAY + 6 * DAY


@pytest.mark.parametrize(
    ("week", "slots"),
    [
        (_week(), set()),
        # Weekend writer: only weekend slots (and their neighbour hours).
        (
            _week(sat14=4.0, sun14=4.0),
            {5 * 24 + 13, 5 * 24 + 14, 5 * 24 + 15, 6 * 24 + 13, 6 * 24 + 14, 6 * 24 + 15},
        ),
        # Monday and Wednesday at 13:00 make every weekday's 13:00 good, not the weekend's.
        (_week(mon13=2.0, wed13=2.0), {d * 24 + 13 for d in range(5)} | {12, 14, 60, 62}),
    ],
)
def test_good_week_slots(week: list[float], slots: set[int]) -> None:
    assert set(good_week_slots(week)) == slots


@pytest.mark.parametrize(
    ("week", "after", "expected"),
    [
        # A weekend writer asked on Monday noon gets Saturday, not Tuesday 11:00.
        (_week(sat14=4.0, sun15=4.0), MONDAY + 12 * HOUR, SAT + 13 * HOUR),
        # Asked during their Saturday hour: now.
        (_week(sat14=4.0, sun15=4.0), SAT + 14 * HOUR + 600, SAT + 14 * HOUR + 600),
        # After Sunday's slots: next Saturday.
        (_week(sat14=4.0, sun15=4.0), SUN + 18 * HOUR, SAT + 7 * DAY + 13 * HOUR),
        # Weekday lunch writer asked on Friday evening: Monday lunch, not Saturday.
        (_week(tue13=3.0, thu13=3.0), MONDAY + 4 * DAY + 18 * HOUR, MONDAY + 7 * DAY + 13 * HOUR),
        # Only writes at night (quiet hours): hours of day are night too, so shop hours.
        (_week(sat2=5.0, sun3=5.0), MONDAY + 12 * HOUR, MONDAY + 12 * HOUR),
        (_week(sat2=5.0, sun3=5.0), MONDAY + 21 * HOUR, MONDAY + DAY + 11 * HOUR),
        # No history: shop hours.
        (_week(), MONDAY + 23 * HOUR, MONDAY + DAY + 11 * HOUR),
    ],
)
def test_next_contact_slot_in_week(week: list[float], after: float, expected: float) -> None:
    got = next_contact_slot_in_week(week, after, scale=1.0, utc_offset_minutes=0, quiet_hours=QUIET)
    assert got == expected


def test_next_contact_slot_in_week_local_time_and_never_quiet() -> None:
    rng = random.Random(11)
    for _ in range(200):
        week = [rng.choice((0.0, 0.0, 0.0, rng.uniform(0, 4))) for _ in range(168)]
        offset = rng.choice([-300, 0, 180, 330])
        after = MONDAY + rng.uniform(0, 14 * DAY)
        slot = next_contact_slot_in_week(
            week, after, scale=1.0, utc_offset_minutes=offset, quiet_hours=QUIET
        )
        local = slot + offset * 60
        assert after <= slot <= after + 7 * DAY + HOUR
        assert not in_window(int((local % DAY) // HOUR), QUIET)
        slots = {i for i in good_week_slots(week) if not in_window(i % 24, QUIET)}
        if slots:
            weekday = (int(local // DAY) + 3) % 7
            assert weekday * 24 + int((local % DAY) // HOUR) in slots


def test_week_to_day_and_growth_weights() -> None:
    week = _week(mon9=1.0, sat9=2.0, sun23=0.5)
    day = week_to_day(week)
    assert day[9] == 3.0 and day[23] == 0.5 and sum(day) == 3.5
    # One half-life later a message weighs twice as much: the ratio of a decayed histogram.
    assert histogram_weight(MONDAY + 10 * DAY, MONDAY, 10 * DAY) == pytest.approx(2.0)
    assert histogram_weight(MONDAY, MONDAY, 10 * DAY) == 1.0
