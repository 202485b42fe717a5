"""Dates and times against a fixed "now": Wednesday 2 December 2026, 10:30 Moscow time."""

from __future__ import annotations

import pytest

from profiling.entities import find_times
from profiling.types import Lang

from .conftest import NOW, OFFSET, at

# text → (start, end, part of day) of the only mention
CASES: list[tuple[str, tuple[float, float, str | None]]] = [
    ("сегодня", (at(2), at(3), None)),
    ("завтра", (at(3), at(4), None)),
    ("послезавтра", (at(4), at(5), None)),
    ("в субботу", (at(5), at(6), None)),  # no time: the whole day
    ("в субботу утром", (at(5, 6), at(5, 12), "morning")),
    ("утром в субботу", (at(5, 6), at(5, 12), "morning")),
    ("в среду", (at(2), at(3), None)),  # today is Wednesday
    ("к пятнице", (NOW, at(5), None)),
    ("до пятницы", (NOW, at(5), None)),
    ("в следующую пятницу", (at(11), at(12), None)),
    ("через 2 дня", (at(4), at(5), None)),
    ("через неделю", (at(9), at(10), None)),
    ("через час", (NOW + 3600, NOW + 3600, None)),
    ("через 30 минут", (NOW + 1800, NOW + 1800, None)),
    ("15 марта", (at(15, month=3, year=2027), at(16, month=3, year=2027), None)),
    ("25 декабря", (at(25), at(26), None)),
    ("15.03", (at(15, month=3, year=2027), at(16, month=3, year=2027), None)),
    ("22.12.2026", (at(22), at(23), None)),
    ("в 18:30", (at(2, 18, 30), at(2, 18, 30), None)),
    ("в 9:00", (at(3, 9), at(3, 9), None)),  # 9:00 has passed: tomorrow's
    ("завтра в 18:30", (at(3, 18, 30), at(3, 18, 30), None)),
    ("в 6 вечера", (at(2, 18), at(2, 18), None)),
    ("завтра в 10 утра", (at(3, 10), at(3, 10), None)),
    ("завтра вечером", (at(3, 18), at(4), "evening")),
    ("завтра вечером в 7", (at(3, 19), at(3, 19), "evening")),
    ("сегодня ночью", (at(2, 22), at(3, 6), "night")),
    ("вечером", (at(2, 18), at(3), "evening")),
    ("на следующей неделе", (at(7), at(14), None)),
    ("на этой неделе", (NOW, at(7), None)),
    ("на выходных", (at(5), at(7), None)),
    ("до 18:00", (NOW, at(2, 18), None)),
    ("today", (at(2), at(3), None)),
    ("tomorrow", (at(3), at(4), None)),
    ("the day after tomorrow", (at(4), at(5), None)),
    ("by friday", (NOW, at(5), None)),
    ("on Saturday morning", (at(5, 6), at(5, 12), "morning")),
    ("Sunday afternoon", (at(6, 12), at(6, 18), "afternoon")),
    ("next friday", (at(11), at(12), None)),
    ("next week", (at(7), at(14), None)),
    ("this weekend", (at(5), at(7), None)),
    ("next weekend", (at(12), at(14), None)),
    ("in 3 days", (at(5), at(6), None)),
    ("in 2 hours", (NOW + 7200, NOW + 7200, None)),
    ("within 3 days", (NOW, at(6), None)),
    ("March 15", (at(15, month=3, year=2027), at(16, month=3, year=2027), None)),
    ("on the 5th of January", (at(5, month=1, year=2027), at(6, month=1, year=2027), None)),
    ("December 24, 2026", (at(24), at(25), None)),
    ("at 6 pm", (at(2, 18), at(2, 18), None)),
    ("tomorrow at 6pm", (at(3, 18), at(3, 18), None)),
    ("by 5pm tomorrow", (NOW, at(3, 17), None)),
    ("tomorrow evening at 7", (at(3, 19), at(3, 19), "evening")),
    ("tonight", (at(2, 18), at(3), "evening")),
    # delivery slots
    ("завтра с 10 до 12", (at(3, 10), at(3, 12), None)),
    ("с 6 до 9 вечера", (at(2, 18), at(2, 21), None)),
    ("с 9 до 18", (at(2, 9), at(2, 18), None)),  # still going on: today's
    ("с 8 до 10", (at(3, 8), at(3, 10), None)),  # over: tomorrow's
    ("с 22 до 2", (at(2, 22), at(3, 2), None)),
    ("завтра вечером с 7 до 9", (at(3, 19), at(3, 21), "evening")),
    ("в субботу 10:00-12:00", (at(5, 10), at(5, 12), None)),
    ("tomorrow from 2 to 4 pm", (at(3, 14), at(3, 16), None)),
    ("from 11 to 1 pm", (at(2, 11), at(2, 13), None)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_single_mention(text: str, expected: tuple[float, float, str | None]) -> None:
    (mention,) = find_times(text, now=NOW, utc_offset_minutes=OFFSET)
    assert (mention.start_ts, mention.end_ts, mention.part_of_day) == expected
    assert mention.text == text[mention.start : mention.end]


NONE: list[str] = [
    "2 штуки",
    "до 30 тысяч",
    "цена 1.5 тыс",
    "в 7",  # a bare hour needs a day or a part of the day
    "at 6",
    "iPhone 15",
    "30.02",  # no such date
    "Заказ №58213",
    "привет",
    "с 10 до 20 тысяч",  # a budget, not a slot
    "10-20 штук",
]


@pytest.mark.parametrize("text", NONE)
def test_no_mention(text: str) -> None:
    assert find_times(text, now=NOW, utc_offset_minutes=OFFSET) == []


def test_several_mentions_in_order() -> None:
    found = find_times("не завтра, а в пятницу вечером", now=NOW, utc_offset_minutes=OFFSET)
    assert [(m.text, m.part_of_day) for m in found] == [
        ("завтра", None),
        ("в пятницу вечером", "evening"),
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("03/15", Lang.EN, at(15, month=3, year=2027)),
        ("03/12", Lang.EN, at(12, month=3, year=2027)),
        ("03/12", Lang.RU, at(3)),
        ("15/03", Lang.EN, at(15, month=3, year=2027)),  # 15 cannot be a month
    ],
)
def test_slash_dates_follow_the_language(text: str, lang: Lang, expected: float) -> None:
    (mention,) = find_times(text, now=NOW, utc_offset_minutes=OFFSET, lang=lang)
    assert mention.start_ts == expected


def test_utc_offset_decides_the_day() -> None:
    # 23:30 UTC on 2 December is already 3 December in Moscow.
    late = at(3, 2, 30)
    (utc,) = find_times("tomorrow", now=late, utc_offset_minutes=0)
    (msk,) = find_times("tomorrow", now=late, utc_offset_minutes=OFFSET)
    assert msk.start_ts == at(4)
    assert utc.start_ts == at(3, 3)  # midnight UTC of 3 December
