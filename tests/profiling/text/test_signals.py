"""`analyze_message` end to end, the shop vocabulary (terms, product topics) and the matcher."""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
from pathlib import Path

import pytest

from profiling.engine import ProfileEngine
from profiling.text.prepare import prepare, stem_candidates
from profiling.text.signals import analyze_message
from profiling.text.vocabulary import (
    DEFAULT_ANALYZER_CONFIG,
    AnalyzerConfig,
    PhraseMatcher,
)
from profiling.types import Intent, Lang, MessageSignals, Sentiment, SentimentResult

REPO_ROOT = Path(__file__).resolve().parents[3]
BANKING77 = REPO_ROOT.parent / "shared" / "data" / "banking77" / "train.csv"

SHOP = AnalyzerConfig.with_products(
    {
        "grinder-c2": ("кофемолка", "grinder", "comandante"),
        "v60": ("воронка", "v60", "hario v60"),
        "tea-sencha": ("чай сенча", "сенча", "sencha"),
        "tea": ("чай", "tea"),
    }
)


def assert_complete(signals: MessageSignals) -> None:
    """Every field is present, typed and in range."""
    assert isinstance(signals.lang, Lang)
    assert signals.chars >= 0 and signals.words >= 0
    assert signals.questions >= 0 and signals.exclamations >= 0 and signals.repeated_punct >= 0
    assert 0.0 <= signals.caps_ratio <= 1.0
    assert signals.emoji >= 0
    assert -1.0 <= signals.formality <= 1.0
    assert isinstance(signals.polite, bool)
    assert signals.terminology >= 0
    assert isinstance(signals.sentiment, SentimentResult)
    assert isinstance(signals.sentiment.label, Sentiment)
    assert isinstance(signals.intent.intent, Intent)
    assert 0.0 <= signals.intent.confidence <= 1.0
    assert isinstance(signals.asks_more_detail, bool) and isinstance(signals.asks_shorter, bool)
    assert isinstance(signals.topics, tuple)
    assert isinstance(signals.urgent, bool) and isinstance(signals.threatens_to_leave, bool)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀🎉",
        "))))",
        "Привет! Where is my order?? Жду уже неделю, please help 🙏",
        "Где мой заказ? " * 273,  # 4095 characters
        "а" * 4096,
        "x" * 4096,
        "!!!???...",
        "https://example.com/order/123 @shop_bot #заказ",
        "0123456789",
    ],
)
def test_analyze_message_is_complete_for_unusual_text(text: str) -> None:
    signals = analyze_message(text, SHOP)
    assert_complete(signals)
    assert signals.chars == len(text.strip())


def test_long_message_is_handled() -> None:
    text = ("Где мой заказ? Жду уже неделю! " * 140)[:4096]
    signals = analyze_message(text)
    assert signals.chars == len(text.strip())
    assert signals.intent.intent is Intent.ORDER_STATUS
    assert signals.questions >= 100


def test_empty_and_emoji_only_messages() -> None:
    empty = analyze_message("")
    assert (empty.chars, empty.words, empty.questions, empty.emoji) == (0, 0, 0, 0)
    assert empty.intent.intent is Intent.OTHER
    emoji_only = analyze_message("😀😀🎉")
    assert emoji_only.emoji == 3 and emoji_only.words == 0


def test_signals_of_a_typical_message() -> None:
    signals = analyze_message("Где мой заказ?? Жду уже неделю!!!")
    assert signals.lang is Lang.RU
    assert signals.words == 6
    assert (signals.questions, signals.exclamations, signals.repeated_punct) == (1, 1, 2)
    assert signals.intent.intent is Intent.ORDER_STATUS
    assert signals.is_question


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Срочно! Где мой заказ?", True),
        ("Верните деньги как можно скорее", True),
        ("Where is my order? I need it asap", True),
        ("Где мой заказ?", False),
        ("Не срочно: сколько стоит доставка?", False),
        ("Where is my order? No hurry", False),
    ],
)
def test_analyze_message_fills_urgency(text: str, urgent: bool) -> None:
    signals = analyze_message(text)
    assert signals.urgent is urgent
    # The engine adds nothing of its own: its analysis is exactly the analyser's.
    assert ProfileEngine().analyze(text) == signals


@pytest.mark.parametrize(
    ("text", "hint", "lang"),
    [
        ("Где мой заказ?", None, Lang.RU),
        ("Where is my order?", None, Lang.EN),
        ("Где мой order?", None, Lang.RU),  # more Cyrillic letters than Latin ones
        ("Hello, где заказ номер 12345678?", None, Lang.RU),  # digits are not letters
        ("😀", Lang.RU, Lang.RU),  # no letters: the client's language decides
        ("12345", Lang.EN, Lang.EN),
        ("12345", None, Lang.EN),
        ("ok", Lang.RU, Lang.RU),  # too little to tell
        ("V60?", Lang.RU, Lang.RU),
        ("Ужасно! DeLonghi Magnifica Evo сломалась", Lang.EN, Lang.RU),  # names are Latin
        ("Thanks, the спасибо was for the grinder", Lang.RU, Lang.EN),
    ],
)
def test_language(text: str, hint: Lang | None, lang: Lang) -> None:
    assert analyze_message(text, language_hint=hint).lang is lang


def test_brand_names_do_not_switch_the_sentiment_lexicon() -> None:
    plain = analyze_message("Ужасно! Кофемашина сломалась")
    branded = analyze_message("Ужасно! DeLonghi Magnifica Evo сломалась")
    assert branded.lang is plain.lang is Lang.RU
    assert branded.sentiment.label is plain.sentiment.label is Sentiment.NEGATIVE


@pytest.mark.parametrize(
    ("text", "threat", "shorter", "more"),
    [
        ("Worst shop ever, never ordering again", True, False, False),
        ("Больше у вас не закажу, верните деньги", True, False, False),
        ("The delivery took too long!", False, False, False),
        ("Доставка слишком долго идёт", False, False, False),
        ("много букв, можно короче?", False, True, False),
        ("не поняла, объясните", False, False, True),
        ("короче где заказ", False, False, False),
    ],
)
def test_analyze_message_fills_feedback_and_threats(
    text: str, threat: bool, shorter: bool, more: bool
) -> None:
    signals = analyze_message(text)
    assert (signals.threatens_to_leave, signals.asks_shorter, signals.asks_more_detail) == (
        threat,
        shorter,
        more,
    )


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Какой помол нужен для эспрессо?", 2),
        ("Нужна свежая обжарка, и чтобы кислотность была пониже", 2),
        ("Which grind size for a V60 pour over?", 3),  # grind, v60, pour over
        ("I want a cold brew", 1),  # a two-word term counts once
        ("Descaling the boiler every month?", 2),
        ("Где мой заказ?", 0),
        ("", 0),
    ],
)
def test_terminology_with_default_vocabulary(text: str, terms: int) -> None:
    assert analyze_message(text).terminology == terms


def test_terminology_is_configurable_and_stem_aware() -> None:
    config = AnalyzerConfig(terminology=frozenset({"ферментация", "анаэроб", "natural process"}))
    text = "Этот лот после анаэробной ферментации? Natural process?"
    assert analyze_message(text, config).terminology == 3
    assert analyze_message("Какой помол?", config).terminology == 0  # not in this shop's list


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Кофемолку вернуть можно?", ("grinder-c2",)),  # inflected form of an alias
        ("А кофемолки у вас есть?", ("grinder-c2",)),
        ("Is the Comandante grinder back?", ("grinder-c2",)),
        ("Воронку и кофемолку, пожалуйста", ("v60", "grinder-c2")),  # first-mention order
        ("Hario V60 or the grinder?", ("v60", "grinder-c2")),
        ("Хочу чай сенча", ("tea-sencha", "tea")),  # a multi-word alias and its head word
        ("Чая нет?", ("tea",)),  # short aliases still inflect
        ("Купил чайник", ()),  # a different word that starts with an alias
        ("Где мой заказ?", ()),
    ],
)
def test_topics_from_product_aliases(text: str, topics: tuple[str, ...]) -> None:
    assert analyze_message(text, SHOP).topics == topics


def test_no_topics_without_products() -> None:
    assert analyze_message("Кофемолку вернуть можно?").topics == ()


def test_question_about_a_product_becomes_a_product_question() -> None:
    assert analyze_message("Сенча сегодня?", SHOP).intent.intent is Intent.PRODUCT_QUESTION
    assert analyze_message("Сенча сегодня?").intent.intent is Intent.OTHER


def test_config_is_a_value() -> None:
    same = AnalyzerConfig.with_products({"v60": ["воронка", "v60"]})
    other = AnalyzerConfig.with_products({"v60": ["воронка"]})
    assert same == AnalyzerConfig(products={"v60": ("воронка", "v60")})
    assert hash(same) == hash(AnalyzerConfig(products={"v60": ("воронка", "v60")}))
    assert same != other
    assert DEFAULT_ANALYZER_CONFIG.products == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        same.terminology = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        same.products["x"] = ("y",)  # type: ignore[index]


@pytest.mark.parametrize(
    ("left", "right", "related"),
    [
        ("кофемашина", "кофемашину", True),
        ("заказ", "заказами", True),
        ("герой", "героя", True),  # "-ой" is part of this root
        ("order", "orders", True),
        ("card", "cards", True),
        ("школа", "школу", True),
        ("чай", "чайник", False),
        ("заказ", "указ", False),
    ],
)
def test_stem_candidates_relate_word_forms(left: str, right: str, related: bool) -> None:
    shared = set(stem_candidates(left)) & set(stem_candidates(right))
    assert bool(shared) is related


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("заказ", "мой заказа нет", True),  # inflected
        ("=как", "какой", False),  # exact only
        ("да", "дай", False),  # short words are exact by default
        ("чай+", "чаю", True),  # ... unless asked to inflect
        ("отслед*", "отследить посылку", True),  # prefix
        ("обжар*4", "обжарка", True),  # bounded prefix
        ("обжар*2", "обжаривание", False),
        ("где ~ заказ", "где же теперь мой заказ", True),  # gap of up to three tokens
        ("где ~1 заказ", "где же теперь мой заказ", False),
        ("=where =is|=are =my", "where are my beans", True),  # alternatives
        ("=cold =brew", "brew it cold", False),  # order matters
    ],
)
def test_phrase_matcher_syntax(pattern: str, text: str, found: bool) -> None:
    matcher = PhraseMatcher([pattern])
    assert bool(matcher.scan(prepare(text).tokens)) is found


@pytest.mark.parametrize("pattern", ["~ заказ", "заказ ~", "", "tl;dr", "за*каз"])
def test_phrase_matcher_rejects_malformed_patterns(pattern: str) -> None:
    with pytest.raises(ValueError):
        PhraseMatcher([pattern])


def test_phrase_matcher_reports_spans() -> None:
    matcher = PhraseMatcher(["где ~ заказ", "жду"])
    matches = matcher.scan(prepare("Где же мой заказ? Жду").tokens)
    assert [(m.rule, m.start, m.end) for m in matches] == [(0, 0, 4), (1, 4, 5)]


@pytest.mark.skipif(not BANKING77.is_file(), reason="shared BANKING77 data not present")
def test_banking77_intent_groups_do_not_regress() -> None:
    """A floor under the coarse-group quality measured by bench/evaluate_intents.py."""
    spec = importlib.util.spec_from_file_location(
        "evaluate_intents", REPO_ROOT / "bench" / "evaluate_intents.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    with BANKING77.open(newline="", encoding="utf-8") as handle:
        rows = [(row["text"], row["category"]) for row in csv.DictReader(handle)]
    gold = [bench.gold_group(category) for _, category in rows]
    predicted = [bench.predicted_group(analyze_message(text).intent.intent) for text, _ in rows]
    f1 = [bench.prf(gold, predicted, group)[2] for group in bench.SUBSTANTIVE]
    assert sum(f1) / len(f1) > 0.6


@pytest.mark.parametrize(
    ("text", "clear"),
    [
        ("ok", False),
        ("👍", False),
        ("V60?", False),
        ("12345", False),
        ("Где мой заказ?", True),
        ("Could you check my order please", True),
        ("Ужасно! DeLonghi Magnifica Evo сломалась", True),
    ],
)
def test_language_is_marked_clear_only_when_the_text_shows_it(text: str, clear: bool) -> None:
    assert analyze_message(text).lang_clear is clear
