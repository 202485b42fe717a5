"""Products and services of the shop's catalogue named in a message.

`CatalogIndex.build` splits every catalogue name into tokens once and indexes them: model
tokens (with a digit: "V15", "S8", "WH-1000XM5") by their exact spellings, words by the
consonant skeleton of each of their stems (see `phonetic`). Matching a message then costs a
few dictionary look-ups per word:

1. each message word is looked up and confirmed (same stem, or a close phonetic spelling
   across scripts: «дайсона» ~ "Dyson", «айфон» ~ "iPhone", «роборок с8» ~ "Roborock S8");
   model tokens must match exactly, so "V11" never passes for "V15";
2. runs of consecutive message words that follow a name's tokens in order are candidates;
3. a candidate must carry information: a prefix of the name that is at least half of it
   ("Dyson V15" of "Dyson V15 Detect"), or any part with a model token ("Galaxy S24"), or a
   brand alone when it names a single item («роборок» in a shop with one Roborock); words
   that many items share ("Pro", «уборка») never identify an item on their own;
4. the longest run wins, then the best score; two items tied on the same words are
   ambiguous («дайсон» with two Dysons) and dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from profiling.entities.phonetic import close, latin, model_forms, skeleton
from profiling.entities.types import CatalogItem, ProductMention
from profiling.text.prepare import normalize, stem_candidates

# Words and model tokens; a dash inside a token is kept ("wh-1000xm5", «кто-то»).
_TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Words that describe many products; they refine a name but never identify one alone.
_GENERIC = frozenset(
    {"pro", "max", "ultra", "plus", "mini", "lite", "note", "air", "new", "edition", "series",
     "про", "макс", "ультра", "плюс", "мини", "лайт"}
)  # fmt: skip
# A word shared by this many catalogue items is generic too (computed per catalogue).
_SHARED_BY = 3
# Phonetic stems this short must match exactly: «сон»/«сын» are one letter apart.
_SHORT = 3
_CACHE_LIMIT = 50_000
# The score of a brand named without its model («роборок» for "Roborock S8").
_BRAND_ONLY = 0.3

_Hit = tuple[int, int]  # (name id, token position in that name)


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    model: bool  # has a digit: compared exactly
    digits_only: bool
    generic: bool
    stems: tuple[str, ...]  # phonetic stems (words only)
    weight: float


@dataclass(frozen=True, slots=True)
class _Name:
    key: str
    name: str
    tokens: tuple[_Token, ...]
    weight: float


def _tokens(text: str) -> list[tuple[str, int, int]]:
    lower = normalize(text)
    if len(lower) != len(text):  # a rare letter whose lower case is longer: keep offsets
        lower = "".join(ch if len(low := normalize(ch)) != 1 else low for ch in text)
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(lower)]


def _is_model(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def _phonetic_stems(word: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(latin(stem) for stem in stem_candidates(word)))


def _words_match(message_stems: tuple[str, ...], name_stems: tuple[str, ...]) -> bool:
    for a in message_stems:
        for b in name_stems:
            if a == b or (min(len(a), len(b)) > _SHORT and close(a, b)):
                return True
    return False


class CatalogIndex:
    """The catalogue prepared for matching; build once per catalogue, share freely (the only
    mutable part is a bounded per-word cache, which is safe to share within a thread)."""

    __slots__ = ("_cache", "_models", "_names", "_words")

    def __init__(
        self,
        names: list[_Name],
        models: dict[str, list[_Hit]],
        words: dict[str, list[_Hit]],
    ) -> None:
        self._names = names
        self._models = models
        self._words = words
        self._cache: dict[str, frozenset[_Hit]] = {}

    @classmethod
    def build(cls, items: Sequence[CatalogItem]) -> CatalogIndex:
        # Which items each word appears in, to find the words too common to identify one.
        items_of: dict[str, set[str]] = {}
        for item in items:
            for name in item.names:
                for token, _, _ in _tokens(name):
                    if not _is_model(token):
                        for stem in _phonetic_stems(token):
                            items_of.setdefault(stem, set()).add(item.key)
        names: list[_Name] = []
        models: dict[str, list[_Hit]] = {}
        words: dict[str, list[_Hit]] = {}
        for item in items:
            for name in item.names:
                tokens: list[_Token] = []
                for pos, (token, _, _) in enumerate(_tokens(name)):
                    nid = len(names)
                    if _is_model(token):
                        for form in model_forms(token):
                            models.setdefault(form, []).append((nid, pos))
                        digits_only = token.isdigit()
                        tokens.append(
                            _Token(
                                token,
                                True,
                                digits_only,
                                digits_only,
                                (),
                                1.0 if digits_only else 2.0,
                            )
                        )
                        continue
                    stems = _phonetic_stems(token)
                    generic = token in _GENERIC or len(items_of[stems[0]]) >= _SHARED_BY
                    for stem in stems:
                        if sk := skeleton(stem):
                            words.setdefault(sk, []).append((nid, pos))
                    tokens.append(
                        _Token(token, False, False, generic, stems, 0.5 if generic else 1.0)
                    )
                if tokens:
                    weight = sum(t.weight for t in tokens)
                    names.append(_Name(item.key, name, tuple(tokens), weight))
        for table in (models, words):
            for key, hits in table.items():
                table[key] = list(dict.fromkeys(hits))
        return cls(names, models, words)

    def __len__(self) -> int:
        return len({name.key for name in self._names})

    def _hits(self, token: str) -> frozenset[_Hit]:
        """The (name, position) pairs a message token matches; cached per token."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        found: set[_Hit] = set()
        if _is_model(token):
            for form in model_forms(token):
                found.update(self._models.get(form, ()))
        else:
            stems = _phonetic_stems(token)
            for stem in stems:
                for nid, pos in self._words.get(skeleton(stem), ()):
                    if (nid, pos) not in found and _words_match(
                        stems, self._names[nid].tokens[pos].stems
                    ):
                        found.add((nid, pos))
        result = frozenset(found)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = result
        return result

    def match(self, text: str) -> list[ProductMention]:
        """Catalogue items named in `text`, in order of appearance (see the module notes)."""
        tokens = _tokens(text)
        if not tokens:
            return []
        hits = [self._hits(token) for token, _, _ in tokens]
        candidates: list[tuple[int, float, int, int, int]] = []  # (-len, -score, a, b, nid)
        for a, at in enumerate(hits):
            for nid, pos in at:
                if a and (nid, pos - 1) in hits[a - 1]:
                    continue  # inside a longer run that starts earlier
                b = a + 1
                while b < len(hits) and (nid, pos + b - a) in hits[b]:
                    b += 1
                next_token = tokens[b][0] if b < len(tokens) else None
                score = self._accept(self._names[nid], pos, pos + b - a, next_token)
                if score is not None:
                    candidates.append((a - b, -score, a, b, nid))
        return self._select(text, tokens, candidates)

    @staticmethod
    def _accept(name: _Name, i: int, j: int, next_token: str | None) -> float | None:
        """The score of the message words matching name tokens [i, j), or None if they do
        not identify the item (see rule 3 of the module notes)."""
        matched = name.tokens[i:j]
        tail = name.tokens[j:]
        # "S8", "V15", "L10s": letters and digits together name one model.
        lettered_model = any(t.model and not t.digits_only for t in matched)
        any_model = any(t.model for t in matched)
        anchors = sum(1 for t in matched if not t.generic and not t.digits_only)
        if not anchors and not lettered_model:
            return None  # "Pro 2", "15", «уборка» alone
        if i > 0 and not lettered_model and anchors < 2 and not any_model:
            # Starting inside the name takes more than one word: "Redmi Note 13" and
            # "Bosch TWK" do, «уборку» of «генеральная уборка» does not.
            return None
        if not any_model and any(t.model for t in tail):
            # A brand alone: only when the customer did not go on to name another model.
            # Scored alike whatever the name's length, so that two items of one brand tie
            # and are dropped as ambiguous.
            if next_token is not None and _is_model(next_token):
                return None
            return _BRAND_ONLY
        score = sum(t.weight for t in matched) / name.weight
        if any_model or score >= 0.5 or not tail:
            return score
        return None

    def _select(
        self,
        text: str,
        tokens: list[tuple[str, int, int]],
        candidates: list[tuple[int, float, int, int, int]],
    ) -> list[ProductMention]:
        candidates.sort()
        taken = [False] * len(tokens)
        chosen: list[ProductMention] = []
        for index, (_, neg_score, a, b, nid) in enumerate(candidates):
            if any(taken[a:b]):
                continue
            key = self._names[nid].key
            rivals = (
                c for c in candidates[index + 1 :] if c[2] == a and c[3] == b and c[1] == neg_score
            )
            if any(self._names[c[4]].key != key for c in rivals):
                for k in range(a, b):  # ambiguous words: no item, and no shorter reading
                    taken[k] = True
                continue
            for k in range(a, b):
                taken[k] = True
            start, end = tokens[a][1], tokens[b - 1][2]
            name = self._names[nid]
            chosen.append(ProductMention(key, name.name, text[start:end], start, end, -neg_score))
        chosen.sort(key=lambda m: m.start)
        return chosen
