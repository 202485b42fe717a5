"""How a message is written: punctuation, questions, capitals, emoji, formality, feedback.

Everything here describes the *form* of one message, not its meaning, so that the profile
can mirror the customer (short and casual, or formal and detailed) and notice when an
answer was too long or too short for them.

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
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from profiling.text import PreparedText
from profiling.vocabulary import PhraseMatcher

_PUNCT_RUN_RE = re.compile(r"[?!]+")
_CAPITALISED_RE = re.compile(r"[A-ZА-ЯЁ][^\W\d_]*")
_FIRST_LETTER_RE = re.compile(r"[^\W\d_]")
_SENTENCE_RE = re.compile(r"[^.!?\n…]+[.!?\n…]*")
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


@dataclass(frozen=True, slots=True)
class _Cue:
    patterns: tuple[str, ...]  # `PhraseMatcher` patterns; any of them fires the cue
    formality: float = 0.0  # signed push towards formal (+) or casual (-)
    polite: bool = False
    feedback: int = 0  # +1 asks for more detail, -1 asks for shorter answers


def _cue(*patterns: str, formality: float = 0.0, polite: bool = False, feedback: int = 0) -> _Cue:
    return _Cue(patterns, formality, polite, feedback)


_VY = _cue("=вы|=вас|=вам|=вами|ваш", formality=0.6)
_FORMAL_RU = (
    _VY,
    _cue("здравствуйте", formality=1.0, polite=True),
    _cue("добр* день|вечер|утро|ночи|время|времени|=дня", formality=0.8, polite=True),
    _cue("будьте добр*|любезн*", formality=1.0, polite=True),
    _cue("не могли бы", formality=0.9, polite=True),
    _cue("не подскажете|сможете|могли", formality=0.5, polite=True),
    _cue("уважаем*", formality=1.0, polite=True),
    _cue("с уважением", formality=1.2, polite=True),
    _cue("благодар*", formality=0.6, polite=True),
    _cue("=извините|=простите", "=прошу =прощения", formality=0.5, polite=True),
    _cue("=пожалуйста|=пожалуйсто", formality=0.3, polite=True),
    _cue("=спасибо", formality=0.1, polite=True),
    _cue("=прошу", formality=0.3),
    _cue(
        "=подскажите|=скажите|=пришлите|=помогите|=объясните|=уточните|=посмотрите|=проверьте"
        "|=сообщите|=ответьте|=перезвоните|=посоветуйте|=напишите|=дайте|=сделайте"
        "|=отправьте|=верните|=вышлите|=позвоните|=свяжитесь|=оформите|=подтвердите",
        formality=0.4,
    ),
)
_CASUAL_RU = (
    _cue("=ты|=тебя|=тебе|=тобой|твой", formality=-0.6),
    _cue(
        "=привет|=приветик|=приветики|=прив|=хай|=хаюшки|=здарова|=салют|=хеллоу",
        formality=-0.7,
    ),
    _cue("=плиз|=плз|=пжл|=пж|=пжлст|=плес|=плиииз", formality=-0.8, polite=True),
    _cue("=спс|пасиб*|=сенкс|=спасибки|=мерси", formality=-0.6, polite=True),
    _cue("=ок|=окей|=оки|=окс|=ладно|=лады", formality=-0.3),
    _cue(
        "=че|=чо|=щас|=ща|=норм|=нормас|=лол|=кек|=имхо|=блин|=капец|=жесть|=типа|=короч"
        "|=чет|=чот|=ваще|=кста|=инфа|=инфу|=инфы|=пипец|офиге*|=фига|=хз|=мб|ахах*|хаха*"
        "|=хех|=ржу|=прикол|=прикольно|=чел",
        formality=-0.6,
    ),
    _cue("=чувак|=бро|=братан|братишк*|=ребят|=народ", formality=-0.6),
    _cue("=ага|=угу|=неа|=не-а", formality=-0.4),
    _cue(
        "=подскажи|=скажи|=скинь|=кинь|=глянь|=дай|=помоги|=напиши|=объясни|=посмотри"
        "|=проверь|=сделай|=верни|=позвони|=ответь",
        formality=-0.4,
    ),
    _cue("=извини|=прости", formality=-0.2, polite=True),
)
_FORMAL_EN = (
    _cue("=dear", formality=1.0, polite=True),
    _cue("=good =morning|=afternoon|=evening|=day", formality=0.8, polite=True),
    _cue("=could|=would =you =please", formality=1.0, polite=True),
    _cue("=could|=would =you", formality=0.5),
    _cue("=would =it =be =possible", formality=0.8, polite=True),
    _cue("=i =would =like", "=i'd =like", "=may =i", formality=0.5),
    _cue("=kind|=best|=warm =regards", formality=1.2, polite=True),
    _cue("=regards|=sincerely", "=yours =faithfully|=truly", formality=0.8, polite=True),
    _cue("=thank =you", "=many =thanks", formality=0.4, polite=True),
    _cue("appreciat*", formality=0.4, polite=True),
    _cue("=kindly", formality=0.6, polite=True),
    _cue("=please", formality=0.3, polite=True),
    _cue("=hello|=greetings", formality=0.3),
    _cue("=excuse =me", "=apologies|apologi*", formality=0.4, polite=True),
    _cue("=sorry|=thanks", polite=True),
)
_CASUAL_EN = (
    _cue("=hey|=hiya|=heya|=yo|=sup|=wassup|=howdy", formality=-0.6),
    _cue("=hi", formality=-0.2),
    _cue("=u|=ur|=r|=ya|=y'all|=cuz|=coz|=cos|=wat|=wut", formality=-0.8),
    _cue("=pls|=plz|=plx|=plez|=pleeease", formality=-0.8, polite=True),
    _cue(
        "=lol|=lmao|=lmfao|=rofl|=omg|=wtf|=smh|=tbh|=btw|=idk|=imo|=imho|=ikr|=ngl|=afaik"
        "|=haha|=hahaha|=hehe",
        formality=-0.7,
    ),
    _cue("=thx|=thanx|=thnx|=tnx|=ty|=tysm", "=thank =u", formality=-0.6, polite=True),
    _cue("=gonna|=wanna|=gotta|=kinda|=sorta|=dunno|=ain't|=lemme|=gimme|=ya'll", formality=-0.6),
    _cue("=dude|=bro|=mate|=buddy", formality=-0.5),
    _cue("=guys", formality=-0.3),
    _cue("=ok|=okay|=k|=kk|=okey", formality=-0.3),
    _cue("=yeah|=yep|=yup|=nope|=nah", formality=-0.4),
)
_MORE_DETAIL = _cue(
    "подробн*|поподробн*|=подробней|детальн*",
    "расскаж* ~ =больше|подробн*|=детальнее",
    "=больше =информации|=деталей|=подробностей|=инфы|=инфо",
    "=разверните|развернут*",
    "=more =detail|=details|=info|=information|=specific|=specifics",
    "=tell =me =more",
    "elaborat*",
    "=explain ~ =more|=further|=detail",
    "=in =detail|=depth",
    "=go =on",
    "=expand =on",
    feedback=1,
)
_SHORTER = _cue(
    "покороч*|=вкратце|=кратко|=кратенько|=коротко",
    "=слишком|=очень|=чересчур|=многовато ~ длинн*|=много|подробн*|=долго",
    "=много =букв",
    "=многабукф|=многабукаф|=многобукв|=тлдр",
    "=в =двух =словах",
    "=ближе =к =делу|=сути",
    "=только =суть",
    "=можно|пиши*|отвеч*|давай*|говори*|объясн*|=еще|=чуть|=немного|=пожалуйста =короче",
    "=короче =пожалуйста|=плиз|=плз|=пж",
    "=too =long|=wordy|=verbose",
    "=tl =dr",
    "=tldr",
    "=shorter =please|=answer|=answers|=version|=reply|=replies|=pls",
    "=be =shorter|=brief|=concise|=quick|=briefer",
    "=keep =it =short|=brief|=shorter",
    "=get =to =the =point",
    "=summarize|=summarise =it|=please|=pls",
    feedback=-1,
)
_CUES: tuple[_Cue, ...] = (
    *_FORMAL_RU, *_CASUAL_RU, *_FORMAL_EN, *_CASUAL_EN, _MORE_DETAIL, _SHORTER,
)  # fmt: skip
# One matcher for all cues; `_CUE_OF[rule]` tells which cue a matched pattern belongs to.
_CUE_OF: tuple[_Cue, ...] = tuple(cue for cue in _CUES for _ in cue.patterns)
_MATCHER = PhraseMatcher([pattern for cue in _CUES for pattern in cue.patterns])
# «Короче!» on its own asks for brevity; inside a longer message it is mostly a filler word.
_BARE_SHORTER = frozenset({"короче", "shorter"})
_BARE_SHORTER_MAX_TOKENS = 3
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


def count_punctuation(clean: str) -> tuple[int, int, int]:
    """("?"-runs, "!"-runs, runs of two or more of them) in `clean`."""
    questions = exclamations = repeated = 0
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
        words = [w.strip(_STRIP) for w in sentence.split(None, 3)]
        words = [w for w in words if w]
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
    upper = 0
    for word in _CAPITALISED_RE.findall(text.clean):
        if len(word) > 2:
            upper += sum(map(str.isupper, word))
    if not upper:
        return 0.0
    letters = sum(len(token) for token in text.tokens if len(token) > 2 and token.isalpha())
    return min(1.0, upper / letters) if letters else 0.0


def count_emoji(text: PreparedText) -> int:
    """Pictographs, text emoticons and bracket smileys (see the module notes)."""
    clean = text.clean
    count = len(_PICTOGRAPH_RE.findall(clean)) + len(_EYES_RE.findall(clean))
    if "_" in clean or "<3" in clean:
        count += len(_RARE_EMOTICON_RE.findall(clean))
    if not _XD_TOKENS.isdisjoint(text.tokens):
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
    if vy_form and _CAPITAL_VY_RE.search(text.clean):
        raw += 0.5
    first_letter = _FIRST_LETTER_RE.search(text.clean)
    if first_letter is not None and len(text.tokens) >= _MIN_TOKENS_FOR_CASE:
        # Starting with a small letter is a chat habit; a capital is only weakly formal.
        raw += -0.4 if first_letter.group().islower() else 0.1
    raw -= 0.3 * min(emoji, 3)
    if repeated:
        raw -= 0.3
    # tanh keeps the scale open-ended but bounded; /1.5 so that one strong formula
    # («Здравствуйте») reads as clearly formal without saturating at once.
    return round(math.tanh(raw / 1.5), 4)


def analyze_style(text: PreparedText) -> StyleSignals:
    """All style signals of one prepared message."""
    clean = text.clean
    marked, exclamations, repeated = count_punctuation(clean)
    questions = marked + count_unmarked_questions(text.lower, text.tokens)
    emoji = count_emoji(text)

    weights = 0.0
    polite = vy_form = False
    more_spans: list[range] = []
    shorter_spans: list[range] = []
    seen: set[int] = set()
    for match in _MATCHER.scan(text.tokens):
        cue = _CUE_OF[match.rule]
        if cue.feedback > 0:
            more_spans.append(range(match.start, match.end))
        elif cue.feedback < 0:
            shorter_spans.append(range(match.start, match.end))
        if id(cue) in seen:
            continue  # a formula used twice is not twice as formal
        seen.add(id(cue))
        weights += cue.formality
        polite = polite or cue.polite
        vy_form = vy_form or cue is _VY
    if len(text.tokens) <= _BARE_SHORTER_MAX_TOKENS and not _BARE_SHORTER.isdisjoint(text.tokens):
        shorter_spans.append(range(0, len(text.tokens)))
    # «слишком подробно» asks for less: a detail cue inside a shorter cue does not count.
    asks_more = any(
        all(more.start not in shorter for shorter in shorter_spans) for more in more_spans
    )
    return StyleSignals(
        chars=len(text.raw.strip()),
        words=len(text.tokens),
        questions=questions,
        exclamations=exclamations,
        repeated_punct=repeated,
        caps_ratio=round(caps_ratio(text), 4),
        emoji=emoji,
        formality=_formality(text, weights, emoji, repeated, vy_form),
        polite=polite,
        asks_more_detail=asks_more,
        asks_shorter=bool(shorter_spans),
    )
