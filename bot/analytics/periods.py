"""The report periods an admin can ask for, and the moments they start at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

PERIODS = ("today", "7d", "30d", "all")
DEFAULT_PERIOD = "7d"

# What an admin may type, after lower-casing, dropping spaces and «ё» → «е» (Russian writers
# use both letters for the same word).
_ALIASES = {
    "today": "today",
    "сегодня": "today",
    "7d": "7d",
    "7days": "7d",
    "7д": "7d",
    "7дней": "7d",
    "30d": "30d",
    "30days": "30d",
    "30д": "30d",
    "30дней": "30d",
    "all": "all",
    "все": "all",
}
_DAYS = {"7d": 7, "30d": 30}


def parse_period(text: str | None) -> str:
    """One of `PERIODS` from an admin's word; nothing given → the last seven days.

    Raises ValueError, naming the accepted values, for anything else.
    """
    if text is None or not text.strip():
        return DEFAULT_PERIOD
    key = "".join(text.split()).lower().replace("ё", "е")
    try:
        return _ALIASES[key]
    except KeyError:
        raise ValueError(
            f"unknown period {text!r}; expected one of: {', '.join(PERIODS)}"
        ) from None


def period_bounds(
    period: str, now: datetime, utc_offset_minutes: int
) -> tuple[datetime | None, datetime]:
    """(since, until) of a period ending `now`; since is None for "all".

    "today" starts at the shop's local midnight, so a report asked for at 01:00 in Moscow
    covers one hour, not the UTC day that began at 03:00 the day before. `since` is returned
    in UTC (aware when `now` is aware, naive UTC when `now` is naive, like SQLite hands back).
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; expected one of: {', '.join(PERIODS)}")
    if period == "all":
        return None, now
    if period in _DAYS:
        return now - timedelta(days=_DAYS[period]), now
    aware = now.tzinfo is not None
    utc = now.astimezone(UTC) if aware else now.replace(tzinfo=UTC)
    offset = timedelta(minutes=utc_offset_minutes)
    local_midnight = (utc + offset).replace(hour=0, minute=0, second=0, microsecond=0)
    since = local_midnight - offset
    return (since if aware else since.replace(tzinfo=None)), now
