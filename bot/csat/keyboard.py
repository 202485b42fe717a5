"""The five rating buttons under a survey question and the data they send back:
`csat:<survey id>:<rating>`. The survey id lets the core check that the press is the
customer's own survey; the rating is 1 (bad) … 5 (great)."""

from __future__ import annotations

from bot.channels.sender import Markup

PREFIX = "csat:"
RATINGS = range(1, 6)
# Telegram allows 64 bytes of callback data: "csat:" + a 10-digit id + ":5" is far below.
_MAX_DATA = 64


def rating_data(survey_id: int, rating: int) -> str:
    return f"{PREFIX}{survey_id}:{rating}"


def rating_markup(survey_id: int) -> Markup:
    """One row of buttons "1" … "5"."""
    return Markup.choices(*((str(r), rating_data(survey_id, r)) for r in RATINGS))


def parse_rating(data: str | None) -> tuple[int, int] | None:
    """(survey id, rating) from a button's data; None for anything malformed or forged."""
    if not data or len(data) > _MAX_DATA or not data.startswith(PREFIX):
        return None
    survey, colon, rating = data[len(PREFIX) :].partition(":")
    if not colon or not survey.isascii() or not survey.isdigit():
        return None
    if not rating.isascii() or not rating.isdigit() or int(rating) not in RATINGS:
        return None
    survey_id = int(survey)
    return (survey_id, int(rating)) if survey_id > 0 else None
