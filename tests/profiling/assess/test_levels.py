"""Every value an explanation calls a "level" lies in 0..1 (a "level 3.47" was shown).

The scorers report the saturated level they weigh, and the explanation clamps whatever
reaches it, so neither an unbounded decayed count nor an old stored reason shows through.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from profiling.assess.explain import render_assessment, render_reason
from profiling.engine import Assessment, ProfileEngine
from profiling.types import Intent, Lang, Reason
from tests.factories import MIN, T0, make_signals

LEVEL_RE = re.compile(r"(?:уровень|level) (-?\d+(?:\.\d+)?)")
LEVEL_CODES = [
    "recent_price_interest",
    "problem_intents",
    "open_problem",
    "negative_sentiment",
    "waiting_complaints",
    "buying_intents",
    "failed_orders",
    "threatens_to_leave",
    "site_cart",
    "reports_fault",
]


def _levels(text: str) -> list[float]:
    return [float(m) for m in LEVEL_RE.findall(text)]


@pytest.mark.parametrize("code", LEVEL_CODES)
@pytest.mark.parametrize("value", [3.47, 12.0, 1.0001, -0.4])
@pytest.mark.parametrize("lang", list(Lang))
def test_a_level_is_rendered_in_0_1_whatever_the_value(code: str, value: float, lang: Lang) -> None:
    text = render_reason(Reason(code, value, 0.2), lang)
    found = _levels(text)
    assert found, text  # every level code still says "level"
    assert all(0.0 <= v <= 1.0 for v in found), text


def _angry_buyer() -> Assessment:
    """A customer with an order who complains, waits, threatens and asks prices many times:
    every decayed count behind a level goes far above 1."""
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_order(state, T0 - MIN, "created")
    engine.observe_order(state, T0 - MIN, "cancelled", new_order=False)
    engine.observe_order(state, T0 - MIN, "created", new_order=True)
    engine.observe_order(state, T0 - MIN, "returned", new_order=False)
    t = T0
    for i in range(12):
        intent = (Intent.COMPLAINT, Intent.PRICE, Intent.BOOKING, Intent.ORDER_STATUS)[i % 4]
        signals = make_signals(60, intent=intent, polarity=-0.9, irritation=0.9, waiting=True)
        signals = dataclasses.replace(signals, threatens_to_leave=True)
        engine.observe_incoming(state, signals, t)
        t += 40
    return engine.assess(state, t)


LEVEL_SCENARIOS = [("angry buyer", _angry_buyer)]


@pytest.mark.parametrize(("name", "build"), LEVEL_SCENARIOS)
def test_reason_levels_of_a_real_assessment_lie_in_0_1(name: str, build: object) -> None:
    assert callable(build)
    a = build()
    reasons = [r for sc in a.segments.values() for r in sc.reasons]
    reasons += [*a.hotness.reasons, *a.churn.reasons]
    level_reasons = [r for r in reasons if r.code in LEVEL_CODES]
    assert len(level_reasons) >= 5, name  # the scenario exercises the levels
    for r in level_reasons:
        assert 0.0 <= r.value <= 1.0, r
    for lang in Lang:
        text = render_assessment(a, lang)
        for r in reasons:
            text += "\n" + render_reason(r, lang)
        assert all(0.0 <= v <= 1.0 for v in _levels(text)), text
