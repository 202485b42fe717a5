"""Dates and times in a message, resolved against the moment it was written.

The message is scanned for pieces (`time_patterns`): a day («завтра», "friday", «15 марта»,
"15.03"), a part of the day («утром», "evening"), a clock time («в 18:30», "at 6 pm"),
or a span of its own ("next week", «на выходных», «через 2 дня», "in 3 hours"). Pieces that
stand next to each other are one mention («в субботу утром», "tomorrow at 6 pm").

Each mention is an interval [start_ts, end_ts) in the customer's local time
(`utc_offset_minutes`):
- a day alone is the whole day («в субботу» = Saturday 00:00–24:00);
- a part of the day narrows it: morning 06–12, afternoon 12–18, evening 18–24,
  night 22–06 of the next morning;
- a clock time is a point (start_ts == end_ts);
- a deadline ("by friday", «к пятнице», «до 18:00») runs from `now` to that end;
- a weekday is its next occurrence, today included; "next friday"/«в следующую пятницу» is
  the one in the next calendar week; a date without a year that has passed is next year's;
- a clock time or part of day without a day is today's, or tomorrow's if already over.

Known limits: "at 6" without am/pm or a part of the day is not taken (it is as often a
quantity); numeric dates with a slash are day/month in Russian and month/day in English
unless one part is over 12; months ("через месяц") are not handled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from profiling.entities import time_patterns as tp
from profiling.entities.types import PartOfDay, TimeMention
from profiling.types import Lang

_DAY = timedelta(days=1)
_PARTS_OF_DAY: dict[str, PartOfDay] = {
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
    "night": "night",
}
_PART_HOURS: dict[str, tuple[int, int]] = {
    "morning": (6, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
    "night": (22, 30),
}


@dataclass(slots=True)
class _Piece:
    kind: str  # "day", "part", "clock", "span"
    start: int
    end: int
    bound: bool = False
    day: date | None = None
    part: str | None = None
    hour: int = 0
    minute: int = 0
    flexible: bool = False  # a 12-hour reading a part of the day may move to the evening
    weak: bool = False  # "at 7", «в 7»: a time only next to a day or a part of the day
    until: tuple[int, int] | None = None  # the end (hour, minute) of a slot «с 10 до 12»
    span: tuple[datetime, datetime] | None = None


def find_times(
    text: str,
    *,
    now: float,
    utc_offset_minutes: int = 0,
    lang: Lang | None = None,
) -> list[TimeMention]:
    """Date and time mentions of `text`, resolved relative to `now` (unix seconds)."""
    tz = timezone(timedelta(minutes=utc_offset_minutes))
    now_dt = datetime.fromtimestamp(now, tz)
    pieces = _scan(text, now_dt, lang)
    return [
        _resolve(text, group, now_dt)
        for group in _group(text, pieces)
        if not (len(group) == 1 and group[0].weak)
    ]


def _bound(match: re.Match[str]) -> bool:
    return bool(match.groupdict().get("bound"))


def _scan(text: str, now_dt: datetime, lang: Lang | None) -> list[_Piece]:
    today = now_dt.date()
    found: list[_Piece] = []
    if not any(ch.isdigit() for ch in text) and not _has_time_word(text):
        return found  # most messages: no regex beyond the cheap test
    for m in tp.DAY_WORD.finditer(text):
        word = " ".join(m.group("w").lower().split()).removeprefix("the ")
        piece = _Piece("day", m.start(), m.end(), _bound(m), today + tp.DAY_WORDS[word] * _DAY)
        if word == "tonight":
            piece.part = "evening"
        found.append(piece)
    for m in tp.WEEKDAY.finditer(text):
        found.append(_Piece("day", m.start(), m.end(), _bound(m), _weekday(m, today)))
    for pattern in (tp.DATE_RU, tp.DATE_EN):
        for m in pattern.finditer(text):
            day = _named_date(m, today)
            if day is not None:
                found.append(_Piece("day", m.start(), m.end(), _bound(m), day))
    for m in tp.DATE_NUMERIC.finditer(text):
        day = _numeric_date(m, today, lang)
        if day is not None:
            found.append(_Piece("day", m.start(), m.end(), _bound(m), day))
    for m in tp.PART.finditer(text):
        found.append(_Piece("part", m.start(), m.end(), part=tp.PARTS[_words(m.group("p"))]))
    for pattern in (tp.CLOCK_24, tp.CLOCK_12, tp.CLOCK_RU):
        for m in pattern.finditer(text):
            found.append(_clock(m))
    for m in tp.CLOCK_RANGE.finditer(text):
        if m.group("from") or (m.group("mi") and m.group("mi2")):
            found.append(_slot(m))
    for m in tp.CLOCK_BARE.finditer(text):
        piece = _clock(m)
        piece.weak = True
        found.append(piece)
    for m in tp.RELATIVE.finditer(text):
        found.append(_relative(m, now_dt))
    for m in tp.WEEK.finditer(text):
        found.append(_week(m, now_dt))
    for m in tp.WEEKEND.finditer(text):
        found.append(_weekend(m, now_dt))
    return _without_overlaps(found)


_TIME_WORD_RE = re.compile(
    r"сегодн|завтра|понедельн|вторник|сред|четверг|пятниц|суббот|воскрес|утр|дн[её]м|вечер|ноч"
    r"|обед|недел|выходн|today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|morning|afternoon|evening|night|week|через|час|day|hour|min",
    re.IGNORECASE,
)


def _has_time_word(text: str) -> bool:
    return _TIME_WORD_RE.search(text) is not None


def _words(value: str) -> str:
    return " ".join(value.lower().split())


def _without_overlaps(pieces: list[_Piece]) -> list[_Piece]:
    """Longest pieces first; a piece overlapping a kept one is a second reading of it."""
    kept: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.start - p.end, p.start)):
        if not any(piece.start < k.end and k.start < piece.end for k in kept):
            kept.append(piece)
    kept.sort(key=lambda p: p.start)
    return kept


def _weekday(m: re.Match[str], today: date) -> date:
    name = m.group("wd").lower()
    weekday = next(v for k, v in tp.WEEKDAYS.items() if name.startswith(k))
    delta = (weekday - today.weekday()) % 7
    modifier = (m.group("next") or "").lower()
    if modifier.startswith(("следующ", "будущ", "next")):
        next_monday = today + (7 - today.weekday()) * _DAY
        return next_monday + weekday * _DAY
    return today + delta * _DAY


def _month(name: str) -> int:
    name = name.lower()
    return next(v for k, v in tp.MONTHS.items() if name.startswith(k))


def _make_date(year: int | None, month: int, day: int, today: date) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:  # 30 February, 31 April
        return None


def _named_date(m: re.Match[str], today: date) -> date | None:
    groups = m.groupdict()
    day = groups.get("d") or groups.get("d2")
    month = groups.get("m") or groups.get("m2")
    if not day or not month:
        return None
    year = int(groups["y"]) if groups.get("y") else None
    return _make_date(year, _month(month), int(day), today)


def _numeric_date(m: re.Match[str], today: date, lang: Lang | None) -> date | None:
    first = int(m.group("a"))
    if m.group("b"):
        day, month = first, int(m.group("b"))
    else:
        second = int(m.group("b2"))
        month_first = (lang is Lang.EN and first <= 12) or second > 12
        day, month = (second, first) if month_first else (first, second)
    year = m.group("y")
    full_year = (2000 + int(year) if len(year) == 2 else int(year)) if year else None
    if not 1 <= month <= 12:
        return None
    return _make_date(full_year, month, day, today)


def _clock(m: re.Match[str]) -> _Piece:
    groups = m.groupdict()
    hour = int(groups["h"])
    minute = int(groups.get("mi") or 0)
    meridiem = (groups.get("ap") or "").lower().replace(".", "")
    ru = (groups.get("ru") or "").lower()
    flexible = False
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif ru in ("дня", "вечера") and hour < 12:
        hour += 12
    elif ru == "ночи" and hour == 12:
        hour = 0
    elif not meridiem and not ru and 1 <= hour < 12:
        flexible = True  # "at 7:30" is 19:30 when the evening was named
    return _Piece(
        "clock", m.start(), m.end(), _bound(m), hour=hour, minute=minute, flexible=flexible
    )


def _to_24(hour: int, meridiem: str, ru: str) -> int:
    if (meridiem == "pm" or ru in ("дня", "вечера")) and hour < 12:
        return hour + 12
    if (meridiem == "am" or ru == "ночи") and hour == 12:
        return 0
    return hour


def _slot(m: re.Match[str]) -> _Piece:
    """«с 10 до 12», "from 2 to 4 pm": the words after the second hour count for both."""
    first_meridiem = (m.group("ap") or "").lower().replace(".", "")
    second_meridiem = (m.group("ap2") or "").lower().replace(".", "")
    ru = (m.group("ru") or "").lower()
    end_hour = _to_24(int(m.group("h2")), second_meridiem, ru)
    hour = int(m.group("h"))
    if first_meridiem:
        hour = _to_24(hour, first_meridiem, "")
    elif second_meridiem or ru:
        shifted = _to_24(hour, second_meridiem, ru)
        hour = shifted if shifted <= end_hour else hour  # "from 11 to 1 pm": 11 stays
    flexible = not (first_meridiem or second_meridiem or ru) and 1 <= hour < end_hour < 12
    return _Piece(
        "clock",
        m.start(),
        m.end(),
        hour=hour,
        minute=int(m.group("mi") or 0),
        flexible=flexible,
        until=(end_hour, int(m.group("mi2") or 0)),
    )


def _relative(m: re.Match[str], now_dt: datetime) -> _Piece:
    count_word = m.group("nw")
    if m.group("n"):
        count = int(m.group("n"))
    elif count_word:
        count = tp.NUMBER_WORDS[_words(count_word)]
    else:
        count = 1  # «через день», «через неделю»
    unit = m.group("u").lower()
    within = m.group(0).lower().startswith(("within", "в"))
    if unit.startswith(("дн", "день", "day")) or unit.startswith(("недел", "week")):
        days = count * (7 if unit.startswith(("недел", "week")) else 1)
        target = now_dt.date() + days * _DAY
        day_start = _at(target, 0, now_dt)
        start = now_dt if within else day_start
        return _Piece("span", m.start(), m.end(), span=(start, day_start + _DAY))
    minutes = count * (60 if unit.startswith(("час", "hour")) else 1)
    moment = now_dt + timedelta(minutes=minutes)
    return _Piece("span", m.start(), m.end(), span=(now_dt if within else moment, moment))


def _week(m: re.Match[str], now_dt: datetime) -> _Piece:
    which = (m.group("ru") or m.group("en") or "").lower()
    today = now_dt.date()
    next_monday = _at(today + (7 - today.weekday()) * _DAY, 0, now_dt)
    if which.startswith(("след", "буд", "next", "the")):
        return _Piece("span", m.start(), m.end(), span=(next_monday, next_monday + 7 * _DAY))
    return _Piece("span", m.start(), m.end(), span=(now_dt, next_monday))  # what is left


def _weekend(m: re.Match[str], now_dt: datetime) -> _Piece:
    which = (m.group("ru") or m.group("en") or "").lower()
    today = now_dt.date()
    saturday = today + ((5 - today.weekday()) % 7) * _DAY
    if today.weekday() == 6:  # on Sunday "this weekend" is today
        saturday = today - _DAY
    if which.startswith(("след", "next")):
        saturday += 7 * _DAY
    start = max(_at(saturday, 0, now_dt), now_dt)
    return _Piece("span", m.start(), m.end(), span=(start, _at(saturday + 2 * _DAY, 0, now_dt)))


def _at(day: date, hour: int, now_dt: datetime, minute: int = 0) -> datetime:
    """The local moment `hour`:`minute` of `day` (hours past 24 run into the next day)."""
    return datetime.combine(day, time(0), now_dt.tzinfo) + timedelta(hours=hour, minutes=minute)


def _group(text: str, pieces: list[_Piece]) -> list[list[_Piece]]:
    """Neighbouring pieces of different kinds that make one mention."""
    groups: list[list[_Piece]] = []
    for piece in pieces:
        last = groups[-1] if groups else None
        if (
            last is not None
            and piece.kind != "span"
            and all(p.kind != "span" and p.kind != piece.kind for p in last)
            and not (piece.kind == "part" and any(p.part for p in last))
            and tp.JOINER.fullmatch(text, last[-1].end, piece.start)
        ):
            last.append(piece)
        else:
            groups.append([piece])
    return groups


def _resolve(text: str, group: list[_Piece], now_dt: datetime) -> TimeMention:
    start, end = group[0].start, group[-1].end
    label = text[start:end]
    if group[0].kind == "span":
        assert group[0].span is not None
        low, high = group[0].span
        return TimeMention(label, low.timestamp(), high.timestamp(), None, start, end)
    day = next((p.day for p in group if p.day is not None), None)
    part = next((p.part for p in group if p.part), None)
    clock = next((p for p in group if p.kind == "clock"), None)
    bound = any(p.bound for p in group)
    if clock is not None and part in ("afternoon", "evening") and clock.flexible:
        clock.hour += 12
        if clock.until is not None:
            clock.until = (clock.until[0] + 12, clock.until[1])
    if clock is not None and clock.until is not None:
        low = _at(day or now_dt.date(), clock.hour, now_dt, clock.minute)
        high = _at(day or now_dt.date(), clock.until[0], now_dt, clock.until[1])
        if high <= low:  # «с 22 до 2»: past midnight
            high += _DAY
        if day is None and high <= now_dt:
            low, high = low + _DAY, high + _DAY
        return TimeMention(label, low.timestamp(), high.timestamp(), _part_of(part), start, end)
    if clock is not None:
        moment = _at(day or now_dt.date(), clock.hour, now_dt, clock.minute)
        if day is None and moment < now_dt and not bound:
            moment += _DAY
        low = now_dt if bound else moment
        return TimeMention(label, low.timestamp(), moment.timestamp(), _part_of(part), start, end)
    if part is not None:
        first, last = _PART_HOURS[part]
        target = day or now_dt.date()
        if day is None and _at(target, last, now_dt) <= now_dt:
            target += _DAY
        low, high = _at(target, first, now_dt), _at(target, last, now_dt)
    else:
        assert day is not None
        low, high = _at(day, 0, now_dt), _at(day + _DAY, 0, now_dt)
    if bound:
        low = now_dt
    return TimeMention(label, low.timestamp(), high.timestamp(), _part_of(part), start, end)


def _part_of(part: str | None) -> PartOfDay | None:
    return _PARTS_OF_DAY.get(part) if part else None
