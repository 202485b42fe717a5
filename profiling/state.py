"""The incremental customer profile: O(1) updates, two time horizons, versioned serialization.

Nothing here re-reads history. Every update first "advances" the state to the event's
timestamp (multiplying the decayed quantities by the weight time has left them), then adds
the event. Averages are ratios of two decayed sums (Σ w·x / Σ w), so they need no decay at
read time; absolute levels (irritation, open problem, recent intents) are decayed to `now`
when read (see `profiling.snapshot`).

Two horizons:
* the current dialog (`d_*` fields), reset when 30 minutes of silence end a dialog: the same
  person can be hurried in the morning and thoughtful in the evening;
* the long term (`lt_*` fields and the levels), exponentially decayed with time-based
  half-lives, so old habits fade instead of weighing forever.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from profiling.timing import TimingSignals, decay_factor
from profiling.types import Intent, Lang, MessageSignals, Sentiment, SourceContext

HOUR = 3600.0
DAY = 24 * HOUR

# Intents that mean "something is wrong with what I bought".
PROBLEM_INTENTS = frozenset(
    {Intent.ORDER_STATUS, Intent.DELIVERY, Intent.RETURN_REFUND, Intent.WARRANTY, Intent.COMPLAINT}
)
# Intents of someone considering a purchase.
INTEREST_INTENTS = frozenset(
    {Intent.PRICE, Intent.COMPARISON, Intent.PRODUCT_QUESTION, Intent.BOOKING}
)
# Order statuses that count as a purchase, and those that mean it went wrong.
_INTEREST_KEYS = frozenset(i.value for i in INTEREST_INTENTS)
PURCHASE_STATUSES = frozenset({"created", "paid", "shipped", "delivered", "completed"})
FAILED_STATUSES = frozenset({"cancelled", "canceled", "returned", "refunded", "failed"})
PURCHASE_ACTIONS = frozenset({"purchase", "order"})

# Terminology counts saturate: a spec sheet pasted in should not swamp the average.
MAX_TERMS_PER_MESSAGE = 3
# At most this many topics are tracked; the faintest is forgotten to make room.
MAX_TOPICS = 16
# Recent-intent levels below this are dropped so the map stays small.
MIN_LEVEL = 0.01
# A calm, non-negative message after an outburst takes this share of the irritation away.
CALM_RELIEF = 0.7
CALM_IRRITATION = 0.2
# An order delivered or a thankful message halves the open problem: likely resolved.
RESOLUTION_RELIEF = 0.5
# A cancelled or returned order adds this much to the open problem.
FAILED_ORDER_PROBLEM = 0.5
# Feedback: "more detail" / "shorter" moves the length preference at least this far.
FEEDBACK_JUMP = 0.8


@dataclass(frozen=True, slots=True)
class HalfLives:
    """How fast each part of the profile forgets, in seconds."""

    long_term_s: float = 30 * DAY  # style averages, intent mix, active hours, dialogs
    irritation_s: float = 6 * HOUR  # two days later an outburst is down to 1/256
    negativity_s: float = 12 * HOUR  # negative sentiment, waiting complaints
    problem_s: float = 3 * DAY  # an order problem stays open for days unless resolved
    intents_s: float = 3 * DAY  # recent intents: buying interest cools within days
    activity_fast_s: float = 7 * DAY  # recent message rate ...
    activity_slow_s: float = 60 * DAY  # ... against the usual one, for a decline of activity
    feedback_s: float = 14 * DAY  # "shorter please" is remembered for weeks
    override_s: float = 60 * DAY  # an operator's label fades slowly


def _zero_hours() -> list[float]:
    return [0.0] * 24


@dataclass(slots=True)
class ProfileState:
    """Everything the engine remembers about one customer. Mutated only by `ProfileEngine`."""

    VERSION: ClassVar[int] = 1

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
    hours: list[float] = field(default_factory=_zero_hours)  # local hour histogram
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
    recent_intents: dict[str, float] = field(default_factory=dict)
    # Feedback and operator labels.
    length_pref: float = 0.0  # -1 wants short .. +1 wants long, as of length_pref_at
    length_pref_at: float = 0.0
    overrides: dict[str, list[float]] = field(default_factory=dict)  # segment -> [value, ts]

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
    def source(self) -> SourceContext:
        return SourceContext(
            campaign=self.src_campaign,
            ad=self.src_ad,
            creative=self.src_creative,
            tags=frozenset(self.src_tags),
        )

    # ---------------------------------------------------------------------- updates
    def advance(self, ts: float, hl: HalfLives) -> None:
        """Decay every time-weighted quantity from `self.at` to `ts` (no-op going back)."""
        dt = ts - self.at
        if dt <= 0.0:
            return
        self.at = ts
        f = decay_factor(dt, hl.long_term_s)
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
        self.hours = [h * f for h in self.hours]
        for entry in self.topics.values():
            entry[0] *= f
        self.act_fast *= decay_factor(dt, hl.activity_fast_s)
        self.act_slow *= decay_factor(dt, hl.activity_slow_s)
        self.irritation *= decay_factor(dt, hl.irritation_s)
        fn = decay_factor(dt, hl.negativity_s)
        self.negativity *= fn
        self.waiting *= fn
        self.problem *= decay_factor(dt, hl.problem_s)
        if self.recent_intents:
            fi = decay_factor(dt, hl.intents_s)
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
        """Fold one incoming message into both horizons. O(1): no history is read."""
        self.advance(ts, hl)
        if timing.new_dialog:
            self.start_dialog(ts)
        if self.messages_total == 0 and not self.created_at:
            self.created_at = ts
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
        self.d_max_burst = max(self.d_max_burst, timing.burst)
        # Long term.
        self.lt_n += 1.0
        self.lt_chars += s.chars
        self.lt_questions += asked
        self.lt_terms += terms
        self.lt_formality += s.formality
        self.lt_polarity += polarity
        self.lt_urgent += urgent
        if timing.gap_s is not None and not timing.new_dialog:
            g = math.log1p(timing.gap_s)
            self.d_log_gap += g
            self.d_gaps += 1
            self.lt_log_gap += g
            self.lt_gaps += 1.0
        # A "reply" hours later is a new conversation, not a measure of how fast they answer.
        if timing.latency_s is not None and timing.latency_s < dialog_gap_s:
            lat = math.log1p(timing.latency_s)
            self.d_log_latency += lat
            self.d_latencies += 1
            self.lt_log_latency += lat
            self.lt_latencies += 1.0
        self.hours[timing.local_hour] += 1.0
        self.act_fast += 1.0
        self.act_slow += 1.0
        self._add_intent(s)
        self._add_topics(s.topics)
        self._add_mood(s)
        self._add_feedback(s, ts, hl)
        self.lang = s.lang
        self.last_incoming_at = (
            ts if self.last_incoming_at is None else max(ts, self.last_incoming_at)
        )
        self.burst = timing.burst
        self.messages_total += 1

    def _add_intent(self, s: MessageSignals) -> None:
        intent = s.intent.intent
        key = intent.value
        self.last_intent = key
        if intent is Intent.OTHER:
            return
        weight = s.intent.confidence
        if intent in INTEREST_INTENTS:
            seen_interest = any(k in _INTEREST_KEYS for k in self.d_intents)
            if not seen_interest:
                self.interest_dialogs += 1.0
            if intent is Intent.PRICE and key not in self.d_intents:
                self.price_dialogs += 1.0
        self.d_intents[key] = self.d_intents.get(key, 0) + 1
        self.lt_intents[key] = self.lt_intents.get(key, 0.0) + 1.0
        self.recent_intents[key] = self.recent_intents.get(key, 0.0) + weight
        if intent in PROBLEM_INTENTS:
            self.problem += weight
        elif intent is Intent.THANKS:
            self.problem *= RESOLUTION_RELIEF

    def _add_topics(self, topics: tuple[str, ...]) -> None:
        for topic in topics:
            entry = self.topics.get(topic)
            if entry is None:
                if len(self.topics) >= MAX_TOPICS:
                    faintest = min(self.topics, key=lambda k: self.topics[k][0])
                    del self.topics[faintest]
                entry = [0.0, 0.0, -1.0]
                self.topics[topic] = entry
            entry[0] += 1.0
            if entry[2] != self.dialogs_total:
                entry[1] += 1.0
                entry[2] = float(self.dialogs_total)

    def _add_mood(self, s: MessageSignals) -> None:
        sent = s.sentiment
        if sent.irritation >= self.irritation:
            self.irritation = sent.irritation
        elif sent.irritation < CALM_IRRITATION and sent.label is not Sentiment.NEGATIVE:
            self.irritation *= CALM_RELIEF
        self.negativity += max(0.0, -sent.polarity)
        if sent.waiting_complaint:
            self.waiting += 1.0
        # Being negative about an order you have is an order problem even without the keyword.
        if self.orders_total and sent.label is Sentiment.NEGATIVE:
            self.problem += 0.5 * max(0.0, -sent.polarity)

    def _add_feedback(self, s: MessageSignals, ts: float, hl: HalfLives) -> None:
        if not (s.asks_more_detail or s.asks_shorter):
            return
        pref = self.length_pref * decay_factor(ts - self.length_pref_at, hl.feedback_s)
        if s.asks_more_detail and not s.asks_shorter:
            # A miss must move the profile at once: jump past any old "short" preference.
            pref = FEEDBACK_JUMP + (1.0 - FEEDBACK_JUMP) * max(pref, 0.0)
        elif s.asks_shorter and not s.asks_more_detail:
            pref = -FEEDBACK_JUMP + (1.0 - FEEDBACK_JUMP) * min(pref, 0.0)
        self.length_pref = pref
        self.length_pref_at = ts

    def add_outgoing(self, ts: float, chars: int) -> None:
        if self.last_outgoing_at is None or ts >= self.last_outgoing_at:
            self.last_outgoing_at = ts
            self.last_outgoing_chars = chars
        self.outgoing_total += 1

    def add_order(self, ts: float, status: str, hl: HalfLives) -> None:
        self.advance(ts, hl)
        status = status.strip().lower()
        if status in PURCHASE_STATUSES:
            # Without order ids a "created" starts a new order; a later status of the same
            # order only counts when no order was known yet.
            if status == "created" or self.orders_total == 0:
                self.orders_total += 1
            self.last_purchase_at = ts
            self.d_converted = True
            if status in ("delivered", "completed"):
                self.problem *= RESOLUTION_RELIEF
        elif status in FAILED_STATUSES:
            self.bad_orders += 1.0
            self.problem += FAILED_ORDER_PROBLEM
        self.last_order_at = ts
        self.last_order_status = status

    def add_target_action(self, ts: float, kind: str) -> None:
        kind = kind.strip().lower()
        self.targets_total += 1
        self.last_target_at = ts
        self.last_target_kind = kind
        self.d_converted = True
        if kind in PURCHASE_ACTIONS:
            self.last_purchase_at = ts

    def set_override(self, segment: str, value: float, ts: float) -> None:
        self.overrides[segment] = [min(1.0, max(0.0, float(value))), ts]

    def set_source(self, source: SourceContext | None) -> None:
        if source is None:
            return
        self.src_campaign = source.campaign
        self.src_ad = source.ad
        self.src_creative = source.creative
        self.src_tags = sorted(source.tags)

    # ---------------------------------------------------------------- serialization
    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (str keys; numbers, strings, lists, dicts) with the version."""
        out: dict[str, Any] = {"version": self.VERSION}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, list):
                value = list(value)
            elif isinstance(value, dict):
                value = {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
            elif isinstance(value, Lang):
                value = value.value
            out[name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProfileState:
        """Rebuild a state saved by any version; missing keys take their defaults.

        Unknown keys (written by a newer version) are ignored rather than refused, so a
        rollback never loses a customer's profile.
        """
        data = _migrate(dict(data))
        state = cls()
        for name, kind in _FIELD_KINDS.items():
            if name not in data:
                continue
            try:
                setattr(state, name, _coerce(name, kind, data[name]))
            except (TypeError, ValueError, AttributeError):
                continue  # a damaged value loses that one field, not the whole profile
        return state


# Field name -> its annotation as written above (a string: `from __future__ import annotations`).
_FIELD_KINDS: dict[str, str] = {f.name: str(f.type) for f in fields(ProfileState)}
_FIELD_NAMES: tuple[str, ...] = tuple(_FIELD_KINDS)
# topics hold [mentions, dialogs, last dialog number]; overrides hold [value, ts].
_ENTRY_SIZES = {"topics": 3, "overrides": 2}


def _coerce(name: str, kind: str, value: Any) -> Any:
    """Convert a stored JSON value to the field's type, or raise if it cannot be."""
    if value is None:
        if kind.endswith("| None"):
            return None
        raise ValueError("null for a non-nullable field")
    kind = kind.removesuffix(" | None")
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    if kind == "str":
        return str(value)
    if kind == "Lang":
        return Lang(value)
    if kind == "list[str]":
        return [str(v) for v in value]
    if kind == "list[float]":  # the 24-bin hour histogram
        hours = [float(v) for v in value][:24]
        return hours + [0.0] * (24 - len(hours))
    if kind == "dict[str, int]":
        return {str(k): int(v) for k, v in value.items()}
    if kind == "dict[str, float]":
        return {str(k): float(v) for k, v in value.items()}
    if kind == "dict[str, list[float]]":
        # Entries of the wrong shape are dropped one by one.
        size = _ENTRY_SIZES[name]
        out = {str(k): [float(x) for x in v] for k, v in value.items()}
        return {k: v for k, v in out.items() if len(v) == size}
    raise TypeError(f"no converter for {kind}")


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older stored dict up to `ProfileState.VERSION`, one version at a time.

    Version 1 is the first stored format; a later version registers its upgrade step in
    `_MIGRATIONS` (keys absent from older dicts simply take their defaults).
    """
    version = int(data.get("version", 1))
    while version < ProfileState.VERSION:
        data = _MIGRATIONS[version](data)
        version += 1
    return data


_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
