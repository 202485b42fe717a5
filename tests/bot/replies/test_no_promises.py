"""No promise without a feature: the bot's own wording never says it will check, book,
remind, call or pass the customer to a person — none of that exists in code yet (human
handoff and reminders come with their own features, and their tests will lift this)."""

from __future__ import annotations

import re

import pytest

from bot.replies.rules.phrases import ANSWERS, CAMPAIGN_HINT, EMPATHY, LENGTH_FEEDBACK
from bot.texts.catalog import CATALOGUE
from profiling.types import Lang

PROMISES = re.compile(
    r"передаю|передам|подключу|перезвон|напомин|пришлю напомин|проверю|свяжется|"
    r"вернусь к вам|подтвержу|I'll check|let me check|passing you|I'll pass|bring in a manager|"
    r"remind|call you back|get back to you|will contact you|I'll confirm",
    re.IGNORECASE,
)


def _texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for intent, by_lang in ANSWERS.items():
        for lang, versions in by_lang.items():
            found += [(f"{intent.value}/{lang.value}/{n}", t) for n, t in enumerate(versions)]
    for lang, pair in EMPATHY.items():
        found += [(f"empathy/{lang.value}", t) for t in pair]
    found += [(f"campaign/{lang.value}", t) for lang, t in CAMPAIGN_HINT.items()]
    for kind, by_lang in LENGTH_FEEDBACK.items():
        found += [(f"{kind}/{lang.value}", t) for lang, t in by_lang.items()]
    for key, by_lang in CATALOGUE.items():
        found += [(f"{key}/{lang.value}", t) for lang, t in by_lang.items()]
    return found


@pytest.mark.parametrize(("where", "text"), _texts())
def test_no_wording_promises_what_no_code_does(where: str, text: str) -> None:
    assert PROMISES.search(text) is None, f"{where}: {text}"


def test_every_answer_exists_in_both_languages() -> None:
    for intent, by_lang in ANSWERS.items():
        assert set(by_lang) == {Lang.RU, Lang.EN}, intent
