"""One lookup per token for every analyser of a message.

The style analyser, the intent classifier and the sentiment scorer each need to know things
about every token of a message: which cue patterns it can be part of, its sentiment lexicon
entry, how many letters it adds to the caps ratio. All of it is worked out the first time a
token is seen and kept in one table per language (the language of the messages it came in),
so `records` looks each token up once instead of once per memo, a cache miss each:

    (cue pattern info, lexicon entry, long-word letters, phrases the token triggers)

The analysers then pick their field with `operator.itemgetter`, in C. A table is reset when
it holds `_LIMIT` tokens, so a stream of unique tokens (order numbers, typos) cannot grow it
without bound.

The style and intent cue tables and the default shop vocabulary are compiled into one
`PhraseMatcher`, so each message is also scanned once (`scan`): style patterns are rules
[0, `FIRST_INTENT`), intent patterns follow in table order up to `FIRST_VOCABULARY`, then
the patterns of `DEFAULT_ANALYZER_CONFIG`; each analyser keeps the matches of its own rules,
in the order separate scans would give (by start, then by rule).

Both `records` and `scan` remember the last prepared message they saw, so the analysers of
one message share the work (a `PreparedText` is immutable, so the answers cannot go stale).
"""

from __future__ import annotations

from operator import itemgetter

from profiling.text.intent_rules_sales import SALES_RULES
from profiling.text.intent_rules_service import SERVICE_RULES, Rule
from profiling.text.prepare import PreparedText
from profiling.text.sentiment_lexicon import LEXICONS, Entry, scoring_entry
from profiling.text.style_cues import CUES, Cue
from profiling.text.vocabulary import (
    DEFAULT_ANALYZER_CONFIG,
    AnalyzerConfig,
    Match,
    PhraseMatcher,
    TokenInfo,
)
from profiling.types import Lang

__all__ = [
    "CUE_INFO",
    "FIRST_INTENT",
    "FIRST_VOCABULARY",
    "INTENT_RULES",
    "LETTERS",
    "PHRASE_IDS",
    "SENTIMENT_ENTRY",
    "STYLE_CUE_OF",
    "records",
    "scan",
    "scan_parts",
    "vocabulary_scan",
]

# Service rows first: among intent cues of equal weight the row order decides which of two
# overlapping cues counts, so the joined order is part of the behaviour.
INTENT_RULES: tuple[Rule, ...] = (*SERVICE_RULES, *SALES_RULES)
# `STYLE_CUE_OF[rule]`: the style cue a matched style pattern belongs to.
STYLE_CUE_OF: tuple[Cue, ...] = tuple(cue for cue in CUES for _ in cue.patterns)
FIRST_INTENT = len(STYLE_CUE_OF)

_INTENT_PATTERNS = [pattern for _, _, patterns in INTENT_RULES for pattern in patterns]
# The default shop vocabulary (terms and products) is scanned along with the cues; a shop's
# own `AnalyzerConfig` scans its vocabulary itself (see `vocabulary_scan`).
FIRST_VOCABULARY = FIRST_INTENT + len(_INTENT_PATTERNS)
_MATCHER = PhraseMatcher(
    [
        *(pattern for cue in CUES for pattern in cue.patterns),
        *_INTENT_PATTERNS,
        *DEFAULT_ANALYZER_CONFIG.patterns,
    ]
)

# (cue info, scoring entry, long-word letters, phrase ids), the lexicon fields from the
# lexicon of the message's language. A scoring entry is None for a token that only
# triggers phrases: the token pass steps over it like over a token with no entry at all.
Record = tuple[TokenInfo, "Entry | None", int, tuple[int, ...]]
# Field getters of a record.
CUE_INFO = itemgetter(0)
SENTIMENT_ENTRY = itemgetter(1)
LETTERS = itemgetter(2)
PHRASE_IDS = itemgetter(3)

_LIMIT = 100_000  # distinct tokens remembered per language before its table is reset


class _Table(dict[str, Record]):
    """token -> its record in one language, computed on first sight (see the module notes).

    One table per language: a token is resolved against the lexicon of the language it was
    written in, not against both.
    """

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self._lexicon = LEXICONS[lang].compute

    def __missing__(self, token: str) -> Record:
        if len(self) >= _LIMIT:
            self.clear()
        entry = self._lexicon(token)  # kept here only: no second cache to fill
        record = self[token] = (
            _MATCHER.token_info(token),
            scoring_entry(entry),
            len(token) if len(token) > 2 and token.isalpha() else 0,
            () if entry is None else entry[5],
        )
        return record


_TABLES: dict[Lang, _Table] = {lang: _Table(lang) for lang in LEXICONS}
_NO_MATCHES: list[Match] = []
_last_records: tuple[PreparedText | None, list[Record]] = (None, [])
_last_scan: tuple[PreparedText | None, list[Match]] = (None, _NO_MATCHES)
# (style, intent, vocabulary) matches of a message without any: shared, never changed.
_NO_PARTS: tuple[list[Match], list[Match], list[Match]] = ([], [], [])
_last_parts: tuple[PreparedText | None, tuple[list[Match], list[Match], list[Match]]] = (
    None,
    _NO_PARTS,
)


def records(text: PreparedText) -> list[Record]:
    """The record of every token of `text`, from the table of its language (shared by the
    analysers of a message: do not change it)."""
    global _last_records
    last = _last_records
    if last[0] is text:
        return last[1]
    table = _TABLES.get(text.lang)
    if table is None:  # (not `or`: an empty table is falsy)
        table = _TABLES[Lang.EN]
    found = list(map(table.__getitem__, text.tokens))
    _last_records = (text, found)
    return found


def scan(text: PreparedText) -> list[Match]:
    """Every style, intent and default-vocabulary pattern occurrence in `text` (see
    `PhraseMatcher.scan`). Shared by the analysers of a message: do not change it."""
    global _last_scan
    last = _last_scan
    if last[0] is text:
        return last[1]
    matches = _MATCHER.scan_infos(list(map(CUE_INFO, records(text))))
    _last_scan = (text, matches)
    return matches


def scan_parts(text: PreparedText) -> tuple[list[Match], list[Match], list[Match]]:
    """`scan(text)` split once for its three readers: the style matches (rules below
    `FIRST_INTENT`), the intent ones, the default-vocabulary ones, each in scan order.
    Shared by the analysers of a message: do not change them."""
    global _last_parts
    last = _last_parts
    if last[0] is text:
        return last[1]
    matches = scan(text)
    if not matches:
        parts = _NO_PARTS  # most messages: no cue, no term
    else:
        style: list[Match] = []
        intent: list[Match] = []
        vocabulary: list[Match] = []
        for match in matches:
            rule = match[0]
            if rule < FIRST_INTENT:
                style.append(match)
            elif rule < FIRST_VOCABULARY:
                intent.append(match)
            else:
                vocabulary.append(match)
        parts = (style, intent, vocabulary)
    _last_parts = (text, parts)
    return parts


def vocabulary_scan(config: AnalyzerConfig, text: PreparedText) -> tuple[int, tuple[str, ...]]:
    """`config.scan(text.tokens)`, from the shared scan when `config` is the default one."""
    if config is not DEFAULT_ANALYZER_CONFIG:
        return config.scan(text.tokens)
    found = scan_parts(text)[2]
    if not found:
        return _NO_VOCABULARY  # most messages: no term, no product
    return config.count_matches(found, len(text.tokens), FIRST_VOCABULARY)


_NO_VOCABULARY: tuple[int, tuple[str, ...]] = (0, ())
