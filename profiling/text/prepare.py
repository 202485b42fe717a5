"""Text preparation shared by every analyser: one pass of normalisation and tokenisation.

Each message is prepared once (`prepare`) and the sentiment, intent and style analysers all
read the same `PreparedText`, so the per-message cost stays a single regex scan.

`stem_candidates` is the light, dictionary-free inflection handling the word matchers use:
Russian nouns and adjectives change their endings («заказ», «заказа», «заказом»), so two
words are taken as forms of one another when they share a stem and both remainders are
known endings. It is deliberately cheap and conservative; verbs are matched by explicit
prefixes in the rule tables instead.

Language is decided by words, not letters, and the two scripts are not weighed alike:
Russian customers write brand and model names in Latin («Ужасно! DeLonghi Magnifica Evo
сломалась»), while English customers almost never write a Cyrillic word. So a Cyrillic word
is strong Russian evidence, a Latin word next to Cyrillic ones only counts when it is an
English function word ("the", "is", "my"), and Latin-only text needs a function word or a
couple of real words to be English. When the evidence is weak or tied ("👍", "ok", "V60?",
"12345", a bare link) the caller's hint, normally the customer's known language, stands;
`language_evidence` tells the profile whether the text itself was clear.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from profiling.types import Lang

_EN, _RU = Lang.EN, Lang.RU  # globals: cheaper than an enum attribute per message

# Words: letter runs with inner apostrophes/hyphens ("don't", "кто-нибудь"). Digits are kept
# as their own tokens because order numbers and prices matter for intents.
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*|\d+", re.UNICODE)
# The same tokens for ASCII text: plain ranges scan faster than the Unicode categories above.
_ASCII_TOKEN_RE = re.compile(r"[a-zA-Z]+(?:['\-][a-zA-Z]+)*|[0-9]+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
# "http(s)://", "www." and "t.co/" links in any case. Spelled out case by case rather than
# with re.IGNORECASE ("ſ" is what IGNORECASE also takes for "s") so that the pattern starts
# with a character class, which lets the regex engine jump between candidate letters.
_URL_RE = re.compile(
    r"[hHwWtT](?:(?<=[hH])[tT][tT][pP][sSſ]?://|(?<=[wW])[wW][wW]\.|(?<=[tT])\.[cC][oO]/)\S+"
)
_MENTION_RE = re.compile(r"[@#][\w_]+", re.UNICODE)
# Variants that only differ typographically are folded so that rule tables can be written
# once: "ё" as "е", typographic apostrophes as "'". (`str.replace` is several times faster
# than `str.translate` with a mapping, and a no-op replace costs almost nothing.)
_FOLDS = (("ё", "е"), ("’", "'"), ("ʼ", "'"))

# Inflectional endings of Russian nouns/adjectives and English plural/verb forms. Past-tense
# verb endings («-ла», «-ли») are left out on purpose: they collide with noun stems
# («школа» would lose «-ла» and stop matching «школу»).
INFLECTION_ENDINGS: frozenset[str] = frozenset(
    {
        # Russian, one letter
        "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
        # Russian, two letters
        "ам", "ям", "ах", "ях", "ов", "ев", "ей", "ой", "ом", "ем", "ую", "юю", "ая", "яя",
        "ое", "ее", "ые", "ие", "ый", "ий", "ых", "их", "ым", "им", "ью", "ия", "ии", "ию",
        # Russian, three letters
        "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "иям", "иях", "ией",
        # English
        "s", "es", "ed", "ing", "'s",
    }
)  # fmt: skip
_MAX_ENDING = max(len(e) for e in INFLECTION_ENDINGS)
# A stem shorter than this is too ambiguous to stand for a word («мо» for «мой/моя» is the
# shortest useful one).
MIN_STEM = 2


class PreparedText(NamedTuple):
    """One message, normalised once for every analyser (a named tuple: built per message,
    and a tuple is the cheapest immutable record Python has)."""

    raw: str
    clean: str  # URLs and @mentions removed, original case kept
    lower: str  # `clean`, lower-cased, "ё" folded into "е", "’" into "'"
    tokens: tuple[str, ...]  # lower-cased word and number tokens of `lower`
    lang: Lang
    # Russian evidence minus English evidence of the words (see `language_evidence`).
    margin: float = 0.0


# Builds a `PreparedText` from a tuple of all its fields without the named tuple's Python-level
# `__new__` (one call frame less per message).
_new_prepared = tuple.__new__


# English words frequent in any English message and rare in brand or model names. Single
# letters are left out on purpose: "Jura A1", "Galaxy S24" would otherwise read as English.
_ENGLISH_WORDS: frozenset[str] = frozenset(
    {
        "the", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "don't",
        "doesn't", "didn't", "have", "has", "had", "can", "can't", "could", "would", "will",
        "won't", "should", "not", "no", "yes", "my", "me", "you", "your", "we", "our", "us",
        "he", "she", "it", "it's", "its", "they", "them", "their", "this", "that", "these",
        "those", "what", "where", "when", "why", "how", "who", "which", "there", "here", "of",
        "to", "in", "on", "at", "for", "with", "from", "by", "about", "and", "or", "but", "if",
        "so", "just", "any", "some", "all", "i'm", "i've", "i'll", "i'd", "please", "thanks",
        "thank", "hello", "hi", "hey", "want", "need", "get", "got", "still", "yet", "again",
    }
)  # fmt: skip
# Weights of the evidence: a Cyrillic word, and a Latin non-function word of three or more
# letters in Latin-only text. The decision needs a margin of `_DECISIVE` either way.
_CYRILLIC_WEIGHT = 2.0
_LATIN_WORD_WEIGHT = 0.5
_DECISIVE = 1.0


def detect_language(text: str, default: Lang = Lang.EN) -> Lang:
    """Language of `text` decided by its words (see the module notes), else `default`.

    Links and @mentions are ignored, as in `prepare`."""
    return prepare(text, default).lang


def normalize(text: str) -> str:
    """Lower-case and fold typographic variants, exactly as `PreparedText.lower` is built."""
    lower = text.lower()
    for variant, folded in _FOLDS:
        if variant in lower:
            lower = lower.replace(variant, folded)
    return lower


def tokenize(text: str) -> tuple[str, ...]:
    """Word and number tokens of already normalised text."""
    if text.isascii():  # O(1) in CPython
        return tuple(_ASCII_TOKEN_RE.findall(text))
    return tuple(_TOKEN_RE.findall(text))


def prepare(text: str, language_hint: Lang | None = None) -> PreparedText:
    """Normalise `text` once for all analysers.

    `language_hint` (for example the Telegram client's language) breaks ties when the text
    itself has no letters; the letters of the text win otherwise.
    """
    clean = text
    # Substring tests are far cheaper than the regexes, which most messages do not need.
    if "://" in clean or "ww." in clean or "WW." in clean or "t.co/" in clean:
        clean = _URL_RE.sub(" ", clean)
    if "@" in clean or "#" in clean:
        clean = _MENTION_RE.sub(" ", clean)
    lower = clean.lower()
    if lower.isascii():  # O(1) in CPython; no typographic variant can be there
        tokens = tuple(_ASCII_TOKEN_RE.findall(lower))
    else:
        for variant, folded in _FOLDS:
            if variant in lower:
                lower = lower.replace(variant, folded)
        tokens = tuple(_TOKEN_RE.findall(lower))
    margin = _language_margin(tokens, lower)
    if margin >= _DECISIVE:
        lang = _RU
    elif margin <= -_DECISIVE:
        lang = _EN
    else:
        lang = language_hint or _EN
    return _new_prepared(PreparedText, (text, clean, lower, tokens, lang, margin))


def language_evidence(prepared: PreparedText) -> float:
    """How clearly the text itself shows its language: 0 (no letters, or weak or tied: the
    language is the hint) .. 1 (unmistakable). At `CLEAR_LANGUAGE` or above the text decided
    `prepared.lang`; below it `prepared.lang` is only the hint passed to `prepare`."""
    return min(1.0, abs(prepared.margin) / (2 * _DECISIVE))


# `language_evidence` at or above this means the text, not the hint, decided the language.
CLEAR_LANGUAGE = 0.5


# Keyboard rows (ЙЦУКЕН and QWERTY): a "word" that sweeps along one of them («фыва», «олдж»,
# «йцукен», "asdf", "qwer") is a keyboard mash, not language.
_KEY_ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_STEP: dict[str, int] = {}
for _row in _KEY_ROWS:
    for _i in range(len(_row) - 1):
        _KEY_STEP[_row[_i : _i + 2]] = 1
        _KEY_STEP[_row[_i + 1] + _row[_i]] = -1
# Three-letter sweeps are mashes only when they start where no word does («ыва») or at the
# left edge of a Latin row ("asd", "qwe", "zxc"): «про», «дол» are words.
_MASH3_STARTS = frozenset("ыйasqz")


def is_keyboard_mash(token: str) -> bool:
    """Whether a lower-case token is a keyboard mash: one letter repeated («аааа», "zzz") or a
    sweep along a keyboard row covering three quarters of it («ывап», "asdfgh").

    Checked on the Russian development tweets (13 000 texts): no real word is taken for one.
    """
    n = len(token)
    if n < 3:
        return False
    if token.count(token[0]) == n:
        return True
    best = run = last = 0
    step = _KEY_STEP.get
    for i in range(n - 1):
        s = step(token[i : i + 2], 0)
        run = run + 1 if s and s == last else (1 if s else 0)
        last = s
        if run > best:
            best = run
    return best >= 0.75 * (n - 1) and (n >= 4 or token[0] in _MASH3_STARTS)


def shows_language(prepared: PreparedText) -> bool:
    """Whether the text itself shows its language, so that the profile may take it.

    Beyond `language_evidence` (clear margin), Latin-only text must hold an English function
    word ("the", "is", "my", "please"...): a Russian customer's «iPhone 15 Pro Max», "Bosch TWK
    8613", "S8" or "asdf qwer" are names and noise, not English. And a text whose every word
    is a keyboard mash («ыва ывап», «йцукен», «аааа») shows no language at all.
    """
    if language_evidence(prepared) < CLEAR_LANGUAGE:
        return False
    tokens = prepared.tokens
    lower = prepared.lower
    if lower.isascii() or _CYRILLIC_RE.search(lower) is None:
        return not _ENGLISH_WORDS.isdisjoint(tokens)
    return not all(t.isdigit() or is_keyboard_mash(t) for t in tokens)


def has_letters(prepared: PreparedText) -> bool:
    """Whether the message has any word (not only emoji, punctuation, numbers or links)."""
    return not all(map(str.isdigit, prepared.tokens))


def _language_margin(tokens: tuple[str, ...], lower: str) -> float:
    """Russian evidence minus English evidence (see the module notes) of lower-case tokens.

    Runs in C for the most part (`map`, set intersection, one regex search), which keeps
    `prepare` cheap: it is called on every message.
    """
    if not tokens:
        return 0.0
    english = len(_ENGLISH_WORDS.intersection(tokens))
    non_ascii = 0 if lower.isascii() else len(tokens) - sum(map(str.isascii, tokens))
    if non_ascii and _CYRILLIC_RE.search(lower):
        # Non-ASCII words in a text with Cyrillic are taken as Cyrillic words; the odd
        # "café" among them does not change the outcome. Latin words other than English
        # function words are names here («Есть Hario V60 Ceramic White?»).
        return _CYRILLIC_WEIGHT * non_ascii - english
    if english >= 2 * _DECISIVE:
        return -english  # clearly English already: spare the per-word loop below
    words = sum(
        1
        for token in tokens
        if len(token) > 2 and token.isascii() and token.isalpha() and token not in _ENGLISH_WORDS
    )
    return -(english + _LATIN_WORD_WEIGHT * words)


def stem_candidates(word: str) -> tuple[str, ...]:
    """The word itself and every stem left after removing one known inflectional ending.

    Two words are forms of one another when their candidate sets intersect: «кофемашину» and
    «кофемашина» share «кофемашин», «героя» and «герой» share «геро». Trying every ending
    instead of only the longest one keeps stems such as «музей» (where «-ей» is part of the
    root) matching their own forms.
    """
    if not word[-1:].isalpha():
        return (word,)  # numbers keep their exact form
    found = [word]
    for size in range(1, min(_MAX_ENDING, len(word) - MIN_STEM) + 1):
        if word[-size:] in INFLECTION_ENDINGS:
            found.append(word[:-size])
    return tuple(found)
