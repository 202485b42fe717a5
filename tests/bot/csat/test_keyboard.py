"""The rating buttons and their data: five in a row, and only well-formed data is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.csat.follow_ups import FollowUps
from bot.csat.keyboard import parse_rating, rating_data, rating_markup


def test_five_buttons_one_to_five() -> None:
    markup = rating_markup(17)
    assert markup.buttons == tuple((str(r), f"csat:17:{r}") for r in range(1, 6))
    assert all(len(data.encode()) <= 64 for _, data in rating_markup(10**12).buttons)


@pytest.mark.parametrize("rating", range(1, 6))
def test_the_data_reads_back(rating: int) -> None:
    assert parse_rating(rating_data(12345, rating)) == (12345, rating)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "csat:",
        "csat:x:9",
        "csat:12:9",
        "csat:12:0",
        "csat:12:-1",
        "csat:12",
        "csat:0:3",
        "csat:-4:3",
        "csat:12:3:4",
        "csat:١٢:3",  # Arabic-Indic digits
        "csat:12:٣",
        "csat: 12:3",
        "checkins:stop",
        "csat:" + "9" * 70 + ":3",
    ],
)
def test_malformed_data_is_refused(data: str | None) -> None:
    assert parse_rating(data) is None


def test_follow_ups_expire_and_close() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    follow_ups = FollowUps()
    assert not follow_ups.loaded
    follow_ups.load([(1, 10, now + timedelta(minutes=5))])
    assert follow_ups.loaded and len(follow_ups) == 1
    follow_ups.opened(2, 20, now + timedelta(minutes=30))
    waiting = follow_ups.waiting(1, now)
    assert waiting is not None and waiting.survey_id == 10
    assert follow_ups.waiting(3, now) is None
    assert follow_ups.waiting(1, now + timedelta(minutes=6)) is None  # expired: dropped
    assert len(follow_ups) == 1
    follow_ups.closed(2)
    assert follow_ups.waiting(2, now) is None and len(follow_ups) == 0
