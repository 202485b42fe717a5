"""What a customer wants: rule-based intent detection for Russian and English.

Each intent has weighted cue patterns (see `profiling.vocabulary.PhraseMatcher` for the
syntax), kept in two tables: `profiling.intent_rules_service` (order status, delivery,
returns, complaints, warranty) and `profiling.intent_rules_sales` (price, products,
comparison, booking, a human, greetings and thanks); this module is the classifier. A
message scores the sum of the distinct, non-overlapping cues it contains per intent; the
best substantive intent wins when it reaches `MIN_SCORE`. Greetings and thanks are chosen
only when nothing substantive is asked («Привет! Где мой заказ?» is about the order).

Weights: 3 a cue that names the intent by itself («возврат», "refund"), 2-2.5 a strong
hint, 1-1.5 a hint that needs company, 0.5 context only. Ties go to the intent listed first
in `_SUBSTANTIVE`: the more urgent/operational one (a delivery that is also a complaint is
handled as a complaint).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from profiling.intent_rules_sales import SALES_RULES
from profiling.intent_rules_service import SERVICE_RULES
from profiling.text import PreparedText
from profiling.types import Intent, IntentResult
from profiling.vocabulary import PhraseMatcher

MIN_SCORE = 1.5  # below this nothing substantive was asked: the message is "other"
_CONFIDENCE_SCALE = 2.5  # a score of 2.5 gives 63 % strength, 5 gives 86 %
_QUESTION_ABOUT_PRODUCT = 1.5  # a question that names a configured product

# Substantive intents in tie-break order: the more operational intent wins a tie.
_SUBSTANTIVE = (
    Intent.HUMAN_REQUEST, Intent.RETURN_REFUND, Intent.COMPLAINT, Intent.WARRANTY,
    Intent.ORDER_STATUS, Intent.DELIVERY, Intent.COMPARISON, Intent.PRICE, Intent.BOOKING,
    Intent.PRODUCT_QUESTION,
)  # fmt: skip
_PRIORITY: dict[Intent, int] = {intent: rank for rank, intent in enumerate(_SUBSTANTIVE)}
_SOCIAL: dict[Intent, int] = {Intent.GREETING: 0, Intent.THANKS: 1}

# Service rows first: among cues of equal weight the row order decides which of two
# overlapping cues counts, so the joined order is part of the behaviour.
_RULES = (*SERVICE_RULES, *SALES_RULES)


@dataclass(frozen=True, slots=True)
class _Rule:
    intent: Intent
    weight: float
    cue: int  # index of the cue (all patterns of one table row and weight share it)


_RULE_OF: tuple[_Rule, ...] = tuple(
    _Rule(intent, weight, row)
    for row, (intent, weight, patterns) in enumerate(_RULES)
    for _ in patterns
)
_MATCHER = PhraseMatcher([pattern for _, _, patterns in _RULES for pattern in patterns])


def _confidence(top: float, runner_up: float) -> float:
    """How sure we are: grows with the score, shrinks when another intent is close."""
    strength = 1.0 - math.exp(-top / _CONFIDENCE_SCALE)
    margin = (top - runner_up) / top
    return round(strength * (0.5 + 0.5 * margin), 3)


def _best(
    scores: dict[Intent, float], candidates: dict[Intent, int]
) -> tuple[Intent, float, float]:
    """The best-scoring candidate (ties by rank), its score and the runner-up's score.

    Only the few intents that scored are looked at, not every candidate.
    """
    ranked = sorted(
        (-score, candidates[intent], intent)
        for intent, score in scores.items()
        if intent in candidates
    )
    if not ranked:
        return next(iter(candidates)), 0.0, 0.0
    runner_up = -ranked[1][0] if len(ranked) > 1 else 0.0
    return ranked[0][2], -ranked[0][0], runner_up


def classify_intent(
    text: PreparedText, *, is_question: bool = False, mentions_product: bool = False
) -> IntentResult:
    """The intent of one message, with a 0..1 confidence and the phrases that decided it.

    `is_question` and `mentions_product` come from the style and topic analysers: a
    question that names one of the shop's products is most likely a question about it.
    """
    tokens = text.tokens
    scores: dict[Intent, float] = {}
    cues: dict[Intent, list[str]] = {}
    spans: dict[Intent, list[tuple[int, int]]] = {}
    fired: set[int] = set()  # one table row counts once, however often it matches
    # Strongest cues first; a cue overlapping one already counted for the same intent is
    # the same evidence seen twice («still haven't received» contains «haven't received»)
    # and does not add up, while separate phrases («где мой заказ» … «жду неделю») do.
    for rule_index, start, end in sorted(
        _MATCHER.scan(tokens), key=lambda match: -_RULE_OF[match.rule].weight
    ):
        rule = _RULE_OF[rule_index]
        if rule.cue in fired:
            continue
        taken = spans.setdefault(rule.intent, [])
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        fired.add(rule.cue)
        taken.append((start, end))
        scores[rule.intent] = scores.get(rule.intent, 0.0) + rule.weight
        cues.setdefault(rule.intent, []).append(" ".join(tokens[start:end]))
    if is_question and mentions_product:
        scores[Intent.PRODUCT_QUESTION] = (
            scores.get(Intent.PRODUCT_QUESTION, 0.0) + _QUESTION_ABOUT_PRODUCT
        )
        cues.setdefault(Intent.PRODUCT_QUESTION, []).append("question about a product")

    intent, top, runner_up = _best(scores, _PRIORITY)
    if top < MIN_SCORE:
        social, social_top, social_runner_up = _best(scores, _SOCIAL)
        if social_top < MIN_SCORE:
            # Nothing recognisable: as sure of "other" as the strongest hint is weak.
            return IntentResult(Intent.OTHER, round(math.exp(-top / _CONFIDENCE_SCALE), 3), ())
        intent, top, runner_up = social, social_top, max(social_runner_up, top)
    return IntentResult(intent, _confidence(top, runner_up), tuple(cues.get(intent, ())))
