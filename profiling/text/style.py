"""How a message is written: punctuation, questions, capitals, emoji, formality, feedback.

Everything here describes the *form* of one message, not its meaning, so that the profile
can mirror the customer (short and casual, or formal and detailed), notice when an answer
was too long or too short for them, and hear when they are in a hurry. The phrase cues are
in `profiling.text.style_cues`; one phrase scan finds all of them (shared with the intent
classifier, see `profiling.text.token_table`).

Decisions worth knowing:
- `questions` counts "?"-runs plus sentences that open like a question but lack the mark
  («Подскажите статус заказа», "can you check my order"); a run such as "???" is one.
- `repeated_punct` counts runs of two or more "?"/"!" ("??", "!!!", "?!"). Ellipses ("...",
  "…") are *not* counted: people trail off with them calmly, and counting them would make
  the irritation signal fire on polite, hesitant writers.
- `caps_ratio` looks only at words of three or more letters ("I", «Я», "OK" are not shouting).
- `emoji` counts pictographs (a ZWJ sequence or a flag is one), classic text emoticons
  (":)", ";-(", "xD", "<3") and the Russian bracket smiley: a run of "))" or "((" , or a
  single ")" / "(" when the message has no bracket of the other kind to pair with.
- `urgent` is set by a hurry word («срочно», «как можно скорее», "asap", "right now") that
  no other phrase takes back («не срочно», «что быстрее», "no need to hurry").
- `asks_shorter` needs words about the bot's text («много букв», "too long to read");
  «короче» alone asks for brevity, but a leading «короче, где заказ» is a filler word.
  A message asking both ways («не понял, можно короче?») is read as the shorter request;
  an explicit detail request outside a shorter phrase still counts.
- `asks_clarification`: the customer did not follow the answer («не понял», «в смысле?»,
  a bare «что?», "what do you mean?", "I don't get it"); confusion about the world («не
  понимаю, почему так долго») is not it.
- `impatient`: calling out to a silent chat (a bare «алло», «ау», «эй», «ну?», "hello?",
  "???", «есть кто живой?», "anyone there?") or a repeated question mark ("где заказ??").
- `undecided`: «не могу выбрать», «не знаю, что выбрать», "I still can't decide": a buyer
  choosing, which the sentiment must not read as a complaint about waiting.
- `threatens_to_leave` is set by a churn threat («больше не закажу», "never ordering
  again") that no loyalty phrase takes back («не уйду к конкурентам»).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from operator import methodcaller
from typing import Any, NamedTuple

from profiling.text.prepare import PreparedText, prepare
from profiling.text.style_cues import (
    ASKS_ABOUT,
    CLARIFY,
    CONFUSED,
    HURRY,
    IMPATIENT,
    LEAVES,
    MORE_DETAIL,
    NOT_HURRY,
    SHORTER,
    STAYS,
    UNDECIDED,
    VY,
    Cue,
)
from profiling.text.token_table import LETTERS, STYLE_CUE_OF, records, scan_parts

# Patterns start with a plain character class, not a repeat of one: the regex engine then
# jumps between candidate characters instead of trying every position.
_PUNCT_RUN_RE = re.compile(r"[?!][?!]*")
# Capitalised words of three or more letters: a capital, then letters (as many as there are).
_CAPITALISED_RE = re.compile(r"[A-ZА-ЯЁ][^\W\d_]{2,}")
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_FIRST_LETTER_RE = re.compile(r"[^\W\d_]")
_SENTENCE_RE = re.compile(r"[^.!?\n…][^.!?\n…]*[.!?\n…]*")
# "Вы" with a capital inside a sentence is the deliberate, respectful form.
_CAPITAL_VY_RE = re.compile(r"(?<=[^\s.!?]\s)В(?:ы|ас|ам|ами|аш\w*)\b")

_EMOJI_BASE = (
    "\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff\U0001f900-\U0001f9ff"
    "\U0001fa70-\U0001faff\u2600-\u27bf\u2b50\u2b55\u2b1b\u2b1c\u3030\u303d\u20e3"
)
_FLAGS = "\U0001f1e6-\U0001f1ff"  # regional indicators; a pair is a flag
_EMOJI_MOD = "\U0001f3fb-\U0001f3ff\ufe0f"  # skin tones and the emoji variation selector
# Every regex below starts with a plain character class, which lets the regex engine jump
# straight to candidate characters instead of trying the pattern at every position. A flag
# or a ZWJ family is one match; the keycap mark U+20E3 stands for its keycap.
_PICTOGRAPH_RE = re.compile(
    rf"[{_EMOJI_BASE}{_FLAGS}][{_EMOJI_MOD}{_FLAGS}]*(?:\u200d[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*"
)
# ":)", ";-(", "=D", ":P", ":3" - "eyes" not glued to a word ("10:30" is a time).
_EYES_RE = re.compile(r"[:;=](?<![\w:;=][:;=])[-'^]?[)(\]\[DPpРрOoО3/\\|*]+")
_RARE_EMOTICON_RE = re.compile(r"<3|\^_*\^|-_-|[oOоО]_[oOоО]|[TТ]_[TТ]")
_XD_TOKENS = frozenset({"xd", "xdd", "xddd", "хд", "хдд"})  # "xD" is tokenised as a word
# A bracket run not preceded by emoticon "eyes" or by another bracket of the run.
_BRACKETS_RE = re.compile(r"\)(?<![:;=\-^')(]\))\)*|\((?<![:;=\-^'()]\()\(*(?!\w)")

# Sentence openings that make a question even without "?".
_QUESTION_WORDS = frozenset(
    {
        "как", "где", "когда", "почему", "зачем", "сколько", "какой", "какая", "какое",
        "какие", "каких", "каким", "какую", "кто", "куда", "откуда", "чем", "что", "разве",
        "неужели", "подскажите", "подскажи", "скажите", "скажи", "отчего",
        "how", "where", "when", "why", "what", "which", "who", "whom", "whose", "how's",
        "where's", "what's", "when's", "who's", "why's",
    }
)  # fmt: skip
_AUXILIARIES = frozenset(
    {
        "can", "could", "would", "will", "is", "are", "do", "does", "did", "have", "has",
        "should", "may", "might", "shall", "was", "were", "isn't", "aren't", "don't",
        "doesn't", "didn't", "can't", "won't", "haven't", "hasn't",
    }
)  # fmt: skip
_SUBJECTS = frozenset(
    {
        "i", "you", "u", "we", "they", "it", "this", "that", "there", "he", "she", "my",
        "your", "the", "a", "an", "any", "anyone", "someone", "somebody", "anybody", "me",
    }
)  # fmt: skip
_OPENER_WORDS = _QUESTION_WORDS | _AUXILIARIES | {"ли"}
_LEADING_FILLERS = frozenset({"а", "и", "ну", "так", "вот", "and", "but", "so", "ok", "okay"})
_STRIP = ",:;—–-\"'«»()"
_STRIP_WORD = methodcaller("strip", _STRIP)
# What the first word of a sentence must be for it to open a question (a filler may come
# first); otherwise only «ли» as its second word can make it one.
_MAY_OPEN = _QUESTION_WORDS | _AUXILIARIES | _LEADING_FILLERS


# «Короче!» on its own asks for brevity; inside a longer message it is mostly a filler word
# («короче, где заказ»). So a bare word counts only when every other token of the message is
# one of the companions («ну короче», «короче давай», "shorter!!").
_BARE_SHORTER = frozenset({"короче", "shorter"})
_BARE_SHORTER_ALLOWED = _BARE_SHORTER | frozenset(
    {
        "ну", "а", "уже", "еще", "плиз", "пожалуйста", "пж", "плз", "давай", "давайте",
        "можно", "чуть", "please", "pls", "much", "bit", "little", "way", "even", "a",
    }
)  # fmt: skip
_BARE_SHORTER_MAX_TOKENS = 4
# Whole messages that threaten to leave but whose words, inside a longer message, are as
# often praise («никогда больше не пил такого кофе»).
_BARE_THREATS = frozenset(
    {("больше", "никогда"), ("никогда", "больше"), ("все", "больше", "никогда")}
)
# Whole messages that ask what the answer meant: «что?», «в смысле?», "huh?". Inside a longer
# message these words mean nothing of the kind («что с заказом?»).
_BARE_CLARIFY = frozenset(
    {
        ("что",), ("чего",), ("че",), ("чё",), ("шо",), ("а", "что"), ("в", "смысле"),
        ("а", "в", "смысле"), ("это", "как"), ("как", "это"), ("what",), ("huh",), ("eh",),
        ("pardon",), ("sorry", "what"), ("wdym",),
    }
)  # fmt: skip
# Whole messages that call out to a silent chat: «алло», «ау», «эй» ...
_BARE_IMPATIENT = frozenset(
    {
        ("алло",), ("ало",), ("алле",), ("аллоу",), ("ау",), ("ауу",), ("аууу",), ("эй",),
        ("эээй",), ("ээй",), ("хелло",), ("helloo",), ("hellooo",), ("anyone",),
        ("anybody",), ("ну", "и"), ("и", "что"), ("и", "че"), ("и", "чё"), ("ну", "так"),
        ("так", "что"), ("ну", "что"), ("ну", "и", "что"),
    }
)  # fmt: skip
# ... and those that do only as a question: «ну?», «и?», "hello?", "hey?".
_BARE_IMPATIENT_ASKED = frozenset(
    {("ну",), ("и",), ("hello",), ("hi",), ("hey",), ("well",), ("so",), ("and",), ("ok",)}
)
_BARE_MAX_TOKENS = 3
_NONE: tuple[range, ...] = ()
# Below this many tokens («заказ 1234») the case of the first letter says nothing.
_MIN_TOKENS_FOR_CASE = 3


class StyleSignals(NamedTuple):
    """Style part of `MessageSignals` (a named tuple: built once per message, cheaply)."""

    chars: int
    words: int
    questions: int
    exclamations: int
    repeated_punct: int
    caps_ratio: float
    emoji: int
    formality: float
    polite: bool
    asks_more_detail: bool
    asks_shorter: bool
    urgent: bool
    threatens_to_leave: bool
    asks_clarification: bool = False
    impatient: bool = False
    undecided: bool = False


def count_punctuation(clean: str) -> tuple[int, int, int]:
    """("?"-runs, "!"-runs, runs of two or more of them) in `clean`."""
    questions = exclamations = repeated = 0
    if "?" not in clean and "!" not in clean:
        return 0, 0, 0
    for run in _PUNCT_RUN_RE.findall(clean):
        if "?" in run:
            questions += 1
        if "!" in run:
            exclamations += 1
        if len(run) > 1:
            repeated += 1
    return questions, exclamations, repeated


def count_unmarked_questions(lower: str, tokens: tuple[str, ...] | None = None) -> int:
    """Sentences that open like a question («как», "can you", «есть ли») but lack a "?".

    With the message's `tokens`, messages without any opener word are skipped at once.
    """
    if tokens is not None and _OPENER_WORDS.isdisjoint(tokens):
        return 0
    count = 0
    for sentence in _SENTENCE_RE.findall(lower):
        if "?" in sentence:
            continue
        head = sentence.split(None, 1)
        if not head:
            continue
        first = head[0].strip(_STRIP)
        if first and first not in _MAY_OPEN and "ли" not in sentence:
            continue  # the usual sentence: it opens with no word that could ask
        words = list(filter(None, map(_STRIP_WORD, sentence.split(None, 3))))  # all in C
        if words and words[0] in _LEADING_FILLERS:
            words = words[1:]
        if not words:
            continue
        first = words[0]
        second = words[1] if len(words) > 1 else ""
        if (
            first in _QUESTION_WORDS
            or second == "ли"
            or (first in _AUXILIARIES and second in _SUBJECTS)
        ):
            count += 1
    return count


def caps_ratio(text: PreparedText) -> float:
    """Share of upper-case letters among the letters of words of three or more letters.

    Short words are left out on both sides, so that "I", «Я» and "OK" do not look like
    shouting. Capitalised words are found with one fast regex (Latin and Cyrillic
    capitals), and the letters are only totalled when there is a capital to count.
    """
    words = _CAPITALISED_RE.findall(text.clean)
    if not words:
        return 0.0
    joined = "".join(words)
    if joined.isascii():  # count A-Z in C: the letters left out by deleting them
        upper = len(joined) - len(joined.encode().translate(None, _ASCII_UPPER))
    else:
        upper = sum(map(str.isupper, joined))
    if not upper:
        return 0.0
    letters = sum(map(LETTERS, records(text)))  # of words of three or more letters
    return min(1.0, upper / letters) if letters else 0.0


def count_emoji(text: PreparedText) -> int:
    """Pictographs, text emoticons and bracket smileys (see the module notes)."""
    clean = text.clean
    count = 0
    if not clean.isascii():  # O(1); every pictograph is outside ASCII
        count = len(_PICTOGRAPH_RE.findall(clean))
    if ":" in clean or ";" in clean or "=" in clean:  # the possible "eyes"
        count += len(_EYES_RE.findall(clean))
    if "_" in clean or "<3" in clean:
        count += len(_RARE_EMOTICON_RE.findall(clean))
    lower = text.lower  # every token of `_XD_TOKENS` holds "xd" or «хд»
    if ("xd" in lower or "хд" in lower) and not _XD_TOKENS.isdisjoint(text.tokens):
        count += sum(1 for token in text.tokens if token in _XD_TOKENS)
    if ")" in clean or "(" in clean:
        has_open = "(" in clean
        has_close = ")" in clean
        for run in _BRACKETS_RE.findall(clean):
            if len(run) > 1 or (run == ")" and not has_open) or (run == "(" and not has_close):
                count += 1
    return count


def _formality(
    text: PreparedText, weights: float, emoji: int, repeated: int, vy_form: bool
) -> float:
    """Formality in -1..1 from the cue weights plus a few writing habits."""
    raw = weights
    clean = text.clean
    if vy_form and "В" in clean and _CAPITAL_VY_RE.search(clean):
        raw += 0.5
    if len(text.tokens) >= _MIN_TOKENS_FOR_CASE:
        first = clean.lstrip()[:1]  # most often the first letter itself
        if not first.isalpha():
            found = _FIRST_LETTER_RE.search(clean)
            first = "" if found is None else found.group()
        if first:
            # Starting with a small letter is a chat habit; a capital is only weakly formal.
            raw += -0.4 if first.islower() else 0.1
    raw -= 0.3 * min(emoji, 3)
    if repeated:
        raw -= 0.3
    # tanh keeps the scale open-ended but bounded; /1.5 so that one strong formula
    # («Здравствуйте») reads as clearly formal without saturating at once.
    return round(math.tanh(raw / 1.5), 4)


def analyze_style(text: PreparedText) -> StyleSignals:
    """All style signals of one prepared message."""
    values = style_values(text)
    return StyleSignals(*values[:5], round(caps_ratio(text), 4), *values[5:])


# The fields of `StyleSignals` that `style_values` gives, in its order (all but `caps_ratio`).
STYLE_VALUES = tuple(name for name in StyleSignals._fields if name != "caps_ratio")


def style_values(text: PreparedText) -> tuple[Any, ...]:
    """`analyze_style` as a plain tuple of the `STYLE_VALUES` fields, without the caps ratio.

    For `analyze_message`, which builds no `StyleSignals` and works the caps ratio out only
    when it is read (nothing on the way from a message to a reply or to `barista analyze`
    reads it)."""
    clean = text.clean
    marked, exclamations, repeated = count_punctuation(clean)
    questions = marked + count_unmarked_questions(text.lower, text.tokens)
    emoji = count_emoji(text)

    weights = 0.0
    polite = vy_form = False
    spans: dict[Cue, list[range]] = {}  # spans of the non-formality cues, by cue
    seen: set[int] = set()
    for rule, start, end in scan_parts(text)[0]:  # the style matches
        cue = STYLE_CUE_OF[rule]
        if cue.meaning:
            spans.setdefault(cue, []).append(range(start, end))
            continue
        if id(cue) in seen:
            continue  # a formula used twice is not twice as formal
        seen.add(id(cue))
        weights += cue.formality
        polite = polite or cue.polite
        vy_form = vy_form or cue is VY
    tokens = text.tokens
    if len(tokens) <= _BARE_SHORTER_MAX_TOKENS:
        if not _BARE_SHORTER.isdisjoint(tokens) and _BARE_SHORTER_ALLOWED.issuperset(tokens):
            spans.setdefault(SHORTER, []).append(range(0, len(tokens)))
        if tokens in _BARE_THREATS:
            spans.setdefault(LEAVES, []).append(range(0, len(tokens)))
    shorter_spans = spans.get(SHORTER, _NONE)
    more = urgent = leaves = clarify = impatient = undecided = False
    if len(tokens) <= _BARE_MAX_TOKENS:
        # A bare «что?» asks what we meant; a bare «алло», «ну?» or "???" calls out to a
        # chat that seems silent.
        clarify = tokens in _BARE_CLARIFY
        impatient = tokens in _BARE_IMPATIENT or (
            questions > 0 and (not tokens or tokens in _BARE_IMPATIENT_ASKED)
        )
    if spans:  # most messages have none of these cues
        get = spans.get
        # «слишком подробно» asks for less: a detail cue inside a shorter cue does not count.
        # Confusion counts unless it is about the world («не понимаю, почему так долго») or
        # comes with a shorter request («не понял, можно короче?»), which it then is.
        more = _any_outside(get(MORE_DETAIL, _NONE), shorter_spans) or (
            not shorter_spans and _any_outside(get(CONFUSED, _NONE), get(ASKS_ABOUT, _NONE))
        )
        # «не срочно» takes the hurry word back, «что быстрее» only compares.
        urgent = _any_outside(get(HURRY, _NONE), get(NOT_HURRY, _NONE))
        # «не уйду к конкурентам» takes the threat back.
        leaves = _any_outside(get(LEAVES, _NONE), get(STAYS, _NONE))
        # Confusion about the answer (not about the world) asks what it meant.
        clarify = (
            clarify
            or CLARIFY in spans
            or _any_outside(get(CONFUSED, _NONE), get(ASKS_ABOUT, _NONE))
        )
        impatient = impatient or IMPATIENT in spans
        undecided = UNDECIDED in spans
    # "where is my order??", "hello?!": a repeated question mark is impatience (a run of "!"
    # alone is not: it is as common in praise, see `profiling.text.sentiment`).
    if repeated and not impatient and ("??" in clean or "?!" in clean or "!?" in clean):
        impatient = True
    return (
        len(text.raw.strip()),
        len(tokens),
        questions,
        exclamations,
        repeated,
        emoji,
        _formality(text, weights, emoji, repeated, vy_form),
        polite,
        more,
        bool(shorter_spans),
        urgent,
        leaves,
        clarify,
        impatient,
        undecided,
    )


def _any_outside(spans: Sequence[range], cancelling: Sequence[range]) -> bool:
    """Whether some span starts outside every cancelling span."""
    if not spans or not cancelling:
        return bool(spans)  # the usual case, without building a generator per message
    return any(all(span.start not in other for other in cancelling) for span in spans)


def mentions_urgency(text: str) -> bool:
    """Whether the customer says they are in a hurry (the `urgent` style signal of `text`)."""
    return analyze_style(prepare(text)).urgent
