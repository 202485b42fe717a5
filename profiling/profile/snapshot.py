"""`Snapshot`: the profile read at one moment, the one input of every score.

The state stores decayed sums and levels as of its last update; a snapshot turns them into
what the scorers need at `now`: averages that blend the current dialog with the long term
(the dialog leads once it has a few messages, and fades once it is over), and levels decayed
to `now`. Reading never changes the state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from profiling.profile.half_lives import HalfLives
from profiling.profile.site import SiteSnapshot, read_site
from profiling.profile.state import ProfileState
from profiling.profile.timing import decay_factor
from profiling.types import Intent

# Weight of the current dialog against the long term: d / (d + K) for d dialog messages, so
# after three messages the dialog's own style leads.
DIALOG_BLEND_K = 2.0
# Once a dialog is over its own style fades fast: a check-in tomorrow should read the habits.
ENDED_DIALOG_HALF_LIFE_S = 6 * 3600.0
_LN2 = math.log(2.0)


@dataclass(slots=True)  # not frozen: built on every message, and frozen init costs ~2 µs
class Snapshot:
    """The profile read at one moment: blended horizons and levels decayed to `now`.

    Treat as read-only: it is a value computed by `take_snapshot`.
    """

    now: float
    messages: int
    recent_messages: float  # messages with words, decayed with the long-term half-life
    dialog_msgs: int
    # 1 while the current dialog goes on, fading once it is over: dialog-only signals
    # (engagement, bursts) are weighted by it, so a burst of last spring is not "now".
    dialog_live: float
    chars: float  # mean message length, current dialog blended with the long term
    gap_s: float | None  # typical pause between the customer's messages
    latency_s: float | None  # typical time to answer the bot
    question_share: float  # share of messages with a question
    terms: float  # terminology per message
    formality: float  # -1..1
    polarity: float  # -1..1
    urgent_share: float  # share of messages with urgency words
    max_burst: int  # longest burst in the current dialog
    intent_shares: Mapping[str, float]  # share of messages per intent
    recent_intents: Mapping[str, float]  # decayed intent levels
    irritation: float
    negativity: float
    waiting: float
    problem: float
    threat: float  # stated intent to leave, decayed
    topic_revisits: int  # topics that came up in two dialogs or more
    interest_dialogs: float
    price_dialogs: float
    silence_s: float | None  # since the last incoming message
    cadence_s: float | None  # usual silence between dialogs
    activity_trend: float | None  # recent message rate / usual rate (1 = steady)
    length_pref: float  # feedback preference -1 short .. +1 long, decayed
    orders: int
    bad_orders: float
    purchase_recency: float  # 1 just bought .. 0 never / long ago
    target_recency: float  # same for any target action (lead, booking, purchase)
    # What the shop's website showed, read at `now`; None for a customer never seen there
    # (most of them, and then nothing about the site costs anything).
    site: SiteSnapshot | None = None

    def share(self, intent: Intent) -> float:
        return self.intent_shares.get(intent.value, 0.0)


def _blend(d_sum: float, d_n: float, lt_sum: float, lt_n: float, w_d: float) -> float:
    lt = lt_sum / lt_n if lt_n else 0.0
    if not d_n:
        return lt
    d = d_sum / d_n
    return d if not lt_n else w_d * d + (1.0 - w_d) * lt


def _geo(d_log: float, d_n: int, lt_log: float, lt_n: float, w_d: float) -> float | None:
    if not d_n and not lt_n:
        return None
    return math.expm1(_blend(d_log, d_n, lt_log, lt_n, w_d))


def _window(age_s: float, half_life_s: float) -> float:
    """Seconds a decayed count has had to fill: ∫ 2^(−t/hl) dt over the profile's age.

    A steady rate r gives a decayed count of r · hl/ln 2 · (1 − 2^(−age/hl)), so dividing
    by this window reads the rate back exactly, young profile or old.
    """
    return half_life_s / _LN2 * (1.0 - math.exp(-_LN2 * age_s / half_life_s))


def take_snapshot(
    st: ProfileState, now: float, hl: HalfLives, dialog_gap_s: float = 1800.0
) -> Snapshot:
    """Read `st` at `now` (>= its last update) without changing it."""
    dt = now - st.at
    live = 1.0
    if st.last_incoming_at is not None and now - st.last_incoming_at > dialog_gap_s:
        live = decay_factor(now - st.last_incoming_at - dialog_gap_s, ENDED_DIALOG_HALF_LIFE_S)
    w_d = live * st.d_msgs / (st.d_msgs + DIALOG_BLEND_K)
    shares: dict[str, float] = {}
    dn, ln = st.d_msgs, st.lt_n
    d_intents = st.d_intents
    # Every dialog intent is also counted in the long term, so its keys cover both.
    for key, lt_count in st.lt_intents.items():
        shares[key] = _blend(d_intents.get(key, 0), dn, lt_count, ln, w_d)
    fi = decay_factor(dt, hl.intents_s)
    fn = decay_factor(dt, hl.negativity_s)
    age = now - st.created_at
    trend = None
    if st.messages_total >= 3 and age > hl.activity_fast_s:
        fast = st.act_fast * decay_factor(dt, hl.activity_fast_s)
        slow = st.act_slow * decay_factor(dt, hl.activity_slow_s)
        slow_window = _window(age, hl.activity_slow_s)
        if slow > 0.0 and slow_window > 0.0:
            trend = (fast / _window(age, hl.activity_fast_s)) / (slow / slow_window)
    last_purchase = st.last_purchase_at
    site = st.site
    last_target = st.last_target_at if st.last_target_at is not None else last_purchase
    return Snapshot(
        now=now,
        messages=st.messages_total,
        recent_messages=st.lt_n * decay_factor(dt, hl.long_term_s),
        dialog_msgs=st.d_msgs,
        dialog_live=live,
        chars=_blend(st.d_chars, dn, st.lt_chars, ln, w_d),
        gap_s=_geo(st.d_log_gap, st.d_gaps, st.lt_log_gap, st.lt_gaps, w_d),
        latency_s=_geo(st.d_log_latency, st.d_latencies, st.lt_log_latency, st.lt_latencies, w_d),
        question_share=_blend(st.d_questions, dn, st.lt_questions, ln, w_d),
        terms=_blend(st.d_terms, dn, st.lt_terms, ln, w_d),
        formality=_blend(st.d_formality, dn, st.lt_formality, ln, w_d),
        polarity=_blend(st.d_polarity, dn, st.lt_polarity, ln, w_d),
        urgent_share=_blend(st.d_urgent, dn, st.lt_urgent, ln, w_d),
        max_burst=st.d_max_burst,
        intent_shares=shares,
        recent_intents={k: v * fi for k, v in st.recent_intents.items()},
        irritation=st.irritation * decay_factor(dt, hl.irritation_s),
        negativity=st.negativity * fn,
        waiting=st.waiting * fn,
        problem=st.problem * decay_factor(dt, hl.problem_s),
        threat=st.threat * decay_factor(dt, hl.threat_s) if st.threat else 0.0,
        topic_revisits=sum(1 for e in st.topics.values() if e[1] >= 2.0),
        interest_dialogs=st.interest_dialogs,
        price_dialogs=st.price_dialogs,
        silence_s=None if st.last_incoming_at is None else max(0.0, now - st.last_incoming_at),
        cadence_s=st.usual_dialog_gap_s,
        activity_trend=trend,
        length_pref=st.length_pref * decay_factor(now - st.length_pref_at, hl.feedback_s),
        orders=st.orders_total,
        bad_orders=st.bad_orders,
        purchase_recency=0.0
        if last_purchase is None
        else decay_factor(now - last_purchase, hl.long_term_s),
        target_recency=0.0
        if last_target is None
        else decay_factor(now - last_target, hl.intents_s),
        site=None if site is None else read_site(site, now, hl),
    )
