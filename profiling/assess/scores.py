"""Lead hotness and churn risk, 0..100, from documented weighted formulas.

Both scores are

    score = round(100 · clamp(Σ W_i · f_i, 0, 1))

where every f_i is a feature in 0..1 (or -1..1 for sentiment) read from a `Snapshot`, and the
W_i are the named module constants below. Each addend is returned as a reason whose
contribution is in points (W_i · f_i · 100), largest first, so a human sees exactly why.

Signals of the current dialog only (its engagement) count with `Snapshot.dialog_live`, so
they fade once the dialog is over; the overall engagement counts messages decayed with the
long-term half-life.
"""

from __future__ import annotations

from collections.abc import Sequence

from profiling.assess.reasons import Explained, RawReason
from profiling.assess.segments import Feature, Snapshot, ramp, saturate
from profiling.profile.meaning import PREPURCHASE_KEY
from profiling.profile.timing import decay_factor
from profiling.types import Intent, Reason, SourceContext


class Score(Explained):
    """A score 0..100 and its `reasons`, top contributors first, contributions in points."""

    __slots__ = ("value",)

    def __init__(
        self,
        value: int,
        reasons: Sequence[Reason] | None = None,
        *,
        raw: Sequence[RawReason] = (),
    ) -> None:
        super().__init__(reasons, raw)
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return (self.value, self.reasons) == (other.value, other.reasons)

    __hash__ = None  # type: ignore[assignment]  # equal by value, like the dataclass it was

    def __repr__(self) -> str:
        return f"Score(value={self.value!r}, reasons={self.reasons!r})"


# --- Lead hotness: how likely the customer is to buy soon.
# Engagement, recency, responsiveness and a positive mood amplify buying signals: each
# counts times the strongest of them (see `lead_hotness`), never on its own.
W_HOT_ENGAGEMENT = 0.15  # messages in this dialog and overall
W_HOT_BUYING = 0.30  # recent buying intents, weighted by how close to a purchase they are
W_HOT_RECENCY = 0.20  # wrote recently
W_HOT_SENTIMENT = 0.10  # signed: positive mood adds, negative takes away
W_HOT_SOURCE = 0.10  # came from an ad: they already clicked on an offer
W_HOT_RESPONSIVE = 0.10  # answers the bot quickly
W_HOT_TARGET = 0.15  # a recent lead / booking / purchase
W_HOT_IRRITATION = -0.20  # an annoyed customer is not about to buy
W_HOT_SITE_CART = 0.20  # put something in the cart or started a checkout on the site
HOT_RECENCY_HALF_LIFE_S = 24 * 3600.0
# How far an ad click alone opens the activity amplifier: the customer clicked an offer, but
# said nothing about buying yet.
HOT_SOURCE_GATE = 0.3
# How close each intent is to a purchase (a booking is one step away).
BUYING_INTENT_WEIGHTS: dict[str, float] = {
    Intent.BOOKING.value: 1.0,
    Intent.PRICE.value: 0.7,
    Intent.PRODUCT_QUESTION.value: 0.5,
    Intent.COMPARISON.value: 0.4,
    PREPURCHASE_KEY: 0.4,  # "do you deliver to Kazan?" before any order
}

# --- Churn risk: how likely the customer is to stop coming back.
W_CH_IRRITATION = 0.25
W_CH_PROBLEM = 0.25  # an unresolved order problem
W_CH_SILENCE = 0.25  # silent for much longer than their usual gap between dialogs
W_CH_DECLINE = 0.10  # writes less often than they used to
W_CH_NEGATIVE = 0.10  # negative sentiment lately
W_CH_FAILED_ORDERS = 0.10  # cancelled or returned orders
W_CH_LOYALTY = -0.15  # a recent purchase keeps them, unless that order is the problem
W_CH_THREAT = 0.35  # said they are leaving: «больше не закажу», "never ordering again"
# Before we know a customer's cadence, assume they come back every two weeks.
DEFAULT_CADENCE_S = 14 * 24 * 3600.0
_MIN_POINTS = 0.5


def _score(parts: list[Feature]) -> Score:
    total = 0.0
    shown: list[tuple[float, str, float, float]] = []
    for code, measured, weight in parts:
        points = 100.0 * weight
        total += points
        if points >= _MIN_POINTS or points <= -_MIN_POINTS:
            shown.append((-abs(points), code, measured, points))
    shown.sort()  # strongest first
    return Score(
        round(min(100.0, max(0.0, total))),
        raw=shown,
    )


def lead_hotness(s: Snapshot, source: SourceContext) -> Score:
    """Buying signals (intents, an ad source, target actions, the cart on the site), with
    activity (engagement, recency, responsiveness, a positive mood) as their amplifier.

    Activity alone is not interest: a customer typing gibberish once scored 43/100, +20 a
    message. So engagement, recency, quick answers and a positive tone count only in
    proportion to the strongest buying signal (`gate`, 0..1); irritation and a negative
    tone always take points away.
    """
    buying_level = sum(
        w * s.recent_intents.get(key, 0.0) for key, w in BUYING_INTENT_WEIGHTS.items()
    )
    buying = saturate(buying_level)  # reasons show the 0..1 level that is weighed
    from_ad = 1.0 if (source.campaign or source.ad or source.creative) else 0.0
    site = s.site
    cart = saturate(site.cart) if site is not None and site.cart > 0.0 else 0.0
    gate = max(buying, cart, s.target_recency, HOT_SOURCE_GATE * from_ad)
    engagement = 0.6 * ramp(s.dialog_msgs, 0.0, 5.0) * s.dialog_live + 0.4 * ramp(
        s.recent_messages, 0.0, 15.0
    )
    recency = 0.0 if s.silence_s is None else decay_factor(s.silence_s, HOT_RECENCY_HALF_LIFE_S)
    # A good mood amplifies interest like activity does; a bad one costs points regardless.
    mood = s.polarity * gate if s.polarity > 0.0 else s.polarity
    irritation = min(1.0, s.irritation)
    parts: list[Feature] = [
        ("engagement", s.dialog_msgs, W_HOT_ENGAGEMENT * engagement * gate),
        ("buying_intents", buying, W_HOT_BUYING * buying),
        (
            "recency_s",
            s.silence_s if s.silence_s is not None else -1.0,
            W_HOT_RECENCY * recency * gate,
        ),
        ("sentiment", s.polarity, W_HOT_SENTIMENT * mood),
        ("ad_source", from_ad, W_HOT_SOURCE * from_ad),
        ("target_action", s.target_recency, W_HOT_TARGET * s.target_recency),
        ("irritation", irritation, W_HOT_IRRITATION * irritation),
    ]
    if s.latency_s is not None:
        responsive = ramp(s.latency_s, 900.0, 30.0) * gate
        parts.append(("fast_reply_s", s.latency_s, W_HOT_RESPONSIVE * responsive))
    if cart > 0.0:
        # An add to cart is half a step, a started checkout a full one (see profile.site).
        parts.append(("site_cart", cart, W_HOT_SITE_CART * cart))
    return _score(parts)


def churn_risk(s: Snapshot) -> Score:
    """Irritation, open problems (from messages, orders and the site), silence against the
    usual cadence, declining activity, a stated intent to leave; a recent purchase lowers it
    unless it is the problem."""
    cadence = s.cadence_s if s.cadence_s else DEFAULT_CADENCE_S
    silence_ratio = 0.0 if s.silence_s is None else s.silence_s / cadence
    site = s.site
    site_problem = 0.0 if site is None else site.problem
    problem = saturate(s.problem + site_problem)
    threat = min(1.0, s.threat)
    # A purchase keeps a customer, unless that order is the problem or they say they leave.
    loyalty = s.purchase_recency * (1.0 - problem) * (1.0 - threat)
    # Levels (irritation, problem, negativity, failed orders, threat) are reported as the 0..1
    # values that are weighed, never as the unbounded decayed counts behind them.
    irritation = min(1.0, s.irritation)
    negative = saturate(s.negativity)
    failed = saturate(s.bad_orders)
    parts: list[Feature] = [
        ("irritation", irritation, W_CH_IRRITATION * irritation),
        ("open_problem", problem, W_CH_PROBLEM * problem),
        ("silence_ratio", silence_ratio, W_CH_SILENCE * ramp(silence_ratio, 1.5, 5.0)),
        ("negative_sentiment", negative, W_CH_NEGATIVE * negative),
        ("failed_orders", failed, W_CH_FAILED_ORDERS * failed),
        ("recent_purchase", s.purchase_recency, W_CH_LOYALTY * loyalty),
    ]
    if site_problem > 0.0 and site is not None:
        # Returns or contacts pages soon after a purchase: the site's part of the problem.
        share = site_problem / (s.problem + site_problem)
        parts[1] = ("open_problem", problem, W_CH_PROBLEM * problem * (1.0 - share))
        parts.append(("site_support_pages", site.support_views, W_CH_PROBLEM * problem * share))
    if threat:
        parts.append(("threatens_to_leave", threat, W_CH_THREAT * threat))
    if s.activity_trend is not None:
        parts.append(
            (
                "activity_decline",
                s.activity_trend,
                W_CH_DECLINE * ramp(s.activity_trend, 1.0, 0.2),
            )
        )
    return _score(parts)
