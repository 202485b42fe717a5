"""The words and patterns `times` reads, Russian and English, kept apart from the date logic.

Every pattern is searched case-insensitively in the original message; named groups:
`bound` (a deadline word: «к», «до», "by", "until"), `next` ("next"/«следующий»), and the
parts of the date or clock itself.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
# «до» and «к» before a day mean "no later than"; so do "by", "until", "till", "before".
_BOUND = r"(?:(?P<bound>к|до|by|until|till|before|not\s+later\s+than|не\s+позже)\s+)"

WEEKDAYS: dict[str, int] = {
    "понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5,
    "воскресень": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
MONTHS: dict[str, int] = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
DAY_WORDS: dict[str, int] = {
    "сегодня": 0, "завтра": 1, "послезавтра": 2, "today": 0, "tonight": 0, "tomorrow": 1,
    "the day after tomorrow": 2, "day after tomorrow": 2,
}  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    "один": 1, "одну": 1, "пару": 2, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
    "шесть": 6, "семь": 7, "десять": 10, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "a couple of": 2, "a few": 3,
}  # fmt: skip

_RU_WEEKDAY = r"понедельник\w*|вторник\w*|сред[уаы]|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*"
_EN_WEEKDAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_RU_MONTH = (
    r"январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]"
    r"|октябр[яь]|ноябр[яь]|декабр[яь]"
)
_EN_MONTH = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_ORD = r"(?:st|nd|rd|th|-?го|-?е)?"

WEEKDAY = re.compile(
    rf"(?<!\w)(?:{_BOUND}|(?:в|во|на|on)\s+)?"
    rf"(?:(?P<next>следующ\w*|будущ\w*|эт[уио]\w*|ближайш\w*|next|this|coming)\s+)?"
    rf"(?P<wd>{_RU_WEEKDAY}|{_EN_WEEKDAY})(?!\w)",
    _I,
)
DAY_WORD = re.compile(
    rf"(?<!\w){_BOUND}?(?P<w>послезавтра|завтра|сегодня|(?:the\s+)?day\s+after\s+tomorrow"
    r"|tomorrow|today|tonight)(?!\w)",
    _I,
)
DATE_RU = re.compile(
    rf"(?<![\w.]){_BOUND}?(?P<d>\d{{1,2}}){_ORD}\s+(?P<m>{_RU_MONTH})(?:\s+(?P<y>\d{{4}}))?(?!\w)",
    _I,
)
DATE_EN = re.compile(
    rf"(?<![\w.]){_BOUND}?(?:on\s+)?(?:the\s+)?(?:(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?"
    rf"(?P<m>{_EN_MONTH})|(?P<m2>{_EN_MONTH})\.?\s+(?P<d2>\d{{1,2}}){_ORD})"
    r"(?:,?\s+(?P<y>\d{4}))?(?!\w)",
    _I,
)
# «15.03», «15.03.2026», "15/03", "03/15/2026". With a dot the month needs two digits, so that
# a decimal ("1.5 тыс") is not a date.
DATE_NUMERIC = re.compile(
    rf"(?<![\w.,:/]){_BOUND}?(?P<a>\d{{1,2}})(?:\.(?P<b>\d{{2}})|/(?P<b2>\d{{1,2}}))"
    r"(?:[./](?P<y>\d{4}|\d{2}))?(?![\w]|[.,/:]\d)",
    _I,
)
RELATIVE = re.compile(
    r"(?<!\w)(?:через|in|within|в\s+течение)\s+"
    r"(?:(?P<n>\d{1,3})\s*|(?P<nw>пару|один|одну|два|две|три|четыре|пять|шесть|семь|десять"
    r"|a\s+couple\s+of|a\s+few|an|a|one|two|three|four|five|six|seven|ten)\s+)?"
    r"(?P<u>дн(?:я|ей)|день|недел[юиья]|час(?:а|ов)?|минут[уы]?"
    r"|days?|weeks?|hours?|minutes?|mins?)(?!\w)",
    _I,
)
WEEK = re.compile(
    r"(?<!\w)(?:(?:на\s+)?(?P<ru>эт[ой]+|следующей|будущей)\s+недел[еи]"
    r"|(?P<en>this|next|the\s+coming)\s+week)(?!\w)",
    _I,
)
WEEKEND = re.compile(
    r"(?<!\w)(?:(?:на|в)\s+(?:(?P<ru>эти|этих|ближайшие|ближайших|следующие|следующих)\s+)?"
    r"выходн\w*|(?:(?P<en>this|next|on\s+the|at\s+the|over\s+the)\s+)?weekend)(?!\w)",
    _I,
)
PART = re.compile(
    r"(?<!\w)(?:in\s+the\s+|this\s+)?(?P<p>утром|с\s+утра|дн[её]м|вечером|ночью|после\s+обеда"
    r"|в\s+обед|morning|afternoon|evening|night)(?!\w)",
    _I,
)
PARTS: dict[str, str] = {
    "утром": "morning", "с утра": "morning", "днем": "afternoon", "днём": "afternoon",
    "вечером": "evening", "ночью": "night", "после обеда": "afternoon", "в обед": "afternoon",
    "morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night",
}  # fmt: skip
# "18:30", «в 18:30», "at 7:45pm". A dot is not accepted: «15.03» is a date.
CLOCK_24 = re.compile(
    rf"(?<![\w.:/])(?:{_BOUND}|(?:в|во|at|около|around|about|после|after)\s+)?"
    r"(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?:\s*(?P<ap>am|pm|a\.m\.|p\.m\.))?(?![\w:]|\.\d)",
    _I,
)
# "at 6 pm", "6pm", "by 10 a.m."
CLOCK_12 = re.compile(
    rf"(?<![\w.:/])(?:{_BOUND}|(?:at|around|about|after)\s+)?"
    r"(?P<h>1[0-2]|0?[1-9])\s*(?P<ap>am|pm|a\.m\.|p\.m\.)(?!\w)",
    _I,
)
# «в 6 вечера», «к 10 утра», «в 18 часов»
CLOCK_RU = re.compile(
    rf"(?<!\w)(?:{_BOUND}|(?:в|во|около|после)\s+)(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?"
    r"\s*(?P<ru>утра|дня|вечера|ночи|час(?:а|ов)?)(?!\w)",
    _I,
)
# «с 10 до 12», "from 2 to 4 pm", "10:00–12:00": a slot. Without «с»/"from" both ends need
# minutes, and a slot is never followed by money or a unit («с 10 до 20 тысяч» is a budget).
CLOCK_RANGE = re.compile(
    r"(?<![\w.:/])(?:(?P<from>с|со|from|between)\s+)?(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?"
    r"\s*(?P<ap>am|pm|a\.m\.|p\.m\.)?\s*(?:-|–|—|до|to|till|until|and)\s*"
    r"(?P<h2>[01]?\d|2[0-3])(?::(?P<mi2>[0-5]\d))?\s*(?P<ap2>am|pm|a\.m\.|p\.m\.)?"
    r"(?:\s*(?P<ru>утра|дня|вечера|ночи|час(?:а|ов)?))?"
    r"(?![\w:]|[.,]\d|\s*(?:тыс|млн|[кk]\b|руб|р\b|р\.|₽|\$|€|£|dollar|euro|pound|usd|eur"
    r"|gbp|шт|pcs|piece|%|лет|year|дн|day|мин|min))",
    _I,
)
# "at 7", «в 7»: only a time when it stands next to a day or a part of the day.
CLOCK_BARE = re.compile(
    rf"(?<![\w.:/])(?:{_BOUND}|(?:в|во|at|около|around|about)\s+)(?P<h>[01]?\d|2[0-3])"
    r"(?![\w:]|[.,]\d|\s*(?:%|шт|pcs|раз|times))",
    _I,
)
# What may stand between the pieces of one mention («завтра в 18:30», "friday, at 6 pm").
JOINER = re.compile(r"[\s,]*(?:(?:в|во|at|on|около|around)\s+)?[\s,]*", _I)
