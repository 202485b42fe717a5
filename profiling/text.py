"""Text preparation shared by every analyser: one pass of normalisation and tokenisation.

Each message is prepared once (`prepare`) and the sentiment, intent and style analysers all
read the same `PreparedText`, so the per-message cost stays a single regex scan.

`stem_candidates` is the light, dictionary-free inflection handling the word matchers use:
Russian nouns and adjectives change their endings («заказ», «заказа», «заказом»), so two
words are taken as forms of one another when they share a stem and both remainders are
known endings. It is deliberately cheap and conservative; verbs are matched by explicit
prefixes in the rule tables instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from profiling.types import Lang

# Words: letter runs with inner apostrophes/hyphens ("don't", "кто-нибудь"). Digits are kept
# as their own tokens because order numbers and prices matter for intents.
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*|\d+", re.UNICODE)
_CYRILLIC_RE = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN_RE = re.compile(r"[a-z]", re.IGNORECASE)
_URL_RE = re.compile(r"https?://\S+|www\.\S+|t\.co/\S+", re.IGNORECASE)
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


@dataclass(frozen=True, slots=True)
class PreparedText:
    raw: str
    clean: str  # URLs and @mentions removed, original case kept
    lower: str  # `clean`, lower-cased, "ё" folded into "е", "’" into "'"
    tokens: tuple[str, ...]  # lower-cased word and number tokens of `lower`
    lang: Lang


def detect_language(text: str, default: Lang = Lang.EN) -> Lang:
    """Russian when Cyrillic letters dominate, English when Latin ones do, else `default`."""
    cyr = len(_CYRILLIC_RE.findall(text))
    lat = len(_LATIN_RE.findall(text))
    if cyr == lat:
        return default
    return Lang.RU if cyr > lat else Lang.EN


def normalize(text: str) -> str:
    """Lower-case and fold typographic variants, exactly as `PreparedText.lower` is built."""
    lower = text.lower()
    for variant, folded in _FOLDS:
        if variant in lower:
            lower = lower.replace(variant, folded)
    return lower


def tokenize(text: str) -> tuple[str, ...]:
    """Word and number tokens of already normalised text."""
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
    lower = normalize(clean)
    tokens = tokenize(lower)
    lang = _language_of_tokens(tokens, default=language_hint or Lang.EN)
    return PreparedText(raw=text, clean=clean, lower=lower, tokens=tokens, lang=lang)


def _language_of_tokens(tokens: tuple[str, ...], default: Lang) -> Lang:
    """`detect_language` over already extracted tokens, without a regex pass per alphabet.

    Tokens are lower-case letter runs or digit runs. In UTF-8 a Cyrillic letter takes two
    bytes and a Latin letter one, so the byte surplus of the joined tokens counts the
    Cyrillic letters (other non-ASCII letters are too rare here to matter) and the rest,
    minus digits, are Latin. All of it runs in C, which keeps `prepare` cheap.
    """
    joined = "".join(tokens)
    cyr = len(joined.encode()) - len(joined)
    lat = len(joined) - cyr - sum(map(len, filter(str.isdigit, tokens)))
    if cyr == lat:
        return default
    return Lang.RU if cyr > lat else Lang.EN


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
