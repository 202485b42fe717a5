"""The context card operators read: what it says, in both languages, escaped, and never
over Telegram's limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.handoff.card import (
    MAX_CARD_CHARS,
    CardFacts,
    ChatLine,
    OrderLine,
    SiteLine,
    Who,
    relay_text,
    render_card,
    topic_title,
    wait_words,
    why_text,
)
from bot.handoff.triggers import Thresholds
from profiling.assess.advice import ReplyAdvice
from profiling.assess.scores import Score
from profiling.assess.segments import Segment, SegmentScore
from profiling.engine import Assessment
from profiling.types import Lang, Reason
from tests.fakes.bot_api_format import parse_html

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WAIT = timedelta(minutes=10)


def assessment() -> Assessment:
    segments = {segment: SegmentScore(0.1, 0.3) for segment in Segment}
    segments[Segment.IRRITATED] = SegmentScore(
        0.91, 0.8, [Reason("irritation", 0.7, 0.42), Reason("waiting_complaints", 0.5, 0.2)]
    )
    segments[Segment.RETURNING_WITH_PROBLEM] = SegmentScore(
        0.6, 0.7, [Reason("order_problem", 1.0, 0.3)]
    )
    return Assessment(
        segments=segments,
        hotness=Score(12, [Reason("engagement", 0.4, 6.0)]),
        churn=Score(64, [Reason("irritation", 0.9, 22.0)]),
        active_hours=(),
        advice=ReplyAdvice(
            length="short", formal=True, empathetic=True, lead_with=None, reasons=()
        ),
        lang=Lang.RU,
    )


def facts(**overrides: object) -> CardFacts:
    values: dict[str, object] = {
        "who": Who("telegram", "1001", "Anna", "Petrova", "anna_p", "ru"),
        "reason": "irritation",
        "why": "раздражение 91/100 при пороге 85",
        "assessment": assessment(),
        "first_source": "spring / vk7",
        "latest_source": "autumn",
        "linked": True,
        "orders": (
            OrderLine(
                "K-1", "delivered", 2990.0, "RUB", ("Чайник Xiaomi",), AT - timedelta(days=7)
            ),
        ),
        "site": (SiteLine("page_view", AT - timedelta(hours=1), page="returns"),),
        "messages": (
            ChatLine(True, "Где мой заказ?? Жду уже неделю!!!", AT),
            ChatLine(
                False, "Вижу ваш заказ <b>K-1</b> &amp; сочувствую.", AT + timedelta(seconds=3)
            ),
            ChatLine(False, "Здравствуйте, я Ольга.", AT + timedelta(minutes=1), by_operator=True),
        ),
    }
    values.update(overrides)
    return CardFacts(**values)  # type: ignore[arg-type]


def visible(html: str) -> str:
    """The text Telegram shows for the card (the fake parses HTML as Telegram does)."""
    text, _entities = parse_html(html)
    return text


def test_the_card_in_russian_says_who_why_scores_source_orders_site_and_messages() -> None:
    card = visible(render_card(facts(), Lang.RU, wait=WAIT))
    for expected in (
        "Клиент раздражён",
        "Кто: Anna Petrova (@anna_p) · telegram 1001 · язык: русский",
        "Почему: раздражение 91/100 при пороге 85",
        "Сегменты:",
        "Раздражён 0.91",
        "Вернулся с проблемой 0.60",
        "Готовность купить: 12/100",
        "Риск оттока: 64/100",
        "Источник: первый — spring / vk7; последний — autumn",
        "K-1 — доставлен, 2 990 ₽ — Чайник Xiaomi (23.02 09:00)",
        "На сайте:",
        "страница: returns",
        "Последние сообщения:",
        "02.03 09:00 👤 Где мой заказ?? Жду уже неделю!!!",
        "🤖 Вижу ваш заказ K-1 & сочувствую.",  # the bot's HTML shown as it was read
        "🧑‍💼 Здравствуйте, я Ольга.",
        "Ответьте на эту карточку",
        "/done",
        "в течение 10 минут",
    ):
        assert expected in card, expected
    # Weak segments say nothing an operator can use.
    assert "Срочный" not in card


def test_the_card_in_english() -> None:
    card = visible(
        render_card(
            facts(reason="asked", why="the customer asked for a person"), Lang.EN, wait=WAIT
        )
    )
    for expected in (
        "The customer asks for a person",
        "Who: Anna Petrova (@anna_p) · telegram 1001 · language: Russian",
        "Why: the customer asked for a person",
        "Irritated 0.91",
        "Lead hotness: 12/100",
        "Churn risk: 64/100",
        "Source: first: spring / vk7; latest: autumn",
        "K-1 — delivered, ₽2,990",
        "Latest messages:",
        "Reply to this card",
        "within 10 minutes",
    ):
        assert expected in card, expected


def test_what_the_profile_and_shop_do_not_know_is_said_plainly() -> None:
    card = visible(
        render_card(
            facts(
                assessment=None,
                first_source=None,
                latest_source=None,
                linked=False,
                orders=(),
                site=(),
                messages=(),
            ),
            Lang.RU,
            wait=WAIT,
            topic=True,
        )
    )
    assert "Профиль: не ведётся" in card
    assert "Источник: без рекламной ссылки" in card
    assert "Заказы: чат не связан с магазином" in card
    assert "На сайте: событий нет" in card
    assert "Пишите в этой теме" in card


def test_everything_the_customer_wrote_is_escaped() -> None:
    hostile = facts(
        who=Who("telegram", "1001", "<b>Boss</b>", None, None, "ru"),
        messages=(ChatLine(True, "<script>alert(1)</script> & <i>", AT),),
        orders=(OrderLine("<K-1>", "paid", 10.0, "RUB", ("<Чайник>",), AT),),
    )
    html = render_card(hostile, Lang.RU, wait=WAIT)
    assert "<script>" not in html and "<b>Boss</b>" not in html
    card = visible(html)  # parses: the markup is valid
    assert "<b>Boss</b>" in card
    assert "<script>alert(1)</script> & <i>" in card
    assert "<K-1> — оплачен" in card


@pytest.mark.parametrize("lang", [Lang.RU, Lang.EN])
def test_a_long_history_is_cut_from_its_oldest_messages(lang: Lang) -> None:
    many = tuple(
        ChatLine(
            n % 2 == 0, f"сообщение {n}: " + "очень длинный текст " * 40, AT + timedelta(minutes=n)
        )
        for n in range(40)
    )
    html = render_card(facts(messages=many), lang, wait=WAIT)
    assert len(html) <= MAX_CARD_CHARS < 4096
    card = visible(html)
    assert "сообщение 39" in card  # the newest stays
    assert "сообщение 0:" not in card
    assert "/done" in card  # the footer always stays


def test_the_reason_in_words() -> None:
    t = Thresholds(irritation=85, hotness=90)
    scored = assessment()
    assert why_text("irritation", scored, t, 0, Lang.RU) == "раздражение 91/100 при пороге 85"
    assert why_text("hot_lead", scored, t, 0, Lang.EN) == "lead hotness 12/100, the threshold is 90"
    assert why_text("failed_twice", None, t, 2, Lang.RU) == "бот не понял клиента 3 раза подряд"
    assert why_text("failed_twice", None, t, 4, Lang.EN) == (
        "the bot did not understand the customer 5 times in a row"
    )
    assert why_text("asked", None, t, 0, Lang.RU) == "клиент попросил позвать человека"


@pytest.mark.parametrize(
    ("seconds", "ru", "en"),
    [
        (600, "10 минут", "10 minutes"),
        (60, "1 минуты", "1 minute"),
        (21 * 60, "21 минуты", "21 minutes"),
        (90, "2 минут", "2 minutes"),
        (30, "30 секунд", "30 seconds"),
        (3 * 3600, "3 часов", "3 hours"),
    ],
)
def test_waits_in_words(seconds: int, ru: str, en: str) -> None:
    assert wait_words(timedelta(seconds=seconds), Lang.RU) == ru
    assert wait_words(timedelta(seconds=seconds), Lang.EN) == en


def test_a_relayed_message_and_a_topic_name() -> None:
    who = Who("telegram", "1001", "Anna", None, "anna_p", "ru")
    assert visible(relay_text(who, "Алло? <есть кто>", Lang.RU)) == "💬 Anna: Алло? <есть кто>"
    assert len(relay_text(who, "я" * 5000, Lang.RU)) < 4096
    assert topic_title(who) == "Anna · @anna_p"
    assert topic_title(Who("telegram", "1002")) == "#1002 · 1002"
