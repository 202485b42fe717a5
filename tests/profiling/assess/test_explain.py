"""Explanations: RU and EN sentences with the measured values, and a JSON-safe export."""

from __future__ import annotations

import json
import re

import pytest

from profiling.assess.explain import (
    assessment_to_dict,
    render_assessment,
    render_reason,
    render_segment,
)
from profiling.assess.segments import Segment
from profiling.engine import Assessment, ProfileEngine
from profiling.types import Intent, Lang, Reason, SourceContext
from tests.factories import DAY, MIN, T0, make_signals


@pytest.mark.parametrize(
    ("reason", "lang", "expected"),
    [
        (Reason("short_messages", 18.0, 0.15), Lang.RU, ["18 симв.", "+0.15"]),
        (Reason("short_messages", 18.0, 0.15), Lang.EN, ["18 chars", "+0.15"]),
        (Reason("rapid_pace_s", 25.0, 0.1), Lang.EN, ["25 s"]),
        (Reason("rapid_pace_s", 25.0, 0.1), Lang.RU, ["25 с"]),
        (Reason("recency_s", 3 * 3600.0, 12.0), Lang.EN, ["3.0 h", "+12"]),
        (Reason("recency_s", 3 * DAY, 2.0), Lang.RU, ["3.0 дн."]),
        (Reason("questions", 0.75, 0.12), Lang.RU, ["75%"]),
        (Reason("irritation", 0.8, -16.0), Lang.EN, ["80%", "-16"]),
        (Reason("operator_override", 0.9, 0.4), Lang.RU, ["Оператор", "0.90"]),
        (Reason("intent_price", 1.0, 1.0), Lang.EN, ["Latest request: price and discounts."]),
        (Reason("intent_product_question", 1.0, 1.0), Lang.RU, ["Последний запрос: вопрос о"]),
        (Reason("intent_prepurchase", 1.0, 1.0), Lang.EN, ["pre-purchase question."]),
        (Reason("intent_new_kind", 1.0, 1.0), Lang.EN, ["Latest request: new kind."]),
        (Reason("activity_decline", 0.43, 4.6), Lang.EN, ["Activity: 43% of the usual", "+5"]),
        (Reason("activity_decline", 0.43, 4.6), Lang.RU, ["Активность: 43% от обычной"]),
        (Reason("formality", 0.3, 0.5), Lang.EN, ["Formality: 0.30 (−1 to 1)."]),
        (Reason("revisited_topics", 2.0, 0.2), Lang.RU, ["тем же товарам: 2"]),
        (Reason("threatens_to_leave", 1.0, 35.0), Lang.RU, ["больше не закажу", "+35"]),
        (Reason("some_future_code", 2.5, 0.1), Lang.EN, ["Some future code: 2.50"]),
    ],
)
def test_render_reason_contains_value(reason: Reason, lang: Lang, expected: list[str]) -> None:
    text = render_reason(reason, lang)
    for part in expected:
        assert part in text
    assert text.endswith(".")
    assert not re.search(r"[a-z]+_[a-z]+", text)  # no internal code reaches a human
    # Decisions (register, latest request) carry no meaningless "(+1)".
    if reason.code == "formality" or reason.code.startswith("intent_"):
        assert "(" not in text.removeprefix("Formality: 0.30 (−1 to 1)")


def _assessments() -> list[Assessment]:
    engine = ProfileEngine()
    out = [engine.assess(engine.new_state(now=T0, source=SourceContext(campaign="sale")), T0)]
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(400, questions=2, terminology=2), T0)
    engine.observe_outgoing(state, T0 + 10, 500)
    engine.observe_incoming(state, make_signals(350, intent=Intent.COMPARISON), T0 + 5 * MIN)
    engine.observe_order(state, T0 + DAY, "created")
    engine.observe_incoming(
        state,
        make_signals(40, intent=Intent.ORDER_STATUS, polarity=-0.7, irritation=0.9, waiting=True),
        T0 + 3 * DAY,
    )
    engine.observe_incoming(state, make_signals(10, urgent=True), T0 + 3 * DAY + 20)
    engine.observe_outgoing(state, T0 + 3 * DAY + 30, 600)
    engine.observe_incoming(state, make_signals(9, asks_shorter=True), T0 + 3 * DAY + 40)
    engine.override(state, Segment.URGENT, 1.0, T0 + 3 * DAY)
    out.append(engine.assess(state, T0 + 3 * DAY + MIN))
    return out


def test_every_emitted_reason_has_a_template() -> None:
    for a in _assessments():
        reasons = [r for sc in a.segments.values() for r in sc.reasons]
        reasons += [*a.hotness.reasons, *a.churn.reasons, *a.advice.reasons]
        for r in reasons:
            for lang in Lang:
                assert not render_reason(r, lang).startswith(f"{r.code}:"), r.code


def test_render_segment_both_languages() -> None:
    a = _assessments()[1]
    score = a.segments[Segment.IRRITATED]
    ru = render_segment(Segment.IRRITATED, score, Lang.RU)
    en = render_segment(Segment.IRRITATED, score, Lang.EN)
    assert ru.startswith("Раздражён: ")
    assert en.startswith("Irritated: ")
    assert f"{score.value:.2f}" in ru
    assert f"{score.value:.2f}" in en


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (Lang.RU, ["Сегменты:", "Горячесть лида", "Риск оттока", "Активные часы", "Совет"]),
        (Lang.EN, ["Segments:", "Lead hotness", "Churn risk", "Active hours", "Advice"]),
    ],
)
def test_render_assessment(lang: Lang, words: list[str]) -> None:
    for a in _assessments():
        text = render_assessment(a, lang)
        for w in words:
            assert w in text
        assert f"{a.hotness.value}/100" in text
        assert f"{a.churn.value}/100" in text
        assert len(text.splitlines()) >= 11


def test_assessment_to_dict_is_json_safe_and_complete() -> None:
    for a in _assessments():
        data = json.loads(json.dumps(assessment_to_dict(a)))
        assert set(data) == {"lang", "segments", "hotness", "churn", "active_hours", "advice"}
        assert set(data["segments"]) == {s.value for s in Segment}
        for seg in Segment:
            item = data["segments"][seg.value]
            assert item["value"] == pytest.approx(a.segments[seg].value, abs=1e-4)
            for reason in item["reasons"]:
                assert set(reason) == {"code", "value", "contribution", "text_ru", "text_en"}
                assert reason["text_ru"] != reason["text_en"]
                assert re.search("[а-яё]", reason["text_ru"], re.IGNORECASE)
        assert data["hotness"]["value"] == a.hotness.value
        assert data["advice"]["length"] == a.advice.length


# (last intent before the assessment, RU fragment of the advice line, EN fragment)
LEAD_CASES = [
    (Intent.PRODUCT_QUESTION, "начать с: ответа о товаре", "lead with: the product answer"),
    (Intent.RETURN_REFUND, "начать с: условий возврата", "lead with: the return terms"),
    (Intent.PRICE, "начать с: цены", "lead with: the price"),
    (Intent.HUMAN_REQUEST, "начать с: передачи оператору", "lead with: a handoff to an operator"),
    (Intent.GREETING, "начать с: —", "lead with: —"),
]


@pytest.mark.parametrize(("intent", "ru", "en"), LEAD_CASES)
def test_advice_names_what_to_lead_with(intent: Intent, ru: str, en: str) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_order(state, T0 - DAY, "paid")
    engine.observe_incoming(state, make_signals(60, intent=intent, formality=0.6), T0)
    a = engine.assess(state, T0 + MIN)
    text_ru = render_assessment(a, Lang.RU)
    text_en = render_assessment(a, Lang.EN)
    assert ru in text_ru
    assert en in text_en
    assert "Язык клиента: русский" in text_ru
    assert "Customer language: Russian" in text_en
    for text in (text_ru, text_en):
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # no internal codes
        advice = text[text.index("Совет" if text is text_ru else "Advice") :]
        assert "(+1)" not in advice  # decisions carry no meaningless effect
