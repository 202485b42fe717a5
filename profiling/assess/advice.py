"""How to shape the next reply: length, register, empathy and what to say first.

The reply length follows the customer's own style (message length and pace, current dialog
blended with the long term) unless they told us otherwise: "more detail" / "shorter" sets a
preference that outweighs style by its strength |pref| (see `profiling.profile.state`):

    length_score = |pref| · pref + (1 − |pref|) · (style + segment nudge + device nudge)

The device nudge (W_MOBILE) is for a customer whose latest visit to the shop's website was
from a phone; it fades as that visit gets old.
    short if length_score < −LENGTH_THRESHOLD, long if > LENGTH_THRESHOLD, else medium
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from profiling.assess.segments import Segment, SegmentScore, Snapshot
from profiling.types import Intent, Reason

# Message length maps to -1..1 on a log scale between these two lengths (characters).
SHORT_CHARS = 25.0
LONG_CHARS = 200.0
# Pace maps to -1..1 on a log scale between these pauses (seconds between messages).
RAPID_GAP_S = 30.0
SLOW_GAP_S = 300.0
W_STYLE_CHARS = 0.7
W_STYLE_PACE = 0.3
# Researcher pulls toward long answers, urgent toward short ones.
W_SEGMENT_NUDGE = 0.3
LENGTH_THRESHOLD = 0.33
# Someone reading on a phone gets shorter answers: on its own (no messages yet) this is
# enough for "short"; for someone who writes, it is a nudge like the segments'.
W_MOBILE = -0.4
# Shops default to the polite register; only a clearly informal customer gets "ты"-style
# («привет, подскажи» is -0.76; lower-case «а заказ где?» alone, -0.26, is not enough).
FORMAL_THRESHOLD = -0.45
EMPATHY_THRESHOLD = 0.5
HANDOFF_IRRITATION = 0.8
HANDOFF_PROBLEM = 0.5

_LEAD_WITH: Mapping[str, str] = {
    Intent.ORDER_STATUS.value: "order_status",
    Intent.DELIVERY.value: "delivery",
    Intent.RETURN_REFUND.value: "return",
    Intent.WARRANTY.value: "warranty",
    Intent.COMPLAINT.value: "apology",
    Intent.PRICE.value: "price",
    Intent.COMPARISON.value: "comparison",
    Intent.PRODUCT_QUESTION.value: "product",
    Intent.BOOKING.value: "booking",
    Intent.HUMAN_REQUEST.value: "handoff",
}

Length = Literal["short", "medium", "long"]


@dataclass(frozen=True, slots=True)
class ReplyAdvice:
    length: Length
    formal: bool
    empathetic: bool  # acknowledge feelings first (irritated / problem)
    lead_with: str | None  # what to mention first: "order_status", "price", "handoff"...
    reasons: tuple[Reason, ...]


def _log_scale(x: float, lo: float, hi: float) -> float:
    """-1 at or below `lo`, +1 at or above `hi`, linear in log(x) between."""
    if x <= lo:
        return -1.0
    if x >= hi:
        return 1.0
    return 2.0 * math.log(x / lo) / math.log(hi / lo) - 1.0


def _length(s: Snapshot, segs: Mapping[Segment, SegmentScore]) -> tuple[Length, list[Reason]]:
    reasons: list[Reason] = []
    style = 0.0
    if s.messages:
        by_chars = _log_scale(s.chars, SHORT_CHARS, LONG_CHARS)
        if s.gap_s is None:
            reasons.append(Reason("style_length", s.chars, by_chars))
            style = by_chars
        else:
            by_pace = _log_scale(s.gap_s, RAPID_GAP_S, SLOW_GAP_S)
            reasons.append(Reason("style_length", s.chars, W_STYLE_CHARS * by_chars))
            reasons.append(Reason("style_pace_s", s.gap_s, W_STYLE_PACE * by_pace))
            style = W_STYLE_CHARS * by_chars + W_STYLE_PACE * by_pace
        balance = segs[Segment.RESEARCHER].value - segs[Segment.URGENT].value
        reasons.append(Reason("segment_balance", balance, W_SEGMENT_NUDGE * balance))
        style += W_SEGMENT_NUDGE * balance
    site = s.site
    if site is not None and site.mobile > 0.0:
        nudge = W_MOBILE * site.mobile
        reasons.append(Reason("site_mobile_device", site.mobile, nudge))
        style += nudge
    style = max(-1.0, min(1.0, style))
    pref = s.length_pref
    strength = abs(pref)
    if strength:
        reasons = [Reason(r.code, r.value, (1.0 - strength) * r.contribution) for r in reasons]
        reasons.append(Reason("length_feedback", pref, strength * pref))
    score = strength * pref + (1.0 - strength) * style
    length: Length = (
        "short" if score < -LENGTH_THRESHOLD else "long" if score > LENGTH_THRESHOLD else "medium"
    )
    return length, reasons


def _lead_with(
    last_intent: str | None, segs: Mapping[Segment, SegmentScore]
) -> tuple[str | None, Reason | None]:
    irritated = segs[Segment.IRRITATED].value
    problem = segs[Segment.RETURNING_WITH_PROBLEM].value
    if irritated >= HANDOFF_IRRITATION and problem >= HANDOFF_PROBLEM:
        return "handoff", Reason("handoff_needed", irritated, irritated)
    if last_intent is None or last_intent not in _LEAD_WITH:
        return None, None
    return _LEAD_WITH[last_intent], Reason(f"intent_{last_intent}", 1.0, 1.0)


def advise(
    s: Snapshot, segs: Mapping[Segment, SegmentScore], last_intent: str | None
) -> ReplyAdvice:
    """Advice for the reply to the customer's latest message."""
    length, reasons = _length(s, segs)
    formal = s.formality >= FORMAL_THRESHOLD
    if s.messages:
        # Effect: the margin from the threshold, so a borderline register shows as such.
        reasons.append(Reason("formality", s.formality, s.formality - FORMAL_THRESHOLD))
    irritated = segs[Segment.IRRITATED].value
    problem = segs[Segment.RETURNING_WITH_PROBLEM].value
    empathetic = irritated >= EMPATHY_THRESHOLD or problem >= EMPATHY_THRESHOLD
    if irritated >= EMPATHY_THRESHOLD:
        reasons.append(Reason("empathy_irritated", irritated, irritated))
    if problem >= EMPATHY_THRESHOLD:
        reasons.append(Reason("empathy_problem", problem, problem))
    lead_with, lead_reason = _lead_with(last_intent, segs)
    if lead_reason is not None:
        reasons.append(lead_reason)
    return ReplyAdvice(
        length=length,
        formal=formal,
        empathetic=empathetic,
        lead_with=lead_with,
        reasons=tuple(reasons),
    )
