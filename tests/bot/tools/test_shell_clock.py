"""`/wait` durations and the shell's clock that follows real time between jumps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.tools.shell_clock import MAX_WAIT, ShellClock, format_duration, parse_duration
from tests.factories import ManualClock


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45s", timedelta(seconds=45)),
        ("31m", timedelta(minutes=31)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("2d 4h", timedelta(days=2, hours=4)),
        (" 90M ", timedelta(minutes=90)),
        ("3650d", MAX_WAIT),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "  ", "5", "m", "soon", "-3m", "0s", "0d0h", "1m2h", "1.5h", "3651d", "9" * 30 + "d"],
)
def test_bad_durations(text: str) -> None:
    assert parse_duration(text) is None


def test_the_clock_follows_its_base_plus_the_jumps() -> None:
    base = ManualClock()
    clock = ShellClock(base)
    start = clock()
    assert start == base()
    base.advance(5)  # real time goes on between jumps
    assert clock() - start == timedelta(seconds=5)
    assert clock.advance(timedelta(minutes=31)) == base() + timedelta(minutes=31)
    base.advance(1)
    assert clock() - start == timedelta(minutes=31, seconds=6)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=31), "31m"),
        (timedelta(days=1, hours=2, seconds=5), "1d 2h 5s"),
        (timedelta(0), "0s"),
    ],
)
def test_format_duration(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text
