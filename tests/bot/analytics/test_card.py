"""The customer card stays one valid Telegram message: under 4096 characters, cut only
between whole lines (never inside a tag or an entity), the oldest messages first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from bot.analytics.card import MAX_CHARS, render_customer
from bot.analytics.service import CustomerCard
from bot.handoff.card import CardFacts, ChatLine, Who
from profiling.types import Lang
from storage.models import Customer, Survey
from storage.queries.lookup import CustomerTotals

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _card(comments: int, messages: int) -> CustomerCard:
    customer = Customer(
        id=7, channel="telegram", external_id="1001", first_name='Ann "<b>"', created_at=AT
    )
    surveys = tuple(
        Survey(
            id=n,
            customer_id=7,
            dialog_id=n,
            trigger="inactivity",
            asked_at=AT,
            rating=1,
            rated_at=AT,
            comment='"' * 400,  # escapes to six times its length
        )
        for n in range(comments)
    )
    lines = tuple(
        ChatLine(incoming=True, text=f"сообщение {n} " + "&" * 250, at=AT + timedelta(minutes=n))
        for n in range(messages)
    )
    facts = CardFacts(
        who=Who("telegram", "1001", first_name=customer.first_name),
        reason="",
        why="",
        assessment=None,
        messages=lines,
    )
    return CustomerCard(customer, None, frozenset(), facts, CustomerTotals(1, 0, 0.0), (), surveys)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag


def _valid(text: str) -> None:
    assert len(text) <= MAX_CHARS
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert parser.open == []
    # Every "&" starts a whole entity: nothing was cut inside one.
    assert not re.search(r"&(?!(amp|lt|gt|quot|#x27|#\d+);)", text)


def test_the_oldest_messages_go_first() -> None:
    text = render_customer(_card(0, 30), Lang.EN, utc_offset_minutes=180, currency="RUB")
    _valid(text)
    assert "сообщение 29" in text and "сообщение 0 " not in text
    assert "Ann &quot;&lt;b&gt;&quot;" in text  # the name is escaped


def test_long_comments_drop_whole_lines_never_a_piece_of_one() -> None:
    text = render_customer(_card(5, 10), Lang.RU, utc_offset_minutes=180, currency="RUB")
    _valid(text)
    assert text.endswith("…")
    assert "сообщение" not in text  # the messages went before any comment
