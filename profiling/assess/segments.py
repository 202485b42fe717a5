"""Behavioural segments as coordinates: each one a 0..1 value with a confidence and reasons.

A customer is not put in one box: every segment is scored on its own, several can be high
at once (an irritated customer with a problem is both). Each score is the sum of named,
weighted features (module constants below, weights of a segment sum to 1), blended with a
prior by how much evidence there is:

    value = e · Σ weight_i · feature_i + (1 − e) · prior,   e = messages / (messages + K)

Strong evidence counts for more than its message count: every message is worth
1 + EVIDENCE_GAIN · Σ weight_i · feature_i messages (capped at 1 + EVIDENCE_GAIN), so three
clearly urgent messages make a confident "urgent" within one dialog, while faint signals
still lean on the prior.

The prior is neutral (NEUTRAL_PRIOR, no confidence) unless the ad source suggests one (a
discount campaign → price-sensitive). Confidence = e + (1 − e) · prior confidence, so it
starts low and grows with evidence. Moods (urgent, irritated) lose evidence weight as the
customer stays silent (`HalfLives.mood_s`), so they lean back on the prior instead of
keeping a months-old hurry. An operator's override is blended in last; it fades with time
and yields to every message written after it. Every addend is returned as a reason, so the
value is exactly the sum of the contributions shown to a human (before clamping to 0..1).

What the customer does on the shop's website counts too (`profiling.assess.site_features`):
the habit segments mix message and site features by their share of the evidence, a returns
or contacts page soon after a purchase adds to the open problem, and site events add to the
evidence (`messages` above) of every segment but the moods.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from operator import itemgetter

from profiling.assess.reasons import Explained, RawReason

# `Feature`, `ramp` and `saturate` are re-exported: `profiling.assess.scores` imports them here.
from profiling.assess.shapes import Feature, ramp, saturate
from profiling.assess.site_features import (
    mix,
    site_doubting,
    site_price,
    site_researcher,
    site_share,
)
from profiling.profile.half_lives import HalfLives
from profiling.profile.meaning import PREPURCHASE_KEY
from profiling.profile.site import SiteSnapshot

# `Snapshot` is re-exported: `profiling.assess.scores` and `.advice` import it from here.
from profiling.profile.snapshot import Snapshot
from profiling.profile.timing import decay_factor
from profiling.types import Intent, Reason, SourceContext


class Segment(StrEnum):
    URGENT = "urgent"
    RESEARCHER = "researcher"
    DOUBTING_BUYER = "doubting_buyer"
    RETURNING_WITH_PROBLEM = "returning_with_problem"
    IRRITATED = "irritated"
    PRICE_SENSITIVE = "price_sensitive"


class SegmentScore(Explained):
    """A segment's value (0..1, how strongly the customer shows this behaviour), its
    confidence (0..1, how much evidence stands behind it) and its `reasons`, largest
    |contribution| first. A read-only value.
    """

    __slots__ = ("confidence", "value")

    def __init__(
        self,
        value: float,
        confidence: float,
        reasons: Sequence[Reason] | None = None,
        *,
        raw: Sequence[RawReason] = (),
    ) -> None:
        super().__init__(reasons, raw)
        self.value = value
        self.confidence = confidence

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SegmentScore):
            return NotImplemented
        return (self.value, self.confidence, self.reasons) == (
            other.value,
            other.confidence,
            other.reasons,
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, like the dataclass it was

    def __repr__(self) -> str:
        return (
            f"SegmentScore(value={self.value!r}, confidence={self.confidence!r}, "
            f"reasons={self.reasons!r})"
        )


NEUTRAL_PRIOR = 0.2  # "nothing known": low, below any "this customer is X" threshold
SOURCE_PRIOR_CONFIDENCE = 0.25  # an ad source is a hint, not evidence
# Evidence needed for half weight, in messages: moods show in one message, habits take more.
EVIDENCE_K: Mapping[Segment, float] = {
    Segment.URGENT: 1.0,
    Segment.RESEARCHER: 2.0,
    Segment.DOUBTING_BUYER: 2.0,
    Segment.RETURNING_WITH_PROBLEM: 0.3,
    Segment.IRRITATED: 0.25,
    Segment.PRICE_SENSITIVE: 1.5,
}
# How much more a message counts as evidence when the features speak clearly: with every
# feature of a segment at its maximum a message counts as 1 + EVIDENCE_GAIN messages, so
# three clearly urgent messages give a confident "urgent" within one dialog, while weak,
# mixed signals still lean on the prior as before.
EVIDENCE_GAIN = 2.0
# Ad-source keywords, matched against the words of campaign/ad/creative/tags (split on
# separators, letter/digit and camelCase boundaries, lower-cased). "stem*" matches words
# starting with the stem; a plain word matches itself and its English plural ("sales"), so
# "wholesale" or "cartridge" match nothing; "same day" matches two words in a row.
SOURCE_PRIORS: tuple[tuple[Segment, float, tuple[str, ...]], ...] = (
    (
        Segment.PRICE_SENSITIVE,
        0.65,
        (
            "discount*", "sale", "deal", "promo*", "промо*", "skidk*", "скидк*", "акци*",
            "распродаж*", "coupon*", "купон*", "cashback", "кешбэк*", "кэшбэк*",
            "black friday",
        ),
    ),
    (
        Segment.RESEARCHER,
        0.6,
        ("compar*", "review*", "обзор*", "сравн*", "rating", "рейтинг*", "guide", "гайд*"),
    ),
    (
        Segment.DOUBTING_BUYER,
        0.55,
        ("retarget*", "remarketing", "cart", "корзин*", "abandon*"),
    ),
    (Segment.URGENT, 0.55, ("urgent*", "express", "срочн*", "same day", "sameday", "экспресс*")),
)  # fmt: skip
# Words of a source label: runs between separators, then camelCase and digit parts of them.
_CHUNK_RE = re.compile(r"[^\W_]+")
_PART_RE = re.compile(r"[A-ZА-ЯЁ]+(?![a-zа-яё])|[A-ZА-ЯЁ]?[a-zа-яё]+|\d+|[^\W\d_]+")
# Operator overrides yield to later messages: weight × K / (K + messages since). Moods
# change from one message to the next; habits need several messages to contradict a label.
OVERRIDE_YIELD_K: Mapping[Segment, float] = {
    Segment.URGENT: 0.5,
    Segment.RESEARCHER: 3.0,
    Segment.DOUBTING_BUYER: 3.0,
    Segment.RETURNING_WITH_PROBLEM: 1.0,
    Segment.IRRITATED: 0.5,
    Segment.PRICE_SENSITIVE: 3.0,
}
MOOD_SEGMENTS = frozenset({Segment.URGENT, Segment.IRRITATED})

# Urgent: short rapid messages, quick replies, urgency words, bursts.
W_URG_SHORT = 0.20
W_URG_RAPID = 0.20
W_URG_FAST_REPLY = 0.15
W_URG_WORDS = 0.30
W_URG_BURST = 0.15
# Researcher: long messages, questions, terminology, comparison/product questions, slow pace.
W_RES_LONG = 0.25
W_RES_QUESTIONS = 0.20
W_RES_TERMS = 0.20
W_RES_PRODUCT = 0.20
W_RES_SLOW = 0.15
# Doubting buyer: comes back to the same things, compares, asks, does not buy.
W_DB_REVISIT = 0.30
W_DB_COMPARE = 0.20
W_DB_CHARACTERISTICS = 0.15
W_DB_PRICE = 0.15
W_DB_NO_PURCHASE = 0.20
DB_PURCHASE_PENALTY = 0.7  # share of the score a fresh purchase takes away
DB_FAULT_PENALTY = 0.8  # share an open problem with a bought item takes away (at level 1)
# Returning with a problem: order-related problem intents, negativity, a known order.
W_RP_PROBLEM = 0.45
W_RP_NEGATIVE = 0.20
W_RP_HAS_ORDER = 0.35
# Irritated: the decayed irritation level, negative sentiment, waiting complaints.
W_IRR_LEVEL = 0.60
W_IRR_NEGATIVE = 0.25
W_IRR_WAITING = 0.15
# Price-sensitive: price questions, across dialogs, recently, and a discount ad source.
W_PS_SHARE = 0.45
W_PS_DIALOGS = 0.25
W_PS_RECENT = 0.10
W_PS_SOURCE = 0.20
# Smaller contributions still count in the value but are not listed as reasons.
_MIN_REASON = 0.005


def source_words(label: str) -> tuple[str, ...]:
    """Lower-cased words of a source label, whole runs and their camel/digit parts.

    "springSale_2024" gives ("springsale", "spring", "sale", "2024"); the whole runs keep
    "PROMOcode" matchable as "promocode".
    """
    words: list[str] = []
    for chunk in _CHUNK_RE.findall(label):
        parts = _PART_RE.findall(chunk)
        if len(parts) > 1:
            words.append(chunk.lower())
        words.extend(p.lower() for p in parts)
    return tuple(words)


def _keyword_matches(keyword: str, words: tuple[str, ...], phrase: str) -> bool:
    if " " in keyword:
        return f" {keyword} " in phrase
    if keyword.endswith("*"):
        stem = keyword[:-1]
        return any(w.startswith(stem) for w in words)
    return any(w in (keyword, keyword + "s", keyword + "es") for w in words)


@functools.lru_cache(maxsize=1024)
def source_priors(source: SourceContext) -> Mapping[Segment, float]:
    """Cold-start priors suggested by the ad that brought the customer (cached per source)."""
    labels = [source.campaign or "", source.ad or "", source.creative or "", *sorted(source.tags)]
    words: list[str] = []
    phrases: list[str] = []
    for label in labels:
        found = source_words(label)
        words.extend(found)
        phrases.append(" ".join(w for w in found))
    if not words:
        return {}
    found_words = tuple(words)
    phrase = " " + " | ".join(phrases) + " "
    return {
        segment: prior
        for segment, prior, keywords in SOURCE_PRIORS
        if any(_keyword_matches(k, found_words, phrase) for k in keywords)
    }


_CONTRIBUTION = itemgetter(2)  # of a `Feature`; summed in C
_PRICE = Intent.PRICE.value
_COMPARISON = Intent.COMPARISON.value
_PRODUCT = Intent.PRODUCT_QUESTION.value


def _urgent(s: Snapshot) -> list[Feature]:
    burst = W_URG_BURST * ramp(s.max_burst, 1.0, 4.0) * s.dialog_live
    out = [
        ("short_messages", s.chars, W_URG_SHORT * ramp(s.chars, 150.0, 30.0)),
        ("urgency_words", s.urgent_share, W_URG_WORDS * ramp(s.urgent_share, 0.0, 0.3)),
        ("burst", s.max_burst, burst),
    ]
    if s.gap_s is not None:
        out.append(("rapid_pace_s", s.gap_s, W_URG_RAPID * ramp(s.gap_s, 240.0, 20.0)))
    if s.latency_s is not None:
        out.append(("fast_reply_s", s.latency_s, W_URG_FAST_REPLY * ramp(s.latency_s, 180.0, 15.0)))
    return out


def _researcher(s: Snapshot) -> list[Feature]:
    shares = s.intent_shares
    # Pre-purchase delivery, warranty and return questions are product research too.
    product = (
        shares.get(_COMPARISON, 0.0) + shares.get(_PRODUCT, 0.0) + shares.get(PREPURCHASE_KEY, 0.0)
    )
    out = [
        ("long_messages", s.chars, W_RES_LONG * ramp(s.chars, 80.0, 300.0)),
        ("questions", s.question_share, W_RES_QUESTIONS * ramp(s.question_share, 0.2, 0.8)),
        ("terminology", s.terms, W_RES_TERMS * ramp(s.terms, 0.0, 1.5)),
        ("product_questions", product, W_RES_PRODUCT * ramp(product, 0.0, 0.5)),
    ]
    if s.gap_s is not None:
        out.append(("slow_pace_s", s.gap_s, W_RES_SLOW * ramp(s.gap_s, 45.0, 400.0)))
    return out


def _doubting(s: Snapshot) -> list[Feature]:
    shares = s.intent_shares
    by_topics = s.topic_revisits / 2.0
    by_dialogs = (s.interest_dialogs - 1.0) / 2.0
    # The reason names whichever drove it: products asked about in several dialogs, or
    # several dialogs of buying interest.
    revisit = (
        ("revisited_topics", s.topic_revisits, by_topics)
        if by_topics > by_dialogs
        else ("returns_to_topics", s.interest_dialogs, by_dialogs)
    )
    compare = shares.get(_COMPARISON, 0.0)
    chars_q = shares.get(_PRODUCT, 0.0) + shares.get(PREPURCHASE_KEY, 0.0)
    price = shares.get(_PRICE, 0.0)
    no_buy = ramp(s.interest_dialogs, 0.0, 2.0) * (1.0 - s.purchase_recency)
    out = [
        (revisit[0], revisit[1], W_DB_REVISIT * min(1.0, max(0.0, revisit[2]))),
        ("compares", compare, W_DB_COMPARE * ramp(compare, 0.0, 0.3)),
        ("asks_characteristics", chars_q, W_DB_CHARACTERISTICS * ramp(chars_q, 0.0, 0.4)),
        ("price_questions", price, W_DB_PRICE * ramp(price, 0.0, 0.3)),
        ("no_purchase", s.interest_dialogs, W_DB_NO_PURCHASE * no_buy),
    ]
    bought = s.purchase_recency > 0.0
    faulty = s.problem > 0.0 and (bought or s.orders > 0)
    if bought or faulty:
        positive = sum(map(_CONTRIBUTION, out))
        if bought:
            penalty = -DB_PURCHASE_PENALTY * s.purchase_recency * positive
            out.append(("recent_purchase", s.purchase_recency, penalty))
        if faulty:
            # «чайник перестал работать» from someone who bought it: they are back with a
            # problem, not hesitating over a purchase, however much they compared before.
            fault = saturate(s.problem)
            out.append(("reports_fault", fault, -DB_FAULT_PENALTY * fault * positive))
    return out


def _problem(s: Snapshot) -> list[Feature]:
    site = s.site
    site_level = 0.0 if site is None else site.problem
    level = s.problem + site_level
    problem = saturate(level)
    negative = saturate(s.negativity)
    core = max(problem, 0.6 * negative)
    has_order = 1.0 if s.orders > 0 or s.purchase_recency > 0.0 else 0.0
    # Levels are shown as the saturated 0..1 value that is weighed, not the decayed count
    # behind it: an operator read "level 3.47" as nonsense.
    out = [
        ("problem_intents", problem, W_RP_PROBLEM * problem),
        ("negative_sentiment", negative, W_RP_NEGATIVE * negative),
        ("has_order", s.orders, W_RP_HAS_ORDER * has_order * min(1.0, 2.0 * core)),
    ]
    if site_level > 0.0 and site is not None:
        # The open problem is the sum of both levels; each is credited with its part of it.
        share = site_level / level
        out[0] = ("problem_intents", problem, W_RP_PROBLEM * problem * (1.0 - share))
        out.append(("site_support_pages", site.support_views, W_RP_PROBLEM * problem * share))
    return out


def _irritated(s: Snapshot) -> list[Feature]:
    # Reasons carry the 0..1 levels that are weighed (see `_problem`).
    irritation = min(1.0, s.irritation)
    negative = saturate(s.negativity)
    waiting = saturate(s.waiting)
    return [
        ("irritation", irritation, W_IRR_LEVEL * irritation),
        ("negative_sentiment", negative, W_IRR_NEGATIVE * negative),
        ("waiting_complaints", waiting, W_IRR_WAITING * waiting),
    ]


def _price(s: Snapshot, discount_source: bool) -> list[Feature]:
    share = s.intent_shares.get(_PRICE, 0.0)
    recent = saturate(s.recent_intents.get(_PRICE, 0.0))  # a 0..1 level, shown as such
    source = 1.0 if discount_source else 0.0
    return [
        ("price_questions", share, W_PS_SHARE * ramp(share, 0.0, 0.4)),
        ("price_dialogs", s.price_dialogs, W_PS_DIALOGS * min(1.0, s.price_dialogs / 3.0)),
        ("recent_price_interest", recent, W_PS_RECENT * recent),
        ("discount_source", source, W_PS_SOURCE * source),
    ]


def _with_site(
    s: Snapshot,
    site: SiteSnapshot,
    features: tuple[tuple[Segment, list[Feature]], ...],
    discount: bool,
) -> tuple[tuple[Segment, list[Feature]], ...]:
    """The habit segments' features mixed with the site's (the moods say nothing of the
    site; the problem reads the site's level itself, in `_problem`)."""
    q = site_share(site, s.recent_messages)
    by_site = {
        Segment.RESEARCHER: site_researcher(site),
        Segment.DOUBTING_BUYER: site_doubting(site, s.purchase_recency, DB_PURCHASE_PENALTY),
        Segment.PRICE_SENSITIVE: site_price(site, discount),
    }
    return tuple(
        (segment, mix(feats, by_site[segment], q) if segment in by_site else feats)
        for segment, feats in features
    )


def score_segments(
    s: Snapshot,
    source: SourceContext,
    overrides: Mapping[str, list[float]],
    hl: HalfLives,
) -> dict[Segment, SegmentScore]:
    """Score every segment from a snapshot of the profile at `s.now`."""
    priors = source_priors(source)
    discount = Segment.PRICE_SENSITIVE in priors
    features = (
        (Segment.URGENT, _urgent(s)),
        (Segment.RESEARCHER, _researcher(s)),
        (Segment.DOUBTING_BUYER, _doubting(s)),
        (Segment.RETURNING_WITH_PROBLEM, _problem(s)),
        (Segment.IRRITATED, _irritated(s)),
        (Segment.PRICE_SENSITIVE, _price(s, discount)),
    )
    # Strength of the messages' own evidence (site features mixed in below are plain
    # evidence and do not boost it, so more seen on the site never lowers confidence).
    strengths = [sum(map(_CONTRIBUTION, feats)) for _, feats in features]
    site = s.site
    if site is not None:
        features = _with_site(s, site, features, discount)
    out: dict[Segment, SegmentScore] = {}
    n = s.messages
    # Site events are evidence too, for everything but the moods (see `_with_site`).
    n_site = n if site is None else n + site.evidence_total
    freshness = 1.0 if s.silence_s is None else decay_factor(s.silence_s, hl.mood_s)
    min_reason = _MIN_REASON
    moods = MOOD_SEGMENTS
    evidence_k = EVIDENCE_K
    for (segment, feats), strength in zip(features, strengths, strict=True):
        # Strong evidence counts for more than its message count: three clearly urgent
        # messages are worth more than three that barely hint at it (see EVIDENCE_GAIN).
        if strength > 0.0:
            m = n * (1.0 + EVIDENCE_GAIN * (strength if strength < 1.0 else 1.0))
        else:
            m = n
        # (site events stay plain evidence below: a page view is a hint, not a label)
        k = evidence_k[segment]
        if segment in moods:
            e = m / (m + k) * freshness
        else:
            if site is not None:
                m += n_site - n
            e = m / (m + k)
        # (-|contribution|, code, value, contribution): sorts natively, strongest first.
        shown: list[tuple[float, str, float, float]] = []
        value = 0.0
        for code, measured, c in feats:
            c *= e
            value += c
            if c >= min_reason:
                shown.append((-c, code, measured, c))
            elif c <= -min_reason:
                shown.append((c, code, measured, c))
        prior = priors.get(segment) if priors else None
        if prior is None:
            prior_code, prior, confidence = "neutral_prior", NEUTRAL_PRIOR, e
        else:
            prior_code, confidence = "source_prior", e + (1.0 - e) * SOURCE_PRIOR_CONFIDENCE
        c = (1.0 - e) * prior
        value += c
        if c >= min_reason:
            shown.append((-c, prior_code, prior, c))
        pinned = overrides.get(segment) if overrides else None
        if pinned is not None:
            target, at, count = pinned
            k = OVERRIDE_YIELD_K[segment]
            w = decay_factor(s.now - at, hl.override_s) * k / (k + max(0.0, n - count))
            shift = w * (target - value)
            if abs(shift) >= _MIN_REASON:
                shown.append((-abs(shift), "operator_override", target, shift))
            value += shift
            confidence = max(confidence, w)
        shown.sort()
        out[segment] = SegmentScore(
            0.0 if value < 0.0 else 1.0 if value > 1.0 else value,
            1.0 if confidence > 1.0 else confidence,
            raw=shown,
        )
    return out
