"""Report periods: what an admin may type, and where each period starts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.analytics.periods import PERIODS, parse_period, period_bounds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "7d"),
        ("", "7d"),
        ("   ", "7d"),
        ("today", "today"),
        ("TODAY", "today"),
        ("Сегодня", "today"),
        ("7d", "7d"),
        ("7D", "7d"),
        ("7д", "7d"),
        ("7 дней", "7d"),
        ("7 days", "7d"),
        ("30d", "30d"),
        ("30д", "30d"),
        ("30 дней", "30d"),
        (" 30D ", "30d"),
        ("all", "all"),
        ("ALL", "all"),
        ("всё", "all"),
        ("все", "all"),
        ("ВСЁ", "all"),
    ],
)
def test_parse_period(text: str | None, expected: str) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["week", "14d", "7", "d7", "вчера", "all time"])
def test_parse_period_rejects_and_names_the_choices(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_period(text)
    for period in PERIODS:
        assert period in str(error.value)


NOW = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("period", "offset", "since"),
    [
        ("7d", 180, datetime(2026, 3, 3, 22, 30, tzinfo=UTC)),
        ("30d", 180, datetime(2026, 2, 8, 22, 30, tzinfo=UTC)),
        ("all", 180, None),
        # UTC shop: today began at 00:00 UTC.
        ("today", 0, datetime(2026, 3, 10, 0, 0, tzinfo=UTC)),
        # Moscow (+3): 22:30 UTC is 01:30 on the 11th; the local day began 21:00 UTC the 10th.
        ("today", 180, datetime(2026, 3, 10, 21, 0, tzinfo=UTC)),
        # New York winter (-5): 17:30 on the 10th locally, the day began 05:00 UTC.
        ("today", -300, datetime(2026, 3, 10, 5, 0, tzinfo=UTC)),
        # India (+5:30): 04:00 on the 11th locally; the day began 18:30 UTC the 10th.
        ("today", 330, datetime(2026, 3, 10, 18, 30, tzinfo=UTC)),
    ],
)
def test_period_bounds(period: str, offset: int, since: datetime | None) -> None:
    assert period_bounds(period, NOW, offset) == (since, NOW)


def test_today_from_naive_and_foreign_zone_now() -> None:
    naive = NOW.replace(tzinfo=None)
    since, until = period_bounds("today", naive, 180)
    assert since == datetime(2026, 3, 10, 21, 0) and since.tzinfo is None
    assert until is naive
    moscow = NOW.astimezone(timezone(timedelta(hours=3)))
    since, until = period_bounds("today", moscow, 180)
    assert since == datetime(2026, 3, 10, 21, 0, tzinfo=UTC)
    assert until == moscow


def test_today_at_midnight_is_empty_not_yesterday() -> None:
    midnight = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    assert period_bounds("today", midnight, 0) == (midnight, midnight)


def test_unknown_period() -> None:
    with pytest.raises(ValueError):
        period_bounds("week", NOW, 0)
