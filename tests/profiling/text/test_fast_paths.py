"""The fast paths of the text analysis give exactly what the plain versions give.

Speed-ups that must not change a single output: regular expressions rewritten to start with
a character class, the prefilters of the sentiment phrases, the ASCII tokenizer, the one
phrase scan shared by the style, intent and vocabulary analysers, and the per-token table.
Each is checked against a straightforward reference on real-looking and random input.
"""

from __future__ import annotations

import random
import re

import pytest

from profiling.text import lexicon_en, lexicon_ru, sentiment_symbols, style, token_table
from profiling.text.prepare import _ASCII_TOKEN_RE, _TOKEN_RE, _URL_RE, prepare, tokenize
from profiling.text.sentiment_lexicon import (
    LEXICONS,
    needles,
    phrase_needles,
    prefilter,
    scoring_entry,
)
from profiling.text.signals import analyze_message
from profiling.text.vocabulary import DEFAULT_ANALYZER_CONFIG, Match, PhraseMatcher, _match_rest
from profiling.types import Lang

SAMPLES = [
    "@united thanks for nothing, my bag is lost AGAIN!!! 3 hours on hold :/",
    "Where is my order?? Waiting 2 weeks already. Never ordering again",
    "It's been 45 min on hold, why can't you just fix it :-(",
    "Great job losing my luggage... not. 5 hrs delay and counting",
    "hi, is there a way to change my flight? xD http://t.co/abc WWW.Example.com",
    "Где мой заказ?? Жду уже неделю!!! Безобразие, больше не закажу",
    "Спасибо большое, всё пришло ))) молодцы",
    "не работает интернет уже третий день, не могу дозвониться - позор",
    "Добрый день! Подскажите, пожалуйста, статус заказа 12345. Вы обещали вчера",
    "ок",
    "👍",
    "ЧТО ЗА ФИГНЯ??? верните деньги",
]


def _random_text(rng: random.Random) -> str:
    words = [
        "great", "job", "not", "never", "waiting", "hours", "hold", "why", "thanks", "for",
        "nothing", "my", "order", "where", "is", "fix", "it", "жду", "уже", "не", "где",
        "мой", "заказ", "спасибо", "за", "ничего", "до", "сих", "пор", "так", "и", "2",
        "45", "минут", "час", "delayed", "still", "haven't", "received", "can't", "wi-fi",
    ]  # fmt: skip
    marks = ["", "", "", "!", "?", "??", "!!!", ",", ".", " -", ":)", ":(", ")))", "..."]
    return " ".join(
        rng.choice(words) + rng.choice(marks) for _ in range(rng.randint(1, 14))
    ).capitalize()


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    rng = random.Random(20261202)
    return SAMPLES + [_random_text(rng) for _ in range(3000)]


# -- phrase prefilters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "loose"),
    [
        (r"\bon hold\b", r"on hold\b"),
        (r"(?<!not )(?<!n't )\b(?:great|good) (?:job|work)\b", r"(?:great|good) (?:job|work)\b"),
        (r"\bwhy not\s*$|\bso\s+what\b", r"why not\s*$|so\s+what\b"),
        (r"\b(?:\d+|an?|one)\s*(?:more\s+)?(?:hours?|days?) late", r"(?:hours?|days?) late"),
        (r"\bthanks? (?:you )?for", r"thanks? (?:you )?for"),
        (r"abc", None),  # starts with a literal already
        (r"^\s*ok$", None),  # anchored: cheap as it is
        (r"\b\d+\b", None),  # nothing literal to start with
    ],
)
def test_prefilter_drops_leading_elements_up_to_a_literal(pattern: str, loose: str | None):
    assert prefilter(pattern) == loose


@pytest.mark.parametrize("lex", [lexicon_en, lexicon_ru], ids=["en", "ru"])
def test_every_phrase_prefilter_lets_through_whatever_the_phrase_matches(lex, corpus):
    texts = [prepare(text).lower for text in corpus]
    for _, pattern, *_ in lex.PHRASES:
        loose = prefilter(pattern)
        if loose is None:
            continue
        phrase, prefiltered = re.compile(pattern), re.compile(loose)
        for text in texts:
            if phrase.search(text):
                assert prefiltered.search(text), (pattern, text)


def test_compiled_phrases_carry_their_prefilters():
    for lang, lex in LEXICONS.items():
        table = lexicon_en if lang is Lang.EN else lexicon_ru
        assert len(lex.phrases) == len(table.PHRASES)
        for (search, loose, found_in, weight, cue, _), (triggers, pattern, weight0, cue0, _) in zip(
            lex.phrases, table.PHRASES, strict=True
        ):
            assert search.__self__.pattern == pattern
            assert (weight, cue) == (weight0, cue0)
            expected = prefilter(pattern)
            assert (loose is None) == (expected is None)
            assert found_in == phrase_needles(triggers, pattern)


@pytest.mark.parametrize(
    ("pattern", "found"),
    [
        (r"(?:great|good) (?:job|work)\b", ("good", "great")),
        (r"(?:hours?|hrs?|days?) late", ("hr", "day", "hour")),
        (r"why not\s*$|so\s+what\b", ("so", "why not")),
        (r"it'?s been|it has been", ("it",)),  # "it has" holds "it": one test for both
        (r"thanks? (?:you )?for", ("thank",)),
        (r"\bon hold\b", None),  # starts with an assertion
        (r"(?:very )?bad", None),  # an optional group first
        (r"[a-z]+ly", None),
        (r"s?top", None),  # nothing certain before the quantified letter
    ],
)
def test_needles_are_the_literal_runs_the_branches_start_with(pattern, found):
    assert needles(pattern) == found


def test_phrase_needles_leave_out_what_the_trigger_words_give_anyway():
    good_job = r"(?<!not )\b(?:great|good) (?:job|work)\b"
    assert phrase_needles("job work", good_job) == ("good", "great")
    assert phrase_needles("good great", good_job) is None
    assert phrase_needles("hour", r"\b(?:hours?|days?) late") is None


@pytest.mark.parametrize("lex", [lexicon_en, lexicon_ru], ids=["en", "ru"])
def test_every_phrase_match_holds_one_of_its_needles(lex, corpus):
    texts = [prepare(text).lower for text in corpus]
    for triggers, pattern, *_ in lex.PHRASES:
        found = phrase_needles(triggers, pattern)
        if found is None:
            continue
        phrase = re.compile(pattern)
        for text in texts:
            if phrase.search(text):
                assert any(needle in text for needle in found), (pattern, text)


# -- rewritten regular expressions ----------------------------------------------------------


def _fuzz(alphabet: str, count: int = 20000, longest: int = 14) -> list[str]:
    rng = random.Random(7)
    return [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)
    ]


def test_url_pattern_is_the_case_insensitive_one():
    reference = re.compile(r"https?://\S+|www\.\S+|t\.co/\S+", re.IGNORECASE)
    for text in _fuzz("hHtTpPsSſ:/wW.cCoO xK", longest=18) + SAMPLES:
        assert _URL_RE.sub(" ", text) == reference.sub(" ", text), text


def test_ascii_tokenizer_is_the_unicode_one_on_ascii_text():
    for text in _fuzz("abZ09'- _.é", longest=16) + [prepare(s).lower for s in SAMPLES]:
        if text.isascii():
            assert _ASCII_TOKEN_RE.findall(text) == _TOKEN_RE.findall(text), text
        assert tokenize(text) == tuple(_TOKEN_RE.findall(text)), text


def test_emoticon_and_clause_break_patterns_are_the_plain_ones():
    emoticons = re.compile(
        r"(?P<pe>(?<![\w/])(?:[:;=8]-?[dpр3*]|x-?d)(?!\w)|<3|\^_*\^)"
        r"|(?P<ne>(?<![\w/])[:;=]['\-]?[/\\|](?![/\w]))"
    )
    breaks = re.compile(r"[.,;!?…:()\n]|\s[-–—]\s")
    for text in _fuzz(":;=8x<^3dpр*-'/\\|_ a\n.,!?…()–—w"):
        assert [
            (m.start(), m.end(), m.lastgroup == "ne")
            for m in sentiment_symbols._EMOTICON_RE.finditer(text)
        ] == [(m.start(), m.end(), m.lastgroup == "ne") for m in emoticons.finditer(text)]
        assert [m.start() for m in sentiment_symbols._BREAK_RE.finditer(text)] == [
            m.start() for m in breaks.finditer(text)
        ]


@pytest.mark.parametrize(
    ("fast", "plain"),
    [
        (sentiment_symbols._REPEATED_RE, r"[!?]{2,}"),
        (sentiment_symbols._CAPS4_RE, r"[A-ZА-ЯЁ]{4}"),
        (sentiment_symbols._WORD3_RE, r"[^\W\d_]{3,}"),
        (style._PUNCT_RUN_RE, r"[?!]+"),
        (style._SENTENCE_RE, r"[^.!?\n…]+[.!?\n…]*"),
    ],
)
def test_patterns_starting_with_a_class_find_the_same(fast: re.Pattern[str], plain: str):
    reference = re.compile(plain)
    for text in _fuzz("!?aBCDЖЁ .\n…1_") + SAMPLES:
        assert fast.findall(text) == reference.findall(text), text


# -- the shared phrase scan ------------------------------------------------------------------


def _reference_scan(matcher: PhraseMatcher, tokens: tuple[str, ...]) -> list[Match]:
    """Every pattern tried at every start, in (start, pattern) order."""
    per_token = [matcher.token_info(token)[1] for token in tokens]
    found = []
    for start in range(len(tokens)):
        for rule, elements in enumerate(matcher._rules):
            if elements[0] in per_token[start]:
                end = _match_rest(elements, 1, per_token, start + 1)
                if end >= 0:
                    found.append(Match(rule, start, end))
    return found


def test_phrase_scan_finds_what_trying_every_pattern_everywhere_finds(corpus):
    matcher = token_table._MATCHER
    for text in corpus[:800]:
        tokens = prepare(text).tokens
        assert matcher.scan(tokens) == _reference_scan(matcher, tokens), text


def test_default_vocabulary_from_the_shared_scan_is_its_own_scan(corpus):
    config = DEFAULT_ANALYZER_CONFIG
    extra = ["Эспрессо и капучино, помол под турку", "cold brew with a v60 and a burr grinder"]
    for text in [*corpus[:800], *extra]:
        prepared = prepare(text)
        assert token_table.vocabulary_scan(config, prepared) == config.scan(prepared.tokens)


# -- the per-token table ---------------------------------------------------------------------


def test_records_come_from_the_lexicon_of_the_message_language():
    for text, lang in [("не done", Lang.RU), ("done не", Lang.RU), ("well done", Lang.EN)]:
        prepared = prepare(text, lang)
        lexicon = LEXICONS[prepared.lang].cache
        for token, record in zip(prepared.tokens, token_table.records(prepared), strict=True):
            entry = lexicon[token]
            assert record[1] == scoring_entry(entry)
            assert record[3] == (() if entry is None else entry[5])


def test_shared_work_is_per_prepared_message():
    first, second = prepare("Where is my order?"), prepare("Где мой заказ?")
    assert token_table.records(first) is token_table.records(first)
    assert token_table.scan(second) == token_table.scan(prepare("Где мой заказ?"))
    # The same text prepared again (a new object) gives equal answers.
    assert analyze_message("Where is my order?") == analyze_message("Where is my order?")
