"""Cities: the built-in list (`city_names`) in both scripts and any Russian case form, plus an
unknown place written after a delivery word ("deliver to Reading?", «доставка в Тверь»).

Matching is by word stems (`stem_candidates`), so «в Москву», «из Казани», «по Питеру»,
«в Нижнем Новгороде» all find their city. Short words collide with ordinary ones («уф» is
a stem of «Уфы»), so a stem under four letters only counts when the customer capitalised
the word, and short Latin names ("Perm", "Rome") need a capital too.
"""

from __future__ import annotations

import re

from profiling.entities.city_names import CITIES, COUNTRY
from profiling.entities.types import CityMention
from profiling.text.prepare import normalize, stem_candidates

_WORD_RE = re.compile(r"[^\W\d_]+")
_MIN_STEM = 4
_SHORT_LATIN = 4

# A capitalised place name right after a delivery word and "to"/«в»: the shop may deliver
# to towns the built-in list does not know.
_DELIVERY_RU = re.compile(
    r"(?i:достав\w*|отправ\w*|привез\w*|привоз\w*|пришл\w*|курьер\w*|вез[её]т\w*)"
    r"[^.!?\n]{0,30}?(?<!\w)(?i:в|во|до|по)\s+(?P<city>[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*)"
)
_DELIVERY_EN = re.compile(
    r"(?i:deliver\w*|ship\w*|send\w*|post\w*|courier\w*)"
    r"[^.!?\n]{0,30}?\b(?i:to|in)\s+(?P<city>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
)
# Capitalised words after "to"/«в» that are not places.
_NOT_PLACES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
     "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december", "понедельник", "вторник", "среду", "четверг", "пятницу",
     "субботу", "воскресенье", "течение", "пределах", "районе", "офис", "магазин", "пункт",
     "телеграм", "телеграмм", "вотсап", "ватсап", "личку", "чат", "директ", "почту",
     "me", "you", "us", "my", "the", "your", "our", "home", "work", "office", "europe",
     "telegram", "whatsapp"}
)  # fmt: skip

_Alias = tuple[str, tuple[str, ...], bool]  # (canonical name, word tokens, needs a capital)


def _build() -> dict[str, list[_Alias]]:
    """First word (and each of its stems) → aliases starting with it."""
    index: dict[str, list[_Alias]] = {}
    for canonical, aliases in CITIES:
        for alias in aliases:
            words = tuple(_WORD_RE.findall(normalize(alias)))
            needs_capital = alias.isascii() and len(alias) <= _SHORT_LATIN and not alias.isupper()
            entry = (canonical, words, needs_capital)
            for key in {words[0], *stem_candidates(words[0])}:
                index.setdefault(key, []).append(entry)
    return index


_INDEX = _build()


def _same_word(written: str, word: str, capitalised: bool) -> bool:
    if written == word:
        return True
    shared = set(stem_candidates(written)).intersection(stem_candidates(word))
    return any(len(s) >= _MIN_STEM or (capitalised and len(s) >= 2) for s in shared)


def find_cities(text: str) -> list[CityMention]:
    """Known cities and places after delivery words, in order of appearance."""
    words = [(m.group(0), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    found: list[CityMention] = []
    i = 0
    while i < len(words):
        match = _match_at(words, i)
        if match is None:
            i += 1
            continue
        canonical, j = match
        start, end = words[i][1], words[j - 1][2]
        found.append(
            CityMention(canonical, text[start:end], start, end, True, COUNTRY.get(canonical))
        )
        i = j
    for pattern in (_DELIVERY_RU, _DELIVERY_EN):
        for m in pattern.finditer(text):
            start, end = m.span("city")
            if m.group("city").lower() in _NOT_PLACES:
                continue
            if any(c.start < end and start < c.end for c in found):
                continue
            name = m.group("city")
            found.append(CityMention(name, name, start, end, False))
    found.sort(key=lambda c: c.start)
    return found


def _match_at(words: list[tuple[str, int, int]], i: int) -> tuple[str, int] | None:
    """The longest alias starting at word i: (canonical name, index after its last word)."""
    first, _, _ = words[i]
    capitalised = first[:1].isupper()
    lower = normalize(first)
    best: tuple[str, int] | None = None
    seen: set[int] = set()
    for key in (lower, *stem_candidates(lower)):
        for entry in _INDEX.get(key, ()):
            if id(entry) in seen:
                continue
            seen.add(id(entry))
            canonical, alias_words, needs_capital = entry
            if needs_capital and not capitalised:
                continue
            end = i + len(alias_words)
            if end > len(words):
                continue
            if all(
                _same_word(normalize(words[i + k][0]), w, words[i + k][0][:1].isupper())
                for k, w in enumerate(alias_words)
            ) and (best is None or end > best[1]):
                best = (canonical, end)
    return best


def same_place(written: str, name: str) -> bool:
    """Whether a place as the customer wrote it («в Химках», "Khimki") is `name` as a shop
    wrote it («Химки»): the same words up to Russian case endings."""
    said = _WORD_RE.findall(normalize(written))
    listed = _WORD_RE.findall(normalize(name))
    if not said or len(said) != len(listed):
        return False
    return all(_same_word(s, n, False) for s, n in zip(said, listed, strict=True))


_RUSSIAN_NAMES = {canonical: aliases[0] for canonical, aliases in CITIES}


def russian_name(canonical: str) -> str | None:
    """A known city's name in Russian, in the nominative («Казань» for "Kazan")."""
    return _RUSSIAN_NAMES.get(canonical)
