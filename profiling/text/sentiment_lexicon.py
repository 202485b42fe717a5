"""Compiled sentiment lexicons: the tables of `profiling.text.lexicon_ru` / `.lexicon_en`
turned into lookup structures, with a per-token cache of resolved entries.

`resolve(token)` answers, once per distinct token, everything the scorer in
`profiling.text.sentiment` needs to know about it: its weight, its weight under negation, its
intensifier multiplier, role flags (negator, "but", thanks, waiting, ...), the lexicon key to
show as a cue, and the ids of the phrases it can trigger. Exact forms win over stems; the
longest stem wins; a neutral stem blocks a shorter polar one.
"""

from __future__ import annotations

import re
from types import ModuleType

from profiling.text import lexicon_en, lexicon_ru
from profiling.types import Lang

__all__ = [
    "BUT",
    "DEMAND",
    "INQUIRY",
    "LEXICONS",
    "NEGATOR",
    "NOUN",
    "POST_NEGATOR",
    "PROF",
    "REQUEST",
    "REVERSER",
    "SARCASM",
    "THANKS",
    "VERB_NEGATOR",
    "WAIT",
    "CompiledLexicon",
    "Entry",
]

# How negators treat ordinary polar words (tuned on the even-hash half of the dev data).
FLIP_POSITIVE = -0.9  # "not good": a negated positive word keeps 90 % of its weight, negative
FLIP_NEGATIVE = -0.3  # "not bad": a negated negative word turns faintly positive
MIN_FLIPPED = 1.3  # words weaker than this are left alone by negators

# Flags of a lexicon entry.
NEGATOR = 1
BUT = 2
THANKS = 4
WAIT = 8
PROF = 16
DEMAND = 32
POST_NEGATOR = 64
REQUEST = 128
SARCASM = 256
REVERSER = 512
VERB_NEGATOR = 1024  # «не»: negates verbs and adjectives, not nouns («не внутри сети, а ...»)
NOUN = 2048  # a service noun («связь», «интернет»): denied by «нет», «без», «не было»
INQUIRY = 4096  # a phrase that asks or weighs rather than complains ("what if", «подумаю»)
_PHRASE_FLAGS = {"W": WAIT, "D": DEMAND, "S": SARCASM, "P": PROF, "Q": INQUIRY}

# (weight, negated_weight, multiplier, flags, cue key, phrase ids)
Entry = tuple[float, float, float, int, str, tuple[int, ...]]


class CompiledLexicon:
    """Compiled tables of one language, with a per-token cache of resolved entries.

    An entry is `(weight, negated_weight, multiplier, flags, key, phrase_ids)` or None when the
    token carries nothing.
    """

    __slots__ = (
        "_but",
        "_exact_flags",
        "_exact_negated",
        "_exact_weight",
        "_intensifiers",
        "_negated_lengths",
        "_negated_stems",
        "_negator_suffixes",
        "_negators",
        "_nouns",
        "_post_negators",
        "_requests",
        "_reversers",
        "_stem_lengths",
        "_stems",
        "_thanks",
        "_trigger_lengths",
        "_triggers",
        "_verb_negators",
        "cache",
        "existential",
        "hashtags",
        "noun_fillers",
        "phrases",
    )

    CACHE_LIMIT = 100_000

    def __init__(self, lex: ModuleType) -> None:
        self.cache: dict[str, Entry | None] = {}
        exact: dict[str, float] = {}
        flags: dict[str, int] = {}

        def put(table: dict[str, float], sign: float) -> None:
            for word, value in table.items():
                if word in exact:
                    raise ValueError(f"{lex.__name__}: {word!r} is in two weight tables")
                exact[word] = sign * value

        put(lex.POSITIVE, 1.0)
        put(lex.NEGATIVE, -1.0)
        put(lex.PROFANITY, 1.0)
        put(lex.WAITING, 1.0)
        put({k: v for k, v in lex.DEMANDS.items() if k not in exact}, 1.0)
        failure = {k: v for k, v in lex.FAILURE_NEGATORS.items() if k not in exact}
        put(failure, 1.0)
        for word in lex.PROFANITY:
            flags[word] = flags.get(word, 0) | PROF
        for word in lex.WAITING:
            flags[word] = flags.get(word, 0) | WAIT
        for word in lex.DEMANDS:
            flags[word] = flags.get(word, 0) | DEMAND
        self._exact_weight = exact
        self._exact_flags = flags
        self._exact_negated = dict(lex.NEGATED)

        stems: dict[str, tuple[float | None, int]] = {}

        def put_stems(table: dict, sign: float, flag: int) -> None:
            for stem, value in table.items():
                if stem in stems:
                    raise ValueError(f"{lex.__name__}: stem {stem!r} is in two stem tables")
                stems[stem] = (None if value is None else sign * value, flag)

        put_stems(lex.POSITIVE_STEMS, 1.0, 0)
        put_stems(lex.NEGATIVE_STEMS, -1.0, 0)
        put_stems(lex.PROFANITY_STEMS, 1.0, PROF)
        put_stems(lex.WAITING_STEMS, 1.0, WAIT)
        put_stems(dict.fromkeys(lex.NEUTRAL_STEMS), 1.0, 0)
        self._stems = stems
        self._stem_lengths = sorted({len(s) for s in stems}, reverse=True)
        self._negated_stems = dict(lex.NEGATED_STEMS)
        self._negated_lengths = sorted({len(s) for s in self._negated_stems}, reverse=True)

        self._negators = frozenset(lex.NEGATORS)
        self._negator_suffixes = tuple(lex.NEGATOR_SUFFIXES)
        self._post_negators = frozenset(lex.POST_NEGATORS)
        self._intensifiers = dict(lex.INTENSIFIERS)
        self._but = frozenset(lex.BUT_WORDS)
        self._thanks = frozenset(lex.THANKS)
        self._requests = frozenset(lex.REQUESTS)
        self._reversers = tuple(lex.REVERSER_STEMS)
        self._nouns = tuple(lex.NEGATED_NOUNS)
        self._verb_negators = frozenset(lex.VERB_NEGATORS)
        self.existential = frozenset(lex.EXISTENTIAL)
        self.noun_fillers = frozenset(lex.NOUN_FILLERS)

        # Phrases: compiled patterns, and trigger prefix -> phrase ids.
        self.phrases: list[tuple[re.Pattern[str], float, str, int]] = []
        triggers: dict[str, list[int]] = {}
        for pid, (trig, pattern, weight, cue, fl) in enumerate(lex.PHRASES):
            bits = 0
            for ch in fl:
                bits |= _PHRASE_FLAGS[ch]
            self.phrases.append((re.compile(pattern), weight, cue, bits))
            for prefix in trig.split():
                triggers.setdefault(prefix, []).append(pid)
        self._triggers = {k: tuple(v) for k, v in triggers.items()}
        self._trigger_lengths = sorted({len(k) for k in triggers})
        self.hashtags = tuple(lex.HASHTAGS)

    # -- token resolution -------------------------------------------------------------------

    def _longest(self, tok: str, table: dict, lengths: list[int]):
        n = len(tok)
        for length in lengths:
            if length <= n:
                hit = table.get(tok[:length])
                if hit is not None or tok[:length] in table:
                    return tok[:length], hit
        return None, None

    def resolve(self, tok: str) -> Entry | None:
        """Entry of `tok` (cached)."""
        key = tok.replace("’", "'")  # `prepare` folds apostrophes already; older callers may not
        flags = self._exact_flags.get(key, 0)
        weight = self._exact_weight.get(key)
        cue_key = key
        if weight is None:
            stem, hit = self._longest(key, self._stems, self._stem_lengths)
            if stem is not None and hit is not None and hit[0] is not None:
                weight, stem_flag = hit
                flags |= stem_flag
                cue_key = stem
            else:
                weight = 0.0
        if not weight and "-" in key:
            # "остальное-дерьмо", "супер-пупер": the strongest part speaks for the compound.
            for part in key.split("-"):
                if len(part) >= 3:
                    sub = self.resolve(part)
                    if sub is not None and abs(sub[0]) > abs(weight):
                        weight, cue_key = sub[0], sub[4]
                        flags |= sub[3] & (PROF | WAIT)
        negated = self._exact_negated.get(key)
        if negated is None:
            stem, hit = self._longest(key, self._negated_stems, self._negated_lengths)
            if stem is not None:
                negated = hit
                if not weight:
                    cue_key = stem
        if negated is None:
            # Weak contextual words ("уже", "still", "why") are not flipped by a negator.
            if abs(weight) >= MIN_FLIPPED:
                negated = weight * (FLIP_POSITIVE if weight > 0 else FLIP_NEGATIVE)
            else:
                negated = weight
        mult = self._intensifiers.get(key, 1.0)
        suffixes = self._negator_suffixes
        if key in self._negators or (suffixes and key.endswith(suffixes)):
            flags |= NEGATOR
            negated = weight  # a negator is not itself negated
        if key in self._post_negators:
            flags |= POST_NEGATOR
        if key in self._but:
            flags |= BUT
        if key in self._thanks:
            flags |= THANKS
        if key in self._requests:
            flags |= REQUEST
        if self._reversers and key.startswith(self._reversers):
            flags |= REVERSER
        if self._nouns and key.startswith(self._nouns):
            flags |= NOUN
        if key in self._verb_negators:
            flags |= VERB_NEGATOR
        phrase_ids: tuple[int, ...] = ()
        if self._triggers:
            found: list[int] = []
            for length in self._trigger_lengths:
                if length > len(key):
                    break
                ids = self._triggers.get(key[:length])
                if ids:
                    found.extend(ids)
            if found:
                phrase_ids = tuple(sorted(set(found)))
        if not weight and not negated and mult == 1.0 and not flags and not phrase_ids:
            entry = None
        else:
            entry = (weight, negated, mult, flags, cue_key, phrase_ids)
        if len(self.cache) >= self.CACHE_LIMIT:
            self.cache.clear()
        self.cache[tok] = entry
        return entry


LEXICONS: dict[Lang, CompiledLexicon] = {
    Lang.EN: CompiledLexicon(lexicon_en),
    Lang.RU: CompiledLexicon(lexicon_ru),
}
