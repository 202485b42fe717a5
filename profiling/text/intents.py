"""What a customer wants: rule-based intent detection for Russian and English.

Each intent has weighted cue patterns (see `profiling.text.vocabulary.PhraseMatcher` for the
syntax), kept in two tables: `profiling.text.intent_rules_service` (order status, delivery,
returns, complaints, warranty) and `profiling.text.intent_rules_sales` (price, products,
comparison, booking, a human, greetings and thanks); this module is the classifier. A
message scores the sum of the distinct, non-overlapping cues it contains per intent; the
best substantive intent wins when it reaches `MIN_SCORE`. Greetings and thanks are chosen
only when nothing substantive is asked («Привет! Где мой заказ?» is about the order).

Weights: 3 a cue that names the intent by itself («возврат», "refund"), 2-2.5 a strong
hint, 1-1.5 a hint that needs company, 0.5 context only. Ties go to the intent listed first
in `_SUBSTANTIVE`: the more urgent/operational one (a delivery that is also a complaint is
handled as a complaint).

Where the customer stands decides what some cues mean (`Context` rows; see
`_resolve_context`). The warranty is a claim only for something the customer has and that
has a problem; asked about before buying it is a product question, or a point of a
comparison. "When will it arrive?" is about an order unless nothing has been ordered yet
("if I order today"), then it is about delivery.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from profiling.text.intent_rules_service import Context
from profiling.text.lazy import LATER, lazy_variant, setters
from profiling.text.prepare import PreparedText
from profiling.text.token_table import FIRST_INTENT, INTENT_RULES, scan_parts
from profiling.types import Intent, IntentResult

MIN_SCORE = 1.5  # below this nothing substantive was asked: the message is "other"
_CONFIDENCE_SCALE = 2.5  # a score of 2.5 gives 63 % strength, 5 gives 86 %
_QUESTION_ABOUT_PRODUCT = 1.5  # a question that names a configured product
# A complaint this strong (a fault, a wrong item, "doesn't work") shows that the customer
# has the thing; weaker hints ("problem", "terrible") alone do not.
_OWNED_COMPLAINT = 2.5
# Warranty evidence that makes a reported fault a claim: a repair, a service centre, the
# warranty named after a sale; not a vague "fix this" or "replace" (1.5).
_CLAIM = 2.0

# Substantive intents in tie-break order: the more operational intent wins a tie.
_SUBSTANTIVE = (
    Intent.HUMAN_REQUEST, Intent.RETURN_REFUND, Intent.COMPLAINT, Intent.WARRANTY,
    Intent.ORDER_STATUS, Intent.DELIVERY, Intent.COMPARISON, Intent.PRICE, Intent.BOOKING,
    Intent.PRODUCT_QUESTION,
)  # fmt: skip
_PRIORITY: dict[Intent, int] = {intent: rank for rank, intent in enumerate(_SUBSTANTIVE)}
_SOCIAL: dict[Intent, int] = {Intent.GREETING: 0, Intent.THANKS: 1}


@dataclass(frozen=True, slots=True)
class _Rule:
    intent: Intent | Context  # a context row records the situation, it is not an intent
    weight: float
    cue: int  # index of the cue (all patterns of one table row and weight share it)
    situational: bool  # its meaning depends on the situation (see `_resolve_context`)


_SITUATIONAL = frozenset({Intent.WARRANTY, Context.WARRANTY_TERMS, Context.PRE_SALE})
# Indexed by the rule numbers of the shared cue scan (`profiling.text.token_table`), where the
# intent patterns follow the style ones (service rows first, see `INTENT_RULES`).
_RULE_OF: dict[int, _Rule] = {
    index: rule
    for index, rule in enumerate(
        (
            _Rule(intent, weight, row, intent in _SITUATIONAL)
            for row, (intent, weight, patterns) in enumerate(INTENT_RULES)
            for _ in patterns
        ),
        start=FIRST_INTENT,
    )
}
_ORDER: dict[int, float] = {index: -rule.weight for index, rule in _RULE_OF.items()}


def _move(
    scores: dict[Intent | Context, float],
    cues: dict[Intent | Context, list[tuple[int, int] | str]],
    source: Intent | Context,
    target: Intent,
) -> None:
    """Count the evidence gathered for `source` as evidence for `target`."""
    if source in scores:
        scores[target] = scores.get(target, 0.0) + scores.pop(source)
        cues.setdefault(target, []).extend(cues.pop(source, ()))


def _resolve_context(
    scores: dict[Intent | Context, float],
    cues: dict[Intent | Context, list[tuple[int, int] | str]],
    spans: dict[Intent | Context, list[tuple[int, int]]],
) -> None:
    """Give situation-dependent evidence to the intent it means here (in place).

    Before a sale (choosing, "if I order", "if it breaks") nothing is owned yet: warranty
    and repair talk is about the product and "when will it arrive" about delivery. After
    it (a possession cue, a real complaint, a repair) the warranty is a claim, and a fault
    reported with a claim or a repair request is what it is about: the complaint counts
    for the claim.
    """
    pre_sale = scores.pop(Context.PRE_SALE, None) is not None
    owned = scores.pop(Context.AFTER_SALE, None) is not None
    after_sale = not pre_sale and (owned or scores.get(Intent.COMPLAINT, 0.0) >= _OWNED_COMPLAINT)
    # What warranty talk means here: a claim, a point of a comparison, or a product question.
    if after_sale:
        meaning = Intent.WARRANTY
    elif scores.get(Intent.COMPARISON, 0.0) >= MIN_SCORE:
        meaning = Intent.COMPARISON
    else:
        meaning = Intent.PRODUCT_QUESTION
    terms = spans.get(Context.WARRANTY_TERMS)
    if terms is not None:
        # «сдать по гарантии» already counts the warranty it names: one piece of evidence
        start, end = terms[0]
        if any(start < e and s < end for s, e in spans.get(meaning, ())):
            scores.pop(Context.WARRANTY_TERMS)
            cues.pop(Context.WARRANTY_TERMS, None)
        else:
            _move(scores, cues, Context.WARRANTY_TERMS, meaning)
    if meaning is Intent.WARRANTY and scores.get(meaning, 0.0) >= _CLAIM:
        # "It broke, will you repair it?": the fault is what the claim is about
        fault = scores.pop(Intent.COMPLAINT, 0.0)
        scores[meaning] = max(scores[meaning], fault)
        cues[meaning].extend(cues.pop(Intent.COMPLAINT, ()))
    if pre_sale:
        _move(scores, cues, Intent.WARRANTY, meaning)
        if not owned:
            _move(scores, cues, Intent.ORDER_STATUS, Intent.DELIVERY)


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
    best: Intent | None = None
    best_score = 0.0
    best_rank = 0
    runner_up: float | None = None  # the best score among the others
    for intent, score in scores.items():
        rank = candidates.get(intent)
        if rank is None:
            continue
        if best is None:
            best, best_score, best_rank = intent, score, rank
        elif score > best_score or (score == best_score and rank < best_rank):
            runner_up = best_score if runner_up is None else max(runner_up, best_score)
            best, best_score, best_rank = intent, score, rank
        else:
            runner_up = score if runner_up is None else max(runner_up, score)
    if best is None:
        return next(iter(candidates)), 0.0, 0.0
    return best, best_score, 0.0 if runner_up is None else runner_up


def classify_intent(
    text: PreparedText, *, is_question: bool = False, mentions_product: bool = False
) -> IntentResult:
    """The intent of one message, with a 0..1 confidence and the phrases that decided it.

    `is_question` and `mentions_product` come from the style and topic analysers: a
    question that names one of the shop's products is most likely a question about it.
    """
    found = scan_parts(text)[1]  # shared: sorted into a new list below, never in place
    if not found and not (is_question and mentions_product):
        return _NOTHING_ASKED  # no cue at all (many messages): nothing to score
    tokens = text.tokens
    scores: dict[Intent | Context, float] = {}
    # Cues are kept as token spans and only the winner's are spelled out at the end.
    cues: dict[Intent | Context, list[tuple[int, int] | str]] = {}
    spans: dict[Intent | Context, list[tuple[int, int]]] = {}
    fired: set[int] = set()  # one table row counts once, however often it matches
    situational = False
    if len(found) > 1:
        found = sorted(found, key=_strength)  # stable: equal weights keep the table and token order
    # Strongest cues first; a cue overlapping one already counted for the same intent is
    # the same evidence seen twice («still haven't received» contains «haven't received»)
    # and does not add up, while separate phrases («где мой заказ» … «жду неделю») do.
    for rule_index, start, end in found:
        rule = _RULE_OF[rule_index]
        if rule.cue in fired:
            continue
        intent = rule.intent
        taken = spans.get(intent)
        if taken is None:
            taken = spans[intent] = []
        elif any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        fired.add(rule.cue)
        if rule.situational:
            situational = True
        span = (start, end)
        taken.append(span)
        if intent in scores:
            scores[intent] += rule.weight
            cues[intent].append(span)
        else:
            scores[intent] = rule.weight
            cues[intent] = [span]
    if situational:
        _resolve_context(scores, cues, spans)
    if is_question and mentions_product:
        scores[Intent.PRODUCT_QUESTION] = (
            scores.get(Intent.PRODUCT_QUESTION, 0.0) + _QUESTION_ABOUT_PRODUCT
        )
        cues.setdefault(Intent.PRODUCT_QUESTION, []).append("question about a product")

    if not scores:
        return _NOTHING_ASKED
    intent, top, runner_up = _best(scores, _PRIORITY)
    if top < MIN_SCORE:
        social, social_top, social_runner_up = _best(scores, _SOCIAL)
        if social_top < MIN_SCORE:
            # Nothing recognisable: as sure of "other" as the strongest hint is weak.
            return IntentResult(Intent.OTHER, round(math.exp(-top / _CONFIDENCE_SCALE), 3), ())
        intent, top, runner_up = social, social_top, max(social_runner_up, top)
    result = _new(_Intent)
    _set_source(result, (tokens, cues.get(intent, ())))
    _set_intent(result, intent)
    _set_confidence(result, _confidence(top, runner_up))
    _set_cues(result, LATER)
    return result


def _spell_cues(source: tuple[tuple[str, ...], list[tuple[int, int] | str]]) -> tuple[str, ...]:
    """The winner's cues as text: its token spans spelled out, its notes as they are."""
    tokens, cues = source
    return tuple(cue if type(cue) is str else " ".join(tokens[cue[0] : cue[1]]) for cue in cues)


# The cues (for explanations and the evaluation reports) are spelled out when first read.
_Intent = lazy_variant(IntentResult, {"cues": _spell_cues})
_new = object.__new__
_set_source, _set_intent, _set_confidence, _set_cues = setters(_Intent)


def _strength(match: tuple[int, int, int]) -> float:
    return _ORDER[match[0]]


# No cue at all: "other", with the confidence `math.exp(-0 / scale)` (built once).
_NOTHING_ASKED = IntentResult(Intent.OTHER, 1.0, ())
