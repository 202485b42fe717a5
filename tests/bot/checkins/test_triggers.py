"""What is worth writing first about: the rules, their windows and their restraint."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.checkins.triggers import KINDS, Facts, find_triggers
from bot.replies.base import OrderView
from profiling.assess.advice import ReplyAdvice
from profiling.assess.scores import Score
from profiling.assess.segments import Segment, SegmentScore
from profiling.engine import Assessment
from profiling.types import Lang

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def assessment(*, doubting: float = 0.2, irritated: float = 0.0, hotness: int = 30) -> Assessment:
    segments = {seg: SegmentScore(0.2, 0.5) for seg in Segment}
    segments[Segment.DOUBTING_BUYER] = SegmentScore(doubting, 0.8)
    segments[Segment.IRRITATED] = SegmentScore(irritated, 0.8)
    advice = ReplyAdvice(length="medium", formal=True, empathetic=False, lead_with=None, reasons=())
    return Assessment(
        segments=segments,
        hotness=Score(hotness),
        churn=Score(10),
        active_hours=(20, 21),
        advice=advice,
        lang=Lang.RU,
    )


def order(
    status: str, updated_ago: timedelta, oid: str = "1042", ordered_ago: timedelta | None = None
) -> OrderView:
    return OrderView(
        shop_order_id=oid,
        status=status,
        total=64990.0,
        currency="RUB",
        items=("Dyson V15",),
        ordered_at=NOW - (ordered_ago or updated_ago + 3 * DAY),
        updated_at=NOW - updated_ago,
    )


def kinds(facts: Facts) -> list[str]:
    return [t.kind for t in find_triggers(facts)]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (Facts(now=NOW), []),
        # delivered: 3..10 days ago, nobody in touch since.
        (Facts(now=NOW, orders=[order("delivered", 2 * DAY)]), []),
        (Facts(now=NOW, orders=[order("delivered", 3 * DAY)]), ["delivered"]),
        (Facts(now=NOW, orders=[order("delivered", 10 * DAY)]), ["delivered"]),
        (Facts(now=NOW, orders=[order("delivered", 11 * DAY)]), []),
        (Facts(now=NOW, orders=[order("shipped", 4 * DAY)]), []),
        (
            Facts(
                now=NOW,
                orders=[order("delivered", 4 * DAY)],
                last_customer_message_at=NOW - 2 * DAY,
            ),
            [],
        ),
        # doubting: >= 0.4, >= 1 day of silence, no order since.
        (Facts(now=NOW, last_customer_message_at=NOW - 2 * DAY, assessment=assessment()), []),
        (
            Facts(
                now=NOW, last_customer_message_at=NOW - 2 * DAY, assessment=assessment(doubting=0.5)
            ),
            ["doubting"],
        ),
        (
            Facts(
                now=NOW, last_customer_message_at=NOW - HOUR, assessment=assessment(doubting=0.5)
            ),
            [],
        ),
        (
            Facts(
                now=NOW,
                last_customer_message_at=NOW - 2 * DAY,
                assessment=assessment(doubting=0.5),
                orders=[order("created", DAY, ordered_ago=DAY)],
            ),
            [],
        ),
        (
            Facts(
                now=NOW,
                last_customer_message_at=NOW - 15 * DAY,
                assessment=assessment(doubting=0.9),
            ),
            [],
        ),
        # problem: an unresolved dialog, or a handoff nobody picked up.
        (Facts(now=NOW, open_problem=True, last_customer_message_at=NOW - 3 * HOUR), ["problem"]),
        (Facts(now=NOW, open_problem=True, last_customer_message_at=NOW - 15 * DAY), []),
        (Facts(now=NOW, handoff_timed_out_at=NOW - HOUR), ["problem"]),
        (
            Facts(
                now=NOW,
                open_problem=True,
                last_customer_message_at=NOW - 3 * DAY,
                last_bot_message_at=NOW - DAY,
            ),
            [],
        ),
        # cart: older than 6 hours, no conversion, no order after it.
        (Facts(now=NOW, cart=(NOW - 7 * HOUR, "Dyson V15")), ["cart"]),
        (Facts(now=NOW, cart=(NOW - 5 * HOUR, "Dyson V15")), []),
        (Facts(now=NOW, cart=(NOW - 7 * HOUR, "Dyson V15"), converted_since_cart=True), []),
        (
            Facts(
                now=NOW,
                cart=(NOW - 7 * HOUR, "Dyson V15"),
                orders=[order("paid", HOUR, ordered_ago=2 * HOUR)],
            ),
            [],
        ),
        (Facts(now=NOW, cart=(NOW - 15 * DAY, "Dyson V15")), []),
        # quiet: hotness >= 60, then >= 5 days of silence.
        (
            Facts(
                now=NOW, last_customer_message_at=NOW - 6 * DAY, assessment=assessment(hotness=70)
            ),
            ["quiet"],
        ),
        (
            Facts(
                now=NOW, last_customer_message_at=NOW - 4 * DAY, assessment=assessment(hotness=70)
            ),
            [],
        ),
        (
            Facts(
                now=NOW, last_customer_message_at=NOW - 6 * DAY, assessment=assessment(hotness=50)
            ),
            [],
        ),
    ],
)
def test_each_rule(facts: Facts, expected: list[str]) -> None:
    assert kinds(facts) == expected


def everything(**changes: object) -> Facts:
    base: dict[str, object] = {
        "now": NOW,
        "orders": [order("delivered", 4 * DAY)],
        "last_customer_message_at": NOW - 6 * DAY,
        "assessment": assessment(doubting=0.6, hotness=80),
        "cart": (NOW - DAY, "Dyson V15"),
        "viewed_products": ["Dyson V15", "Roborock S8"],
    }
    base.update(changes)
    return Facts(**base)  # type: ignore[arg-type]


def test_most_valuable_first_one_per_kind() -> None:
    triggers = find_triggers(everything())
    assert [t.kind for t in triggers] == ["delivered", "cart", "doubting", "quiet"]
    assert [t.kind for t in triggers] == sorted((t.kind for t in triggers), key=KINDS.index)


def test_an_open_problem_silences_everything_else() -> None:
    assert kinds(everything(open_problem=True)) == ["problem"]


@pytest.mark.parametrize(
    "changes",
    [
        {"assessment": assessment(doubting=0.6, hotness=80, irritated=0.7)},
        # The bot wrote unprompted two days after the customer and got no answer.
        {"last_bot_message_at": NOW - 4 * DAY},
    ],
)
def test_no_sales_nudges_to_the_irritated_or_unanswered(changes: dict[str, object]) -> None:
    # The delivered check stays for the irritated; an unanswered nudge after the delivery
    # counts as contact, so that goes too.
    remaining = kinds(everything(**changes))
    assert not {"cart", "doubting", "quiet"} & set(remaining)


def test_earliest_why_and_detail() -> None:
    by_kind = {t.kind: t for t in find_triggers(everything())}
    delivered = by_kind["delivered"]
    assert delivered.earliest == NOW - DAY  # delivered 4 days ago + 3 days
    assert delivered.detail["order_id"] == "1042"
    assert delivered.detail["items"] == ["Dyson V15"]
    assert "order 1042 was delivered 4 days ago" in delivered.why
    assert by_kind["cart"].earliest == NOW - DAY + 6 * HOUR
    assert by_kind["cart"].detail == {"product": "Dyson V15"}
    assert by_kind["doubting"].detail["product"] == "Dyson V15"
    assert by_kind["doubting"].earliest == NOW - 5 * DAY
    assert by_kind["quiet"].earliest == NOW - DAY
    assert by_kind["quiet"].detail["hotness"] == 80
    for trigger in by_kind.values():
        json.dumps(trigger.detail)
        assert trigger.why and trigger.why.isascii()
    handoff = find_triggers(
        Facts(now=NOW, handoff_timed_out_at=NOW - HOUR, orders=[order("paid", DAY)])
    )[0]
    assert handoff.detail == {"handoff": True, "order_id": "1042"}
    assert handoff.earliest == NOW - HOUR
    problem = find_triggers(
        Facts(now=NOW, open_problem=True, last_customer_message_at=NOW - 3 * HOUR)
    )[0]
    assert problem.earliest == NOW - HOUR  # two hours after the last message
    assert problem.detail == {"handoff": False}


def test_windows_are_parameters() -> None:
    facts = Facts(now=NOW, orders=[order("delivered", DAY)], cart=(NOW - 2 * HOUR, "X"))
    assert kinds(facts) == []
    assert [t.kind for t in find_triggers(facts, delivered_after_days=1, cart_after_hours=1)] == [
        "delivered",
        "cart",
    ]
