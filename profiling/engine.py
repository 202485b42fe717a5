"""The profiling facade the application talks to.

The pipeline per incoming message is `analyze` (text → signals), `observe_incoming` (O(1)
state update), then `assess` once (segments, scores, active hours, reply advice). The engine
holds only configuration; all customer data lives in the `ProfileState` passed in, so one
engine serves every customer and every call is deterministic (time is an argument).

Besides messages, the shop reports orders (`observe_order`), conversions
(`observe_target_action`) and what the customer does on its website (`observe_site_event`);
all of them are O(1) updates of the same state.

Every entry point refuses a timestamp that is not a finite number with `InvalidTimestamp`
(a `ValueError`), before anything in the state changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from profiling.assess.advice import ReplyAdvice, advise
from profiling.assess.scores import Score, churn_risk, lead_hotness
from profiling.assess.segments import Segment, SegmentScore, score_segments
from profiling.errors import InvalidTimestamp, check_timestamp
from profiling.profile.active_hours import (
    DEFAULT_CONTACT_HOURS,
    active_hours,
    next_contact_slot_in_week,
)
from profiling.profile.half_lives import HalfLives
from profiling.profile.snapshot import take_snapshot
from profiling.profile.state import ProfileState
from profiling.profile.timing import TimingSignals, hour_of_week, measure_timing
from profiling.text.vocabulary import DEFAULT_ANALYZER_CONFIG, AnalyzerConfig
from profiling.types import Lang, MessageSignals, SiteEvent, SourceContext

__all__ = ["Assessment", "EngineConfig", "InvalidTimestamp", "ProfileEngine"]


@dataclass(frozen=True)
class EngineConfig:
    """Shop-level settings of the engine. Defaults are sensible for a small online shop."""

    analyzer: AnalyzerConfig = DEFAULT_ANALYZER_CONFIG  # terminology and products of the shop
    utc_offset_minutes: int = 0  # the shop's time zone, for active hours and quiet hours
    quiet_hours: tuple[int, int] = (22, 9)  # local [start, end) hours when nobody is contacted
    contact_hours: tuple[int, int] = DEFAULT_CONTACT_HOURS  # where to contact without history
    dialog_gap_s: float = 1800.0  # 30 minutes of silence ends a dialog (DESIGN.md)
    half_lives: HalfLives = field(default_factory=HalfLives)  # how fast each part forgets


@dataclass(frozen=True)
class Assessment:
    """Everything the engine concludes about a customer at one moment."""

    segments: Mapping[Segment, SegmentScore]
    hotness: Score
    churn: Score
    active_hours: tuple[int, ...]  # local hours 0..23 when the customer usually writes
    advice: ReplyAdvice
    lang: Lang

    def top_segments(
        self, n: int = 3, min_value: float = 0.5
    ) -> list[tuple[Segment, SegmentScore]]:
        """The `n` strongest segments with value >= `min_value`, strongest first."""
        ranked = sorted(
            ((seg, sc) for seg, sc in self.segments.items() if sc.value >= min_value),
            key=lambda item: (-item[1].value, -item[1].confidence, item[0].value),
        )
        return ranked[:n]


_ANALYZE_MESSAGE: list[Callable[..., MessageSignals]] = []


def _text_analyzer() -> Callable[..., MessageSignals]:
    """`profiling.text.signals.analyze_message`, imported on first use (so the state and
    scoring half works without the text analysers) and kept: an import statement on every
    call costs more than the lookup."""
    if not _ANALYZE_MESSAGE:
        from profiling.text.signals import analyze_message

        _ANALYZE_MESSAGE.append(analyze_message)
    return _ANALYZE_MESSAGE[0]


class ProfileEngine:
    def __init__(self, config: EngineConfig | None = None) -> None:
        self.config = config or EngineConfig()

    def analyze(self, text: str, language_hint: Lang | None = None) -> MessageSignals:
        """Text features of one message (no timing), urgency included."""
        return _text_analyzer()(text, self.config.analyzer, language_hint)

    def new_state(
        self, *, now: float, source: SourceContext | None = None, lang: Lang | None = None
    ) -> ProfileState:
        """An empty profile; `lang` is the best guess before the customer writes (their
        Telegram client's language)."""
        now = check_timestamp(now, "now")
        state = ProfileState(created_at=now, at=now, hist_at=now)
        if lang is not None:
            state.lang = lang
        state.set_source(source)
        return state

    def timing_of(self, state: ProfileState, ts: float) -> TimingSignals:
        """The timing a customer's message at `ts` would have; changes nothing."""
        cfg = self.config
        return measure_timing(
            ts=check_timestamp(ts, "ts"),
            last_incoming_at=state.last_incoming_at,
            last_outgoing_at=state.last_outgoing_at,
            previous_burst=state.burst,
            dialog_gap_s=cfg.dialog_gap_s,
            utc_offset_minutes=cfg.utc_offset_minutes,
        )

    def observe_incoming(
        self, state: ProfileState, signals: MessageSignals, ts: float
    ) -> TimingSignals:
        """Fold a customer's message at `ts` into the profile; returns its timing."""
        cfg = self.config
        timing = self.timing_of(state, ts)
        state.add_incoming(signals, timing, float(ts), cfg.half_lives, cfg.dialog_gap_s)
        return timing

    def observe_outgoing(self, state: ProfileState, ts: float, chars: int) -> None:
        """The bot (or an operator) wrote `chars` characters to the customer at `ts`."""
        state.add_outgoing(check_timestamp(ts, "ts"), chars)

    def observe_order(
        self, state: ProfileState, ts: float, status: str, *, new_order: bool | None = None
    ) -> None:
        """An order event from the shop: "created", "paid", "delivered", "cancelled", ...

        `new_order`: True when the shop reports this order for the first time (it counts as
        a new order whatever its status), False for a later status of a known order, None
        when the caller cannot tell ("created" then starts a new order).
        """
        state.add_order(check_timestamp(ts, "ts"), status, self.config.half_lives, new_order)

    def observe_target_action(self, state: ProfileState, ts: float, kind: str) -> None:
        """A conversion: "lead", "booking", "purchase"."""
        state.add_target_action(check_timestamp(ts, "ts"), kind)

    def observe_site_event(self, state: ProfileState, event: SiteEvent) -> None:
        """Something the customer did on the shop's website (see `profiling.profile.site`).

        O(1) and bounded in memory. Events may come late or in an old batch: the state's
        clocks never move back. A lead or booking made on the site is recorded as a target
        action here (the caller does not also call `observe_target_action` for it).
        """
        ts = check_timestamp(event.ts, "ts")
        cfg = self.config
        state.add_site_event(event, ts, hour_of_week(ts, cfg.utc_offset_minutes), cfg.half_lives)

    def override(self, state: ProfileState, segment: Segment, value: float, ts: float) -> None:
        """An operator's label: pins `segment` near `value`; it fades slowly over weeks and
        yields to the messages the customer writes after it (`ValueError` for a non-finite
        value)."""
        state.set_override(Segment(segment).value, value, check_timestamp(ts, "ts"))

    def assess(self, state: ProfileState, now: float) -> Assessment:
        cfg = self.config
        hl = cfg.half_lives
        now = check_timestamp(now, "now")
        snap = take_snapshot(state, now, hl, cfg.dialog_gap_s)
        source = state.source
        segments = score_segments(snap, source, state.overrides, hl)
        return Assessment(
            segments=segments,
            hotness=lead_hotness(snap, source),
            churn=churn_risk(snap),
            active_hours=active_hours(state.hours, scale=state.hist_scale(now, hl)),
            advice=advise(snap, segments, state.last_intent),
            lang=state.lang,
        )

    def next_contact_slot(self, state: ProfileState, after: float) -> float:
        """The next moment >= `after` that suits the customer, never in quiet hours.

        Prefers the hours of the week they write in (a weekend writer is contacted at the
        weekend), then their hours of day, then the shop's contact hours.
        """
        cfg = self.config
        after = check_timestamp(after, "after")
        return next_contact_slot_in_week(
            state.week_hours,
            after,
            scale=state.hist_scale(after, cfg.half_lives),
            utc_offset_minutes=cfg.utc_offset_minutes,
            quiet_hours=cfg.quiet_hours,
            contact_hours=cfg.contact_hours,
        )
