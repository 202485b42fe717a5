"""When the bot calls a person: the rules of `bot.handoff.triggers`, table by table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.handoff.triggers import Thresholds, decide
from profiling.assess.advice import ReplyAdvice
from profiling.assess.scores import Score
from profiling.assess.segments import Segment, SegmentScore
from profiling.engine import Assessment
from profiling.types import Intent, Lang
from storage.models.handoff import (
    REASON_ASKED,
    REASON_FAILED_TWICE,
    REASON_HOT_LEAD,
    REASON_IRRITATION,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DEFAULT = Thresholds()  # irritation 85, hotness 90


def scores(*, irritated: float = 0.1, hot: int = 10) -> Assessment:
    segments = {segment: SegmentScore(0.1, 0.5) for segment in Segment}
    segments[Segment.IRRITATED] = SegmentScore(irritated, 0.8)
    return Assessment(
        segments=segments,
        hotness=Score(hot),
        churn=Score(20),
        active_hours=(),
        advice=ReplyAdvice(
            length="medium", formal=True, empathetic=False, lead_with=None, reasons=()
        ),
        lang=Lang.RU,
    )


CASES = [
    # intent, assessment, misses, missed, expected
    ("a plain question", Intent.PRICE, scores(), 0, False, None),
    ("asked for a person", Intent.HUMAN_REQUEST, scores(), 0, False, REASON_ASKED),
    (
        "asked, while irritated too",
        Intent.HUMAN_REQUEST,
        scores(irritated=0.99),
        0,
        False,
        REASON_ASKED,
    ),
    (
        "irritation at the threshold",
        Intent.COMPLAINT,
        scores(irritated=0.85),
        0,
        False,
        REASON_IRRITATION,
    ),
    ("irritation just below", Intent.COMPLAINT, scores(irritated=0.84), 0, False, None),
    (
        "irritation before a failed question",
        Intent.OTHER,
        scores(irritated=0.9),
        2,
        True,
        REASON_IRRITATION,
    ),
    ("the third miss in a row", Intent.OTHER, scores(), 2, True, REASON_FAILED_TWICE),
    ("two misses, this one answered", Intent.OTHER, scores(), 2, False, None),
    ("the second miss", Intent.OTHER, scores(), 1, True, None),
    (
        "a failed question before a hot lead",
        Intent.OTHER,
        scores(hot=95),
        3,
        True,
        REASON_FAILED_TWICE,
    ),
    ("a hot lead at the threshold", Intent.BOOKING, scores(hot=90), 0, False, REASON_HOT_LEAD),
    ("a warm lead", Intent.BOOKING, scores(hot=89), 0, False, None),
    ("no profile: asking still works", Intent.HUMAN_REQUEST, None, 0, False, REASON_ASKED),
    ("no profile: failing still works", Intent.OTHER, None, 2, True, REASON_FAILED_TWICE),
    ("no profile: no scores to read", Intent.COMPLAINT, None, 0, False, None),
]


@pytest.mark.parametrize(
    ("case", "intent", "assessment", "misses", "missed", "expected"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_the_first_rule_that_holds_wins(
    case: str,
    intent: Intent,
    assessment: Assessment | None,
    misses: int,
    missed: bool,
    expected: str | None,
) -> None:
    reason = decide(
        intent=intent, assessment=assessment, misses=misses, missed=missed, thresholds=DEFAULT
    )
    assert reason == expected, case


@pytest.mark.parametrize(
    ("intent", "assessment"),
    [(Intent.HUMAN_REQUEST, scores()), (Intent.COMPLAINT, scores(irritated=1.0, hot=100))],
)
def test_never_while_a_handoff_is_open(intent: Intent, assessment: Assessment) -> None:
    assert (
        decide(
            intent=intent,
            assessment=assessment,
            misses=5,
            missed=True,
            thresholds=DEFAULT,
            already_open=True,
        )
        is None
    )


def test_101_turns_a_score_trigger_off() -> None:
    off = Thresholds(irritation=101, hotness=101)
    maxed = scores(irritated=1.0, hot=100)
    assert (
        decide(intent=Intent.OTHER, assessment=maxed, misses=0, missed=False, thresholds=off)
        is None
    )


@pytest.mark.parametrize(
    ("ended_ago", "intent", "expected"),
    [
        (timedelta(minutes=10), Intent.COMPLAINT, None),  # just told nobody is free
        (timedelta(minutes=10), Intent.HUMAN_REQUEST, REASON_ASKED),  # asking always works
        (timedelta(hours=3), Intent.COMPLAINT, REASON_IRRITATION),  # the pause is over
    ],
)
def test_automatic_triggers_pause_after_a_handoff_ended(
    ended_ago: timedelta, intent: Intent, expected: str | None
) -> None:
    reason = decide(
        intent=intent,
        assessment=scores(irritated=0.95),
        misses=0,
        missed=False,
        thresholds=DEFAULT,
        last_ended_at=NOW - ended_ago,
        now=NOW,
    )
    assert reason == expected


def test_thresholds_outside_the_scale_are_refused() -> None:
    with pytest.raises(ValueError, match="irritation"):
        Thresholds(irritation=0)
    with pytest.raises(ValueError, match="hotness"):
        Thresholds(hotness=102)
