"""A customer with an order (or a purchase) who reports a fault is "returning with a
problem", not a "doubting buyer", however much they compared before buying."""

from __future__ import annotations

import pytest

from profiling.assess.segments import Segment
from profiling.engine import ProfileEngine
from profiling.types import Intent, Lang
from tests.factories import DAY

RESEARCH = {
    Lang.RU: [
        "сравните чайник Bosch и Tefal",
        "сколько стоит чайник?",
        "а какой объём у чайника?",
        "Bosch лучше чем Tefal?",
    ],
    Lang.EN: [
        "compare the Bosch and Tefal kettles",
        "how much is the kettle?",
        "what is the volume of the kettle?",
        "is the Bosch kettle better than Tefal?",
    ],
}
# (language, the fault report, how the shop knows of the purchase, days after it)
FAULT_CASES = [
    (Lang.RU, "чайник перестал работать", "created", 45),
    (Lang.RU, "сломался", "paid", 20),
    (Lang.RU, "не включается", "purchase", 45),
    (Lang.EN, "the kettle stopped working", "paid", 45),
    (Lang.EN, "it doesn't turn on", "paid", 20),
    (Lang.EN, "doesn't turn on", "purchase", 5),
    (Lang.EN, "the kettle won't switch on", "created", 45),
    (Lang.EN, "it stopped heating", "paid", 10),
]


@pytest.mark.parametrize(("lang", "fault", "how", "days"), FAULT_CASES)
def test_a_fault_after_a_purchase_outranks_doubting(
    lang: Lang, fault: str, how: str, days: int
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=0.0, lang=lang)
    t = 0.0
    for _ in range(10):  # ten dialogs of comparing and asking before buying
        for text in RESEARCH[lang]:
            engine.observe_incoming(state, engine.analyze(text, lang), t)
            t += 60
        t += DAY
    if how == "purchase":
        engine.observe_target_action(state, t, "purchase")
    else:
        engine.observe_order(state, t, how)
    t += days * DAY
    signals = engine.analyze(fault, lang)
    assert signals.intent.intent is Intent.COMPLAINT
    engine.observe_incoming(state, signals, t)
    a = engine.assess(state, t + 30)
    problem = a.segments[Segment.RETURNING_WITH_PROBLEM]
    doubting = a.segments[Segment.DOUBTING_BUYER]
    assert problem.value >= doubting.value + 0.2
    assert problem.value >= 0.5
    assert a.top_segments(1)[0][0] is Segment.RETURNING_WITH_PROBLEM


def test_without_a_purchase_research_stays_doubting() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=0.0, lang=Lang.RU)
    t = 0.0
    for _ in range(4):
        for text in RESEARCH[Lang.RU]:
            engine.observe_incoming(state, engine.analyze(text, Lang.RU), t)
            t += 60
        t += DAY
    a = engine.assess(state, t)
    assert not any(r.code == "reports_fault" for r in a.segments[Segment.DOUBTING_BUYER].reasons)
    assert (
        a.segments[Segment.DOUBTING_BUYER].value > a.segments[Segment.RETURNING_WITH_PROBLEM].value
    )
