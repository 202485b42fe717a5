"""Results with fields computed on first read behave as the plain frozen dataclasses."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from profiling.text.prepare import prepare
from profiling.text.signals import analyze_message
from profiling.text.style import analyze_style
from profiling.types import IntentResult, MessageSignals, SentimentResult

TEXTS = [
    "Где мой заказ?? Жду уже НЕДЕЛЮ!!!",
    "Thanks for nothing, still waiting for my refund",
    "Подскажите, пожалуйста, есть ли гарантия на кофемолку?",
    "👍",
]


def plain(value: object) -> object:
    """The same value as a plain instance of its declared dataclass, every field read."""
    cls = type(value)
    while "_source" in cls.__dict__.get("__slots__", ()):  # a lazy variant: take its base
        cls = cls.__mro__[1]
    values = {}
    for f in dataclasses.fields(value):  # type: ignore[arg-type]
        field_value = getattr(value, f.name)
        values[f.name] = (
            plain(field_value) if dataclasses.is_dataclass(field_value) else field_value
        )
    return cls(**values)


@pytest.mark.parametrize("text", TEXTS)
def test_a_lazy_result_is_a_plain_result_in_every_visible_way(text: str) -> None:
    found = analyze_message(text)
    assert isinstance(found, MessageSignals)
    assert isinstance(found.sentiment, SentimentResult)
    assert isinstance(found.intent, IntentResult)
    eager = plain(found)
    assert type(eager) is MessageSignals
    assert found == eager and eager == found and hash(found) == hash(eager)
    assert repr(found).startswith("MessageSignals(")
    restored = pickle.loads(pickle.dumps(found))
    assert type(restored) is MessageSignals and restored == found
    assert dataclasses.replace(found, chars=1).chars == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.chars = 2  # type: ignore[misc]


@pytest.mark.parametrize("text", TEXTS)
def test_fields_computed_on_first_read_equal_the_eager_analysis(text: str) -> None:
    found = analyze_message(text)
    assert found.caps_ratio == analyze_style(prepare(text)).caps_ratio
    assert found.sentiment.cues == tuple(dict.fromkeys(found.sentiment.cues))
    assert found.caps_ratio is found.caps_ratio  # kept after the first read
