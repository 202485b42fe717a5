"""What the meaning of one message does to the profile: intents, topics, mood, feedback.

`ProfileState.add_incoming` folds the form and timing of a message (length, pace, latency,
hours) itself and hands its meaning to the functions here, which move the levels that are
read later with their own half-lives: recent intents and the open problem, the topics the
customer comes back to, irritation and negativity, and the preferred answer length. Each is
O(1) in the history, like every update of the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from profiling.half_lives import HalfLives
from profiling.timing import decay_factor
from profiling.types import Intent, MessageSignals, Sentiment

if TYPE_CHECKING:
    # Only for annotations: the state module imports this one.
    from profiling.state import ProfileState

# Intents that mean "something is wrong with what I bought".
PROBLEM_INTENTS = frozenset(
    {Intent.ORDER_STATUS, Intent.DELIVERY, Intent.RETURN_REFUND, Intent.WARRANTY, Intent.COMPLAINT}
)
# Intents of someone considering a purchase.
INTEREST_INTENTS = frozenset(
    {Intent.PRICE, Intent.COMPARISON, Intent.PRODUCT_QUESTION, Intent.BOOKING}
)
_INTEREST_KEYS = frozenset(i.value for i in INTEREST_INTENTS)
# At most this many topics are tracked; the faintest is forgotten to make room.
MAX_TOPICS = 16
# A calm, non-negative message after an outburst takes this share of the irritation away.
CALM_RELIEF = 0.7
CALM_IRRITATION = 0.2
# An order delivered or a thankful message halves the open problem: likely resolved.
RESOLUTION_RELIEF = 0.5
# Feedback: "more detail" / "shorter" moves the length preference at least this far.
FEEDBACK_JUMP = 0.8


def add_intent(state: ProfileState, s: MessageSignals) -> None:
    """Count the intent in both horizons, raise its recent level, open or ease a problem."""
    intent = s.intent.intent
    key = intent.value
    state.last_intent = key
    if intent is Intent.OTHER:
        return
    weight = s.intent.confidence
    if intent in INTEREST_INTENTS:
        seen_interest = any(k in _INTEREST_KEYS for k in state.d_intents)
        if not seen_interest:
            state.interest_dialogs += 1.0
        if intent is Intent.PRICE and key not in state.d_intents:
            state.price_dialogs += 1.0
    state.d_intents[key] = state.d_intents.get(key, 0) + 1
    state.lt_intents[key] = state.lt_intents.get(key, 0.0) + 1.0
    state.recent_intents[key] = state.recent_intents.get(key, 0.0) + weight
    if intent in PROBLEM_INTENTS:
        state.problem += weight
    elif intent is Intent.THANKS:
        state.problem *= RESOLUTION_RELIEF


def add_topics(state: ProfileState, topics: tuple[str, ...]) -> None:
    """Count mentions of each topic and the dialogs it came up in (for revisits)."""
    tracked = state.topics
    for topic in topics:
        entry = tracked.get(topic)
        if entry is None:
            if len(tracked) >= MAX_TOPICS:
                faintest = min(tracked, key=lambda k: tracked[k][0])
                del tracked[faintest]
            entry = [0.0, 0.0, -1.0]
            tracked[topic] = entry
        entry[0] += 1.0
        if entry[2] != state.dialogs_total:
            entry[1] += 1.0
            entry[2] = float(state.dialogs_total)


def add_mood(state: ProfileState, s: MessageSignals) -> None:
    """Irritation peaks and calms down, negativity and waiting complaints accumulate."""
    sent = s.sentiment
    if sent.irritation >= state.irritation:
        state.irritation = sent.irritation
    elif sent.irritation < CALM_IRRITATION and sent.label is not Sentiment.NEGATIVE:
        state.irritation *= CALM_RELIEF
    state.negativity += max(0.0, -sent.polarity)
    if sent.waiting_complaint:
        state.waiting += 1.0
    # Being negative about an order you have is an order problem even without the keyword.
    if state.orders_total and sent.label is Sentiment.NEGATIVE:
        state.problem += 0.5 * max(0.0, -sent.polarity)


def add_feedback(state: ProfileState, s: MessageSignals, ts: float, hl: HalfLives) -> None:
    """Feedback on answer length ("more detail", "shorter") moves the preference at once."""
    if not (s.asks_more_detail or s.asks_shorter):
        return
    pref = state.length_pref * decay_factor(ts - state.length_pref_at, hl.feedback_s)
    if s.asks_more_detail and not s.asks_shorter:
        # A miss must move the profile at once: jump past any old "short" preference.
        pref = FEEDBACK_JUMP + (1.0 - FEEDBACK_JUMP) * max(pref, 0.0)
    elif s.asks_shorter and not s.asks_more_detail:
        pref = -FEEDBACK_JUMP + (1.0 - FEEDBACK_JUMP) * min(pref, 0.0)
    state.length_pref = pref
    state.length_pref_at = ts
