"""The incremental customer profile: O(1) updates on two time horizons.

Nothing here re-reads history. Every update first "advances" the state to the event's
timestamp (multiplying the decayed quantities by the weight time has left them), then adds
the event. Averages are ratios of two decayed sums (Σ w·x / Σ w), so they need no decay at
read time; absolute levels (irritation, open problem, recent intents) are decayed to `now`
when read (see `profiling.profile.snapshot`).

Two horizons:
* the current dialog (`d_*` fields), reset when 30 minutes of silence end a dialog: the same
  person can be hurried in the morning and thoughtful in the evening;
* the long term (`lt_*` fields and the levels), exponentially decayed with time-based
  half-lives (`profiling.profile.half_lives`), so old habits fade instead of weighing forever.

What the meaning of a message (intent, topics, mood, feedback) does to the levels is in
`profiling.profile.meaning`, what the shop's order and conversion events do in
`profiling.profile.events`, what visits to the shop's website do in `profiling.profile.site`
(kept apart in `site`, so a message never pays for them); the versioned serialization is in
`profiling.profile.codec`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from profiling.errors import check_timestamp
from profiling.profile.active_hours import REBASE_HALF_LIVES, WEEK_BINS, histogram_weight
from profiling.profile.codec import DERIVED, state_from_dict, state_to_dict
from profiling.profile.events import add_order, add_target_action

# `HalfLives` is re-exported: the engine's callers and the tests import it from here.
from profiling.profile.half_lives import HalfLives
from profiling.profile.meaning import (
    add_feedback,
    add_intent,
    add_mood,
    add_topics,
    is_repeated_question,
)
from profiling.profile.site import SiteState, add_site_event
from profiling.profile.timing import COMPOSING_CHARS_PER_S, TimingSignals, decay_factor
from profiling.types import Lang, MessageSignals, SiteEvent, SourceContext

# Terminology counts saturate: a spec sheet pasted in should not swamp the average.
MAX_TERMS_PER_MESSAGE = 3
# Recent-intent levels below this are dropped so the map stays small.
MIN_LEVEL = 0.01
_LN2 = math.log(2.0)


def _zero_hours() -> list[float]:
    return [0.0] * 24


def _zero_week() -> list[float]:
    return [0.0] * WEEK_BINS


@dataclass(slots=True)
class ProfileState:
    """Everything the engine remembers about one customer. Mutated only by `ProfileEngine`."""

    # 2: the hour-of-day histogram became an hour-of-week one (`week_hours`, `hist_at`),
    # overrides remember the message count they were set at, and `threat` was added.
    # 3: `site`, what the customer's visits to the shop's website showed.
    VERSION: ClassVar[int] = 3

    created_at: float = 0.0
    at: float = 0.0  # time the decayed quantities are expressed at
    lang: Lang = Lang.RU
    # First-touch ad context.
    src_campaign: str | None = None
    src_ad: str | None = None
    src_creative: str | None = None
    src_tags: list[str] = field(default_factory=list)
    # Plain counters and last-event times.
    messages_total: int = 0
    dialogs_total: int = 0
    outgoing_total: int = 0
    orders_total: int = 0
    targets_total: int = 0
    last_incoming_at: float | None = None
    last_outgoing_at: float | None = None
    last_outgoing_chars: int = 0
    last_order_at: float | None = None
    last_order_status: str | None = None
    last_purchase_at: float | None = None
    last_target_at: float | None = None
    last_target_kind: str | None = None
    last_intent: str | None = None
    burst: int = 0
    # Current dialog.
    d_started_at: float | None = None
    d_msgs: int = 0
    d_chars: float = 0.0
    d_log_gap: float = 0.0  # Σ log1p(gap): pace is compared on a log scale
    d_gaps: int = 0
    d_log_latency: float = 0.0
    d_latencies: int = 0
    d_questions: int = 0
    d_terms: float = 0.0
    d_formality: float = 0.0
    d_polarity: float = 0.0
    d_urgent: int = 0
    d_max_burst: int = 0
    d_intents: dict[str, int] = field(default_factory=dict)
    d_converted: bool = False
    # Long term: decayed sums and their decayed weights.
    lt_n: float = 0.0
    lt_chars: float = 0.0
    lt_log_gap: float = 0.0
    lt_gaps: float = 0.0
    lt_log_latency: float = 0.0
    lt_latencies: float = 0.0
    lt_questions: float = 0.0
    lt_terms: float = 0.0
    lt_formality: float = 0.0
    lt_polarity: float = 0.0
    lt_urgent: float = 0.0
    lt_intents: dict[str, float] = field(default_factory=dict)
    lt_dialogs: float = 0.0
    lt_log_dialog_gap: float = 0.0  # Σ log1p(silence before a new dialog): usual cadence
    lt_dialog_gaps: float = 0.0
    interest_dialogs: float = 0.0  # dialogs with price/comparison/product/booking questions
    price_dialogs: float = 0.0
    # Local hour-of-week histogram (Monday 00:00 = 0) in growth units as of `hist_at` (see
    # `profiling.profile.active_hours.histogram_weight`); `hours` is its hour-of-day sum, kept
    # alongside for speed, rebuilt on load and never stored.
    week_hours: list[float] = field(default_factory=_zero_week, repr=False)
    hist_at: float = 0.0
    hours: list[float] = field(
        default_factory=_zero_hours, compare=False, repr=False, metadata=DERIVED
    )
    act_fast: float = 0.0
    act_slow: float = 0.0
    # topic -> [decayed mentions, dialogs it came up in, last dialog number]
    topics: dict[str, list[float]] = field(default_factory=dict)
    # Levels read at `now` with their own half-lives.
    irritation: float = 0.0
    negativity: float = 0.0
    waiting: float = 0.0
    problem: float = 0.0
    bad_orders: float = 0.0
    threat: float = 0.0  # "never ordering again": stated intent to leave, decayed
    recent_intents: dict[str, float] = field(default_factory=dict)
    # Feedback and operator labels.
    length_pref: float = 0.0  # -1 wants short .. +1 wants long, as of length_pref_at
    length_pref_at: float = 0.0
    # segment -> [value, ts, messages_total when set]: the label yields to later messages.
    overrides: dict[str, list[float]] = field(default_factory=dict)
    # The shop's website: None until the first site event (see `profiling.profile.site`).
    site: SiteState | None = None

    # ----------------------------------------------------------------- derived read-outs
    @property
    def last_seen_at(self) -> float | None:
        return self.last_incoming_at

    @property
    def avg_chars(self) -> float:
        """Long-term mean message length in characters (0 before the first message)."""
        return self.lt_chars / self.lt_n if self.lt_n else 0.0

    @property
    def dialog_avg_chars(self) -> float:
        return self.d_chars / self.d_msgs if self.d_msgs else 0.0

    @property
    def avg_gap_s(self) -> float | None:
        """Typical pause between a customer's messages within a dialog (geometric mean)."""
        return math.expm1(self.lt_log_gap / self.lt_gaps) if self.lt_gaps else None

    @property
    def dialog_avg_gap_s(self) -> float | None:
        return math.expm1(self.d_log_gap / self.d_gaps) if self.d_gaps else None

    @property
    def avg_latency_s(self) -> float | None:
        """Typical time the customer takes to answer the bot (geometric mean)."""
        return math.expm1(self.lt_log_latency / self.lt_latencies) if self.lt_latencies else None

    @property
    def usual_dialog_gap_s(self) -> float | None:
        """Typical silence between dialogs: the customer's cadence (geometric mean)."""
        if not self.lt_dialog_gaps:
            return None
        return math.expm1(self.lt_log_dialog_gap / self.lt_dialog_gaps)

    @property
    def cart_open_since(self) -> float | None:
        """When the customer put something in the cart on the site without checking out or
        ordering since (an abandoned cart, for a check-in), or None."""
        return None if self.site is None else self.site.cart_open_since

    @property
    def device(self) -> str | None:
        """The device of the customer's latest site visit: "mobile", "desktop", "tablet"."""
        return None if self.site is None else self.site.device

    @property
    def source(self) -> SourceContext:
        return SourceContext(
            campaign=self.src_campaign,
            ad=self.src_ad,
            creative=self.src_creative,
            tags=frozenset(self.src_tags),
        )

    # ---------------------------------------------------------------------- updates
    @property
    def has_order(self) -> bool:
        """Whether the shop has reported an order or a purchase of this customer."""
        return (
            self.orders_total > 0
            or self.last_order_at is not None
            or self.last_purchase_at is not None
        )

    def hist_scale(self, now: float, hl: HalfLives) -> float:
        """Factor turning the stored hour histograms into decayed message counts at `now`."""
        return decay_factor(now - self.hist_at, hl.long_term_s)

    def advance(self, ts: float, hl: HalfLives) -> None:
        """Decay every time-weighted quantity from `self.at` to `ts` (no-op going back)."""
        if not math.isfinite(ts):  # one NaN or inf would poison every decayed sum
            check_timestamp(ts)
        dt = ts - self.at
        if dt <= 0.0:
            return
        self.at = ts
        # decay_factor(dt, half_life) for each half-life, inlined (dt > 0 here): this runs on
        # every event, and the calls cost more than the arithmetic.
        exp = math.exp
        rate = -_LN2 * dt
        f = exp(rate / hl.long_term_s)
        self.lt_n *= f
        self.lt_chars *= f
        self.lt_log_gap *= f
        self.lt_gaps *= f
        self.lt_log_latency *= f
        self.lt_latencies *= f
        self.lt_questions *= f
        self.lt_terms *= f
        self.lt_formality *= f
        self.lt_polarity *= f
        self.lt_urgent *= f
        self.lt_dialogs *= f
        self.lt_log_dialog_gap *= f
        self.lt_dialog_gaps *= f
        self.interest_dialogs *= f
        self.price_dialogs *= f
        self.bad_orders *= f
        lt = self.lt_intents
        for key in lt:
            lt[key] *= f
        for entry in self.topics.values():
            entry[0] *= f
        self.act_fast *= exp(rate / hl.activity_fast_s)
        self.act_slow *= exp(rate / hl.activity_slow_s)
        self.irritation *= exp(rate / hl.irritation_s)
        fn = exp(rate / hl.negativity_s)
        self.negativity *= fn
        self.waiting *= fn
        self.problem *= exp(rate / hl.problem_s)
        if self.threat:
            self.threat *= exp(rate / hl.threat_s)
        if self.recent_intents:
            fi = exp(rate / hl.intents_s)
            self.recent_intents = {
                k: v * fi for k, v in self.recent_intents.items() if v * fi >= MIN_LEVEL
            }

    def start_dialog(self, ts: float) -> None:
        if self.last_incoming_at is not None:
            self.lt_log_dialog_gap += math.log1p(max(0.0, ts - self.last_incoming_at))
            self.lt_dialog_gaps += 1.0
        self.dialogs_total += 1
        self.lt_dialogs += 1.0
        self.d_started_at = ts
        self.d_msgs = 0
        self.d_chars = 0.0
        self.d_log_gap = 0.0
        self.d_gaps = 0
        self.d_log_latency = 0.0
        self.d_latencies = 0
        self.d_questions = 0
        self.d_terms = 0.0
        self.d_formality = 0.0
        self.d_polarity = 0.0
        self.d_urgent = 0
        self.d_max_burst = 0
        self.d_intents = {}
        self.d_converted = False

    def add_incoming(
        self,
        s: MessageSignals,
        timing: TimingSignals,
        ts: float,
        hl: HalfLives,
        dialog_gap_s: float,
    ) -> None:
        """Fold one incoming message into both horizons. O(1): no history is read.

        Timing (gaps, latency, bursts, hours, activity) counts for every message. The text
        averages, intents, topics, feedback and the language only learn from messages with
        words: an empty message or a lone emoji says nothing about how long or how formally
        the customer writes. (Mood still learns from emoji: "😡" is irritation.)
        """
        self.advance(ts, hl)
        if timing.new_dialog:
            self.start_dialog(ts)
        if self.messages_total == 0 and not self.created_at:
            self.created_at = ts
        # Pace is composing speed, not the raw gap: a long message takes long to write
        # (`composing_pace_s`, inlined: this runs on every message).
        compose_s = s.chars / COMPOSING_CHARS_PER_S
        gap = timing.gap_s
        if gap is not None and not timing.new_dialog:
            g = math.log1p(gap if gap > compose_s else compose_s)
            self.d_log_gap += g
            self.d_gaps += 1
            self.lt_log_gap += g
            self.lt_gaps += 1.0
        # A "reply" hours later is a new conversation, not a measure of how fast they answer.
        if timing.latency_s is not None and timing.latency_s < dialog_gap_s:
            latency = timing.latency_s
            lat = math.log1p(latency if latency > compose_s else compose_s)
            self.d_log_latency += lat
            self.d_latencies += 1
            self.lt_log_latency += lat
            self.lt_latencies += 1.0
        self.d_max_burst = max(self.d_max_burst, timing.burst)
        self._count_hour(timing.hour_of_week, ts, hl)
        self.act_fast += 1.0
        self.act_slow += 1.0
        if s.words > 0:
            self._add_text(s, ts, hl)
        elif s.chars > 0:
            add_mood(self, s)
        self.last_incoming_at = (
            ts if self.last_incoming_at is None else max(ts, self.last_incoming_at)
        )
        self.burst = timing.burst
        self.messages_total += 1

    def _add_text(self, s: MessageSignals, ts: float, hl: HalfLives) -> None:
        """The text averages and the meaning of a message with words (see `add_incoming`)."""
        if s.lang_clear or self.lt_n == 0.0:
            self.lang = s.lang
        terms = min(s.terminology, MAX_TERMS_PER_MESSAGE)
        asked = 1 if s.questions > 0 else 0
        urgent = 1 if s.urgent else 0
        polarity = s.sentiment.polarity
        # Current dialog.
        self.d_msgs += 1
        self.d_chars += s.chars
        self.d_questions += asked
        self.d_terms += terms
        self.d_formality += s.formality
        self.d_polarity += polarity
        self.d_urgent += urgent
        # Long term.
        self.lt_n += 1.0
        self.lt_chars += s.chars
        self.lt_questions += asked
        self.lt_terms += terms
        self.lt_formality += s.formality
        self.lt_polarity += polarity
        self.lt_urgent += urgent
        # Asked again in the same dialog (checked before `add_intent` moves `last_intent`).
        repeated = s.questions > 0 and self.d_msgs > 1 and is_repeated_question(self, s)
        add_intent(self, s)
        add_topics(self, s.topics)
        add_mood(self, s, repeated)
        add_feedback(self, s, ts, hl)

    def _count_hour(self, hour_of_week: int, ts: float, hl: HalfLives, weight: float = 1.0) -> None:
        """Add one message (`weight` 1) or a site visit to both hour histograms (two bins:
        see `histogram_weight`)."""
        if ts - self.hist_at > REBASE_HALF_LIVES * hl.long_term_s:
            shrink = self.hist_scale(ts, hl)
            self.week_hours = [w * shrink for w in self.week_hours]
            self.hours = [w * shrink for w in self.hours]
            self.hist_at = ts
        w = weight * histogram_weight(ts, self.hist_at, hl.long_term_s)
        self.week_hours[hour_of_week] += w
        self.hours[hour_of_week % 24] += w

    def add_outgoing(self, ts: float, chars: int) -> None:
        if self.last_outgoing_at is None or ts >= self.last_outgoing_at:
            self.last_outgoing_at = ts
            self.last_outgoing_chars = max(0, int(chars))
        self.outgoing_total += 1

    def add_order(
        self, ts: float, status: str, hl: HalfLives, new_order: bool | None = None
    ) -> None:
        self.advance(ts, hl)
        add_order(self, ts, status, new_order)

    def add_target_action(self, ts: float, kind: str) -> None:
        add_target_action(self, ts, kind)

    def add_site_event(self, event: SiteEvent, ts: float, hour_of_week: int, hl: HalfLives) -> None:
        """Fold a site event at `ts` into `site` and the hour histograms; a lead or booking
        made on the site is also a target action. The message clock `at` is not moved."""
        weight, target = add_site_event(self, event, ts, hl)
        if weight > 0.0:
            self._count_hour(hour_of_week, ts, hl, weight)
        if target is not None:
            add_target_action(self, ts, target)

    def set_override(self, segment: str, value: float, ts: float) -> None:
        """Pin `segment` near `value` (0..1) as of `ts` and of the current message count."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"override value must be a finite number, got {value!r}")
        ts = check_timestamp(ts)
        self.overrides[segment] = [min(1.0, max(0.0, value)), ts, float(self.messages_total)]

    def set_source(self, source: SourceContext | None) -> None:
        if source is None:
            return
        self.src_campaign = source.campaign
        self.src_ad = source.ad
        self.src_creative = source.creative
        self.src_tags = sorted(source.tags)

    # ---------------------------------------------------------------- copies
    def copy(self) -> ProfileState:
        """An independent copy: every list and dict is copied too, so changing the copy
        (a unit of work that may still fail) never touches the original (the cache's
        committed state). Much cheaper than a round trip through `to_dict`."""
        return replace(
            self,
            src_tags=list(self.src_tags),
            d_intents=dict(self.d_intents),
            lt_intents=dict(self.lt_intents),
            week_hours=list(self.week_hours),
            hours=list(self.hours),
            topics={k: list(v) for k, v in self.topics.items()},
            recent_intents=dict(self.recent_intents),
            overrides={k: list(v) for k, v in self.overrides.items()},
            site=None if self.site is None else self.site.copy(),
        )

    # ---------------------------------------------------------------- serialization
    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (str keys; numbers, strings, lists, dicts) with the version."""
        return state_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProfileState:
        """Rebuild a state saved by any version; missing keys take their defaults.

        Unknown keys (written by a newer version) are ignored rather than refused, so a
        rollback never loses a customer's profile.
        """
        return state_from_dict(cls, data)
