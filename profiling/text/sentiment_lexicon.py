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
from collections.abc import Callable, Iterator
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

_ABSENT = object()

# (weight, negated_weight, multiplier, flags, cue key, phrase ids)
Entry = tuple[float, float, float, int, str, tuple[int, ...]]
# A compiled phrase: (search, prefilter search or None, needles or None, weight, cue, flags).
# See `prefilter` and `needles`.
Phrase = tuple[
    Callable[[str], re.Match[str] | None],
    Callable[[str], re.Match[str] | None] | None,
    "tuple[str, ...] | None",
    float,
    str,
    int,
]

# -- phrase prefilters ------------------------------------------------------------------------
#
# Python's regex engine scans fast only for a pattern that starts with a literal character (or
# an alternation whose branches all do): it then jumps between candidate characters. Most
# phrases start with "\b", a look-behind or a number class, so their search runs the whole
# matcher at every position of the text, a few microseconds per phrase. `prefilter` derives a
# looser pattern that does start with a literal: every top-level branch with its leading
# elements dropped up to the first literal. A match of the phrase contains a match of that
# suffix, so where the prefilter finds nothing the phrase cannot match; only the few texts
# where it does find something pay for the full search. The answer is always the phrase's own.

_ZERO_OR_MORE = "?*+{"
_SPECIAL = "\\[(.^$|?*+{)"


def _class_end(pattern: str, i: int) -> int:
    """Index after the character class opening at `pattern[i]` ("[")."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _structure(pattern: str, i: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) for each character of `pattern` from `i`
    that is not inside an escape or a character class: the walk both readers below share."""
    depth = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        yield i, char, depth
        i += 1


def _group_end(pattern: str, i: int) -> int:
    """Index after the group opening at `pattern[i]` ("(")."""
    for j, char, depth in _structure(pattern, i):
        if char == ")" and depth == 0:
            return j + 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of `pattern`."""
    found: list[str] = []
    start = 0
    for j, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            found.append(pattern[start:j])
            start = j + 1
    found.append(pattern[start:])
    return found


def _element_end(branch: str) -> int:
    """Index after the first element of `branch`, its quantifier included."""
    char = branch[0]
    if char == "\\":
        end = 2
    elif char == "[":
        end = _class_end(branch, 0)
    elif char == "(":
        end = _group_end(branch, 0)
    else:
        end = 1
    if branch[end : end + 1] in ("?", "*", "+"):
        end += 1
    elif branch[end : end + 1] == "{":
        end = branch.index("}", end) + 1
    if branch[end : end + 1] in ("?", "+"):  # lazy or possessive
        end += 1
    return end


def _literal_start(branch: str) -> bool:
    """Whether the regex engine can jump to where `branch` may start (a literal first)."""
    if branch.startswith("(?:"):
        end = _group_end(branch, 0)
        if branch[end : end + 1] and branch[end] in _ZERO_OR_MORE:
            return False
        return all(map(_literal_start, _branches(branch[3 : end - 1])))
    if not branch or branch[0] in _SPECIAL:
        return False
    return not branch[1:2] or branch[1] not in _ZERO_OR_MORE


def prefilter(pattern: str) -> str | None:
    """A looser pattern that starts with a literal, or None when there is no use for one.

    Each top-level branch loses its leading elements (assertions, classes, optional parts)
    up to the first literal; dropping a prefix of a pattern only loosens an unanchored search.
    """
    stripped = []
    for branch in _branches(pattern):
        while branch and not _literal_start(branch):
            if branch[0] == "^":
                return None  # anchored already: the search is cheap
            branch = branch[_element_end(branch) :]
        if not branch:
            return None
        stripped.append(branch)
    loose = "|".join(stripped)
    return None if loose == pattern else loose


def needles(pattern: str) -> tuple[str, ...] | None:
    """Plain substrings one of which every match of `pattern` contains, or None.

    Each top-level branch gives the literal run it starts with (for a leading "(?:...)"
    group: the runs its alternatives start with), short of a last character that a quantifier
    makes optional; a branch that starts with anything else (an assertion, a class, an
    escape, an optional group) gives up for the whole pattern. A few `in` tests are cheaper
    than a regex search that has many places to try («great|good|nice ...» in a tweet).
    """
    found: list[str] = []
    for branch in _branches(pattern):
        runs = _leading_runs(branch)
        if runs is None:
            return None
        found.extend(runs)
    kept: list[str] = []  # "it" is in every text "it has" is in: one test does for both
    for needle in sorted(dict.fromkeys(found), key=len):
        if not any(shorter in needle for shorter in kept):
            kept.append(needle)
    return tuple(kept)


def _leading_runs(branch: str) -> list[str] | None:
    """The literal runs `branch` can start with (see `needles`), or None."""
    if branch.startswith("(?:"):
        end = _group_end(branch, 0)
        if branch[end : end + 1] and branch[end] in _ZERO_OR_MORE:
            return None  # an optional group
        found: list[str] = []
        for alternative in _branches(branch[3 : end - 1]):
            runs = _leading_runs(alternative)
            if runs is None:
                return None
            found.extend(runs)
        return found
    size = 0
    while size < len(branch) and branch[size] not in _SPECIAL:
        size += 1
    if size < len(branch) and branch[size] in _ZERO_OR_MORE:
        size -= 1  # "hours?": the "s" may be missing
    return [branch[:size]] if size > 0 else None


def phrase_needles(triggers: str, pattern: str) -> tuple[str, ...] | None:
    """The `needles` worth testing before the search of a phrase, or None.

    Only needles other than the trigger words: a phrase is tried because a trigger word
    occurred, so needles that are (or are part of) a trigger word are there anyway and
    testing them costs more than it saves."""
    loose = prefilter(pattern)
    found = needles(pattern if loose is None else loose)
    if found is None:
        return None
    words = triggers.split()
    if any(word in needle or needle in word for needle in found for word in words):
        return None
    return found


class _EntryCache(dict[str, "Entry | None"]):
    """token -> its resolved entry; an unseen token is resolved on first lookup, so a message
    is looked up in one C-level pass (`map(cache.__getitem__, tokens)`)."""

    __slots__ = ("_resolve",)

    def __init__(self, resolve: Callable[[str], Entry | None]) -> None:
        super().__init__()
        self._resolve = resolve

    def __missing__(self, tok: str) -> Entry | None:
        return self._resolve(tok)


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
        "_known",
        "_longest_prefix",
        "_negated_stems",
        "_negator_suffixes",
        "_negators",
        "_nouns",
        "_post_negators",
        "_prefixes",
        "_requests",
        "_reversers",
        "_starts3",
        "_stems",
        "_thanks",
        "_triggers",
        "_verb_negators",
        "cache",
        "existential",
        "hashtag_search",
        "hashtags",
        "noun_fillers",
        "phrases",
    )

    CACHE_LIMIT = 100_000

    def __init__(self, lex: ModuleType) -> None:
        self.cache: dict[str, Entry | None] = _EntryCache(self.resolve)
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
        self._negated_stems = dict(lex.NEGATED_STEMS)

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
        self._known = frozenset().union(
            self._exact_flags,
            self._exact_weight,
            self._exact_negated,
            self._intensifiers,
            self._negators,
            self._post_negators,
            self._but,
            self._thanks,
            self._requests,
            self._verb_negators,
        )
        self.noun_fillers = frozenset(lex.NOUN_FILLERS)

        # Phrases: compiled patterns, and trigger prefix -> phrase ids.
        self.phrases: list[Phrase] = []
        triggers: dict[str, list[int]] = {}
        for pid, (trig, pattern, weight, cue, fl) in enumerate(lex.PHRASES):
            bits = 0
            for ch in fl:
                bits |= _PHRASE_FLAGS[ch]
            loose = prefilter(pattern)
            self.phrases.append(
                (
                    re.compile(pattern).search,
                    None if loose is None else re.compile(loose).search,
                    phrase_needles(trig, pattern),
                    weight,
                    cue,
                    bits,
                )
            )
            for prefix in trig.split():
                triggers.setdefault(prefix, []).append(pid)
        self._triggers = {k: tuple(v) for k, v in triggers.items()}
        # Every prefix table in one: prefix -> (stem hit, negated-stem hit, phrase ids), so
        # that a new token is looked up once per prefix length, not once per table and length.
        index: dict[str, list] = {}
        for stem, hit in self._stems.items():
            index.setdefault(stem, [_ABSENT, _ABSENT, ()])[0] = hit
        for stem, hit in self._negated_stems.items():
            index.setdefault(stem, [_ABSENT, _ABSENT, ()])[1] = hit
        for prefix, ids in self._triggers.items():
            index.setdefault(prefix, [_ABSENT, _ABSENT, ()])[2] = ids
        self._prefixes = {prefix: tuple(hits) for prefix, hits in index.items()}
        self._longest_prefix = max(map(len, index), default=0)
        # The first three letters of every prefix of three or more: a token that starts
        # otherwise can only have a shorter one.
        self._starts3 = frozenset(prefix[:3] for prefix in index if len(prefix) >= 3)
        self.hashtags = tuple(lex.HASHTAGS)
        # Whether a hashtag holds any of them at all: one search instead of a loop over all.
        self.hashtag_search = re.compile(
            "|".join(re.escape(sub) for sub, _ in self.hashtags) or "(?!)"
        ).search

    # -- token resolution -------------------------------------------------------------------

    def resolve(self, tok: str) -> Entry | None:
        """Entry of `tok` (cached)."""
        entry = self.compute(tok)
        if len(self.cache) >= self.CACHE_LIMIT:
            self.cache.clear()
        self.cache[tok] = entry
        return entry

    def compute(self, tok: str) -> Entry | None:
        """Entry of `tok`, worked out afresh (for callers that keep it themselves)."""
        key = tok.replace("’", "'")  # `prepare` folds apostrophes already; older callers may not
        # The longest stem, the longest negated stem and every trigger that `key` starts with.
        stem = negated_stem = None
        stem_hit: tuple[float | None, int] | None = None
        negated_hit: float | None = None
        triggered: list[int] = []
        get = self._prefixes.get
        longest = min(len(key), self._longest_prefix)
        if longest > 2 and key[:3] not in self._starts3:
            longest = 2
        for length in range(longest, 0, -1):
            hits = get(key[:length])
            if hits is None:
                continue
            if stem is None and hits[0] is not _ABSENT:
                stem, stem_hit = key[:length], hits[0]
            if negated_stem is None and hits[1] is not _ABSENT:
                negated_stem, negated_hit = key[:length], hits[1]
            if hits[2]:
                triggered.extend(hits[2])
        # Most new tokens are in no word table at all: one lookup answers for all of them.
        known = key in self._known
        flags = self._exact_flags.get(key, 0) if known else 0
        weight = self._exact_weight.get(key) if known else None
        cue_key = key
        if weight is None:
            if stem is not None and stem_hit is not None and stem_hit[0] is not None:
                weight, stem_flag = stem_hit
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
        negated = self._exact_negated.get(key) if known else None
        if negated is None and negated_stem is not None:
            negated = negated_hit
            if not weight:
                cue_key = negated_stem
        if negated is None:
            # Weak contextual words ("уже", "still", "why") are not flipped by a negator.
            if abs(weight) >= MIN_FLIPPED:
                negated = weight * (FLIP_POSITIVE if weight > 0 else FLIP_NEGATIVE)
            else:
                negated = weight
        mult = self._intensifiers.get(key, 1.0) if known else 1.0
        suffixes = self._negator_suffixes
        if (known and key in self._negators) or (suffixes and key.endswith(suffixes)):
            flags |= NEGATOR
            negated = weight  # a negator is not itself negated
        if known:
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
        if known and key in self._verb_negators:
            flags |= VERB_NEGATOR
        phrase_ids = tuple(sorted(set(triggered))) if triggered else ()
        if not weight and not negated and mult == 1.0 and not flags and not phrase_ids:
            return None
        return (weight, negated, mult, flags, cue_key, phrase_ids)


def scoring_entry(entry: Entry | None) -> Entry | None:
    """`entry`, or None when all it does is trigger phrases (no weight, no role)."""
    if entry is None or (entry[0] == 0 and entry[1] == 0 and entry[2] == 1.0 and not entry[3]):
        return None
    return entry


LEXICONS: dict[Lang, CompiledLexicon] = {
    Lang.EN: CompiledLexicon(lexicon_en),
    Lang.RU: CompiledLexicon(lexicon_ru),
}
