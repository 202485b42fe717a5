"""What the meaning of one message does to the profile: intents, topics, mood, feedback.

`ProfileState.add_incoming` folds the form and timing of a message (length, pace, latency,
hours) itself and hands its meaning to the functions here, which move the levels that are
read later with their own half-lives: recent intents and the open problem, the topics the
customer comes back to, irritation and negativity, and the preferred answer length. Each is
O(1) in the history, like every update of the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from profiling.profile.half_lives import HalfLives
from profiling.profile.timing import decay_factor
from profiling.types import Intent, MessageSignals, Sentiment

if TYPE_CHECKING:
    # Only for annotations: the state module imports this one.
    from profiling.profile.state import ProfileState

# Intents that mean "something is wrong with what I bought" when the customer has an order
# or is upset; a complaint always does.
PROBLEM_INTENTS = frozenset(
    {Intent.ORDER_STATUS, Intent.DELIVERY, Intent.RETURN_REFUND, Intent.WARRANTY, Intent.COMPLAINT}
)
# Of those, the questions a prospect asks before buying ("do you deliver to Kazan?", "can I
# return it?"): without an order and calm, they are interest, counted under PREPURCHASE_KEY.
PREPURCHASE_INTENTS = frozenset({Intent.DELIVERY, Intent.RETURN_REFUND, Intent.WARRANTY})
PREPURCHASE_KEY = "prepurchase"
# Intents of someone considering a purchase.
INTEREST_INTENTS = frozenset(
    {Intent.PRICE, Intent.COMPARISON, Intent.PRODUCT_QUESTION, Intent.BOOKING}
)
_INTEREST_KEYS = frozenset({*(i.value for i in INTEREST_INTENTS), PREPURCHASE_KEY})
# A message is "upset" when negative, this irritated, or complaining about waiting.
UPSET_IRRITATION = 0.3
# The same service question asked again in one dialog: the customer is at least this irritated.
REPEATED_QUESTION_IRRITATION = 0.35
REPEAT_IRRITATES = frozenset({Intent.ORDER_STATUS, Intent.HUMAN_REQUEST, Intent.COMPLAINT})
# ... and these once there is an order: from a prospect they are pre-purchase questions, and
# "do you deliver to Kazan?" then "and to Tver?" is interest, not impatience.
REPEAT_IRRITATES_WITH_ORDER = frozenset({Intent.DELIVERY, Intent.RETURN_REFUND, Intent.WARRANTY})
# At most this many topics are tracked; the faintest is forgotten to make room.
MAX_TOPICS = 16
# A calm, non-negative message after an outburst takes this share of the irritation away.
CALM_RELIEF = 0.7
CALM_IRRITATION = 0.2
# An order delivered or a thankful message halves the open problem: likely resolved.
RESOLUTION_RELIEF = 0.5
# Feedback: "more detail" / "shorter" moves the length preference this far when the bot's
# previous reply fits the complaint (long before "shorter", short before "more detail") ...
FEEDBACK_JUMP = 0.8
# ... and scales down to this share of it when the reply does not fit: "shorter" after a
# two-line answer is more likely about something else than about our length.
FEEDBACK_MISFIT_SHARE = 0.3
# Reply lengths (characters) between which the fit ramps from none to full.
SHORTER_FIT_CHARS = (80.0, 300.0)  # "shorter" fits replies from ~300 characters
MORE_FIT_CHARS = (600.0, 200.0)  # "more detail" fits replies up to ~200 characters


def is_upset(s: MessageSignals) -> bool:
    sent = s.sentiment
    return (
        sent.label is Sentiment.NEGATIVE
        or sent.irritation >= UPSET_IRRITATION
        or sent.waiting_complaint
    )


def add_intent(state: ProfileState, s: MessageSignals) -> None:
    """Count the intent in both horizons, raise its recent level, open or ease a problem.

    Order, delivery, return and warranty questions open a problem only for a customer with
    an order or an upset one; from a calm prospect, delivery, return and warranty questions
    are pre-purchase interest (and a calm status question about an order the shop does not
    know of is neither).
    """
    intent = s.intent.intent
    key = intent.value
    state.last_intent = key
    if intent is Intent.OTHER:
        return
    weight = s.intent.confidence
    problem = intent in PROBLEM_INTENTS and (
        intent is Intent.COMPLAINT or state.has_order or is_upset(s)
    )
    prepurchase = not problem and intent in PREPURCHASE_INTENTS
    if intent in INTEREST_INTENTS or prepurchase:
        if not any(k in _INTEREST_KEYS for k in state.d_intents):
            state.interest_dialogs += 1.0
        if intent is Intent.PRICE and key not in state.d_intents:
            state.price_dialogs += 1.0
    _count(state, key, weight)
    if prepurchase:
        _count(state, PREPURCHASE_KEY, weight)
    if problem:
        state.problem += weight
    elif intent is Intent.THANKS:
        state.problem *= RESOLUTION_RELIEF


def _count(state: ProfileState, key: str, weight: float) -> None:
    state.d_intents[key] = state.d_intents.get(key, 0) + 1
    state.lt_intents[key] = state.lt_intents.get(key, 0.0) + 1.0
    state.recent_intents[key] = state.recent_intents.get(key, 0.0) + weight


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


def is_repeated_question(state: ProfileState, s: MessageSignals) -> bool:
    """Whether `s` asks the same service question as the customer's previous message.

    «где заказ?» and again «где мой заказ?» means the first answer (or the wait for one) did
    not satisfy: impatience. Only questions whose repetition means that count; two price
    questions are more often about two products, two delivery questions from a prospect
    about two towns. Called before `add_intent` moves `state.last_intent`.
    """
    intent = s.intent.intent
    if not s.questions or intent != state.last_intent:  # a StrEnum equals its value
        return False
    return intent in REPEAT_IRRITATES or (intent in REPEAT_IRRITATES_WITH_ORDER and state.has_order)


def add_mood(state: ProfileState, s: MessageSignals, repeated_question: bool = False) -> None:
    """Irritation peaks and calms down, negativity and waiting complaints accumulate; a
    question asked again in the same dialog is impatience (REPEATED_QUESTION_IRRITATION)."""
    sent = s.sentiment
    irritation = sent.irritation
    if repeated_question and irritation < REPEATED_QUESTION_IRRITATION:
        irritation = REPEATED_QUESTION_IRRITATION
    if irritation >= state.irritation:
        state.irritation = irritation
    elif irritation < CALM_IRRITATION and sent.label is not Sentiment.NEGATIVE:
        state.irritation *= CALM_RELIEF
    state.negativity += max(0.0, -sent.polarity)
    if sent.waiting_complaint:
        state.waiting += 1.0
    # «больше не закажу», "never ordering again": a warning the churn score must not miss.
    if s.threatens_to_leave:
        state.threat += 1.0
    # Being negative about an order you have is an order problem even without the keyword.
    if state.orders_total and sent.label is Sentiment.NEGATIVE:
        state.problem += 0.5 * max(0.0, -sent.polarity)


def add_feedback(state: ProfileState, s: MessageSignals, ts: float, hl: HalfLives) -> None:
    """Feedback on answer length ("more detail", "shorter", or a request to clarify) moves
    the preference at once.

    It only counts as feedback when the bot spoke since the customer's previous message
    (there is an answer to be too long or too short), and it moves the preference by how
    well the length of that answer fits the complaint. Called before `last_incoming_at`
    moves to this message.
    """
    # Not following the answer («в смысле?», "I don't get it") asks for a fuller one too,
    # unless the same message asks for a shorter one («не понял, можно короче?»).
    shorter = s.asks_shorter
    more = s.asks_more_detail
    if not (more or shorter or s.asks_clarification):
        return  # the usual message: no feedback at all
    more = more or (s.asks_clarification and not shorter)
    if more is shorter:  # a contradiction
        return
    replied, previous = state.last_outgoing_at, state.last_incoming_at
    if replied is None or (previous is not None and replied <= previous):
        return
    lo, hi = MORE_FIT_CHARS if more else SHORTER_FIT_CHARS
    fit = min(1.0, max(0.0, (state.last_outgoing_chars - lo) / (hi - lo)))
    jump = FEEDBACK_JUMP * (FEEDBACK_MISFIT_SHARE + (1.0 - FEEDBACK_MISFIT_SHARE) * fit)
    pref = state.length_pref * decay_factor(ts - state.length_pref_at, hl.feedback_s)
    # A miss must move the profile at once: jump past any old preference the other way.
    sign = 1.0 if more else -1.0
    pref = sign * (jump + (1.0 - jump) * max(sign * pref, 0.0))
    state.length_pref = pref
    state.length_pref_at = ts
