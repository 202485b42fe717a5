"""Word and phrase vocabularies: how rule tables and shop word lists are found in a message.

A `PhraseMatcher` compiles short patterns once and then scans the tokens of a message with
dictionary lookups only (no regex per rule), which keeps the analysers at a few
microseconds per message however many rules they hold.

Pattern syntax (words are written lower-case, «ё» as «е»):

- ``заказ``   the word or an inflected form of it (shares a stem, see `stem_candidates`);
  words of up to three letters are taken exactly (``=да`` must not match «дай»)
- ``чай+``    inflected forms even for a short word («чая», «чаю»)
- ``=как``    exactly this token
- ``отслед*`` any token starting with ``отслед``; ``обжар*4`` at most 4 more letters
- ``a|b|c*``  any of the alternatives at this position
- ``~``       a gap of up to `MAX_GAP` arbitrary tokens («где же мой заказ» for ``где ~ заказ``);
  ``~1`` / ``~2`` a gap of at most that many tokens

`AnalyzerConfig` holds what a shop may configure: its professional terminology and its
product names with their aliases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import itemgetter
from types import MappingProxyType
from typing import NamedTuple

from profiling.text.prepare import normalize, stem_candidates, tokenize

MAX_GAP = 3  # tokens a "~" may skip: enough for «где же теперь мой заказ», not a sentence
_CACHE_LIMIT = 50_000  # distinct tokens remembered per matcher before the memo is reset
_GAP_RE = re.compile(r"^~(\d?)$")
_ALT_RE = re.compile(r"^(=?)([^*=+]+)(\+|\*\d*)?$")
_SHORT_WORD = 3  # letters; shorter words are matched exactly unless marked with "+"


class Match(NamedTuple):
    """One occurrence of pattern number `rule` over tokens[start:end].

    A named tuple rather than a frozen dataclass: matches are created per message on the
    hot path, and a tuple is several times cheaper to build.
    """

    rule: int
    start: int
    end: int


# A pattern as the scan sees it: (its number, its elements).
_Rule = tuple[int, tuple[int, ...]]
# The patterns a token can start, grouped by what they need next (plain tuples: they are
# unpacked on the hot path, where plain tuples are fastest):
# (one-word patterns, {second element: patterns}, patterns whose second element is a gap,
# the elements those look for after their gap, the farthest they look).
# Most phrase starts fail on the very next token, so only the groups whose second element
# the next token can be are ever looked at.
_Starts = tuple[
    tuple[int, ...], dict[int, tuple[_Rule, ...]], tuple[_Rule, ...], frozenset[int], int
]
# What a token can match: (the patterns it starts or None; every element it can be).
TokenInfo = tuple[_Starts | None, frozenset[int]]
_NOTHING: TokenInfo = (None, frozenset())
_STARTS = itemgetter(0)
_MAKE_MATCH = Match._make
_ELEMENTS = itemgetter(1)


class _Memo(dict[str, TokenInfo]):
    """token -> what it can match; computes and stores a token on first sight.

    Subscripting a dict is the cheapest lookup Python has, and only unseen tokens pay for
    the stem and prefix work. The memo is reset when it grows past `_CACHE_LIMIT` so a
    stream of unique tokens (order numbers, typos) cannot grow it without bound.
    """

    def __init__(self, compute: Callable[[str], TokenInfo]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, token: str) -> TokenInfo:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        value = self[token] = self._compute(token)
        return value


class PhraseMatcher:
    """Finds many word patterns in a token sequence at once.

    Every token is resolved once (and memoised) to the set of pattern elements it can stand
    for; phrases are then checked only where their first element occurs.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns: tuple[str, ...] = tuple(patterns)
        self._exact: dict[str, set[int]] = {}
        self._stems: dict[str, set[int]] = {}
        self._prefixes: dict[str, list[tuple[int, int | None]]] = {}
        element_ids: dict[str, int] = {}
        self._rules: list[tuple[int, ...]] = []
        self._by_first: dict[int, list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            elements = self._compile(pattern, element_ids)
            self._rules.append(elements)
            self._by_first.setdefault(elements[0], []).append(index)
        self._prefix_lengths = tuple(sorted({len(p) for p in self._prefixes}))
        # The three tables in one, for `_resolve`: string -> (elements it is exactly, elements
        # it is a stem of, (element, most extra letters) of the prefixes it is).
        index: dict[str, tuple[frozenset[int], frozenset[int], tuple]] = {}
        for key in {*self._exact, *self._stems, *self._prefixes}:
            index[key] = (
                frozenset(self._exact.get(key, ())),
                frozenset(self._stems.get(key, ())),
                tuple(self._prefixes.get(key, ())),
            )
        self._index = index
        # The first three letters of every "word*" prefix: a token that starts otherwise is
        # the prefix of none (None: some prefix is shorter, so always look).
        shortest = min(self._prefix_lengths, default=3)
        self._prefix_starts = frozenset(p[:3] for p in self._prefixes) if shortest >= 3 else None
        self._memo = _Memo(self._resolve)

    def _compile(self, pattern: str, element_ids: dict[str, int]) -> tuple[int, ...]:
        parts = normalize(pattern).split()
        if not parts or _GAP_RE.match(parts[0]) or _GAP_RE.match(parts[-1]):
            raise ValueError(f"pattern must start and end with a word: {pattern!r}")
        elements: list[int] = []
        for part in parts:
            gap = _GAP_RE.match(part)
            if gap:
                # Gaps are stored as negative numbers: -1 - (how many tokens may be skipped).
                elements.append(-1 - int(gap.group(1) or MAX_GAP))
                continue
            if part not in element_ids:
                element_ids[part] = len(element_ids)
                for alternative in part.split("|"):
                    self._add_alternative(alternative, element_ids[part], pattern)
            elements.append(element_ids[part])
        return tuple(elements)

    def _add_alternative(self, alternative: str, element: int, pattern: str) -> None:
        parsed = _ALT_RE.match(alternative)
        if parsed is None or tokenize(parsed.group(2)) != (parsed.group(2),):
            raise ValueError(f"bad word {alternative!r} in pattern {pattern!r}")
        exact, word, suffix = parsed.groups()
        if suffix and suffix.startswith("*"):
            max_extra = int(suffix[1:]) if len(suffix) > 1 else None
            self._prefixes.setdefault(word, []).append((element, max_extra))
        elif exact or (len(word) <= _SHORT_WORD and suffix != "+"):
            self._exact.setdefault(word, set()).add(element)
        else:
            for stem in stem_candidates(word):
                self._stems.setdefault(stem, set()).add(element)

    def _resolve(self, token: str) -> TokenInfo:
        size = len(token)
        found: set[int] = set()
        index = self._index
        whole = index.get(token)
        if whole is not None:  # the word itself: exactly, as a stem, as a prefix
            found.update(whole[0], whole[1])
            found.update(element for element, _ in whole[2])
        for stem in stem_candidates(token)[1:]:  # the word less an inflectional ending
            hit = index.get(stem)
            if hit is not None:
                found.update(hit[1])
        starts = self._prefix_starts
        for length in self._prefix_lengths if starts is None or token[:3] in starts else ():
            if length >= size:
                break
            hit = index.get(token[:length])
            if hit is not None:
                for element, max_extra in hit[2]:
                    if max_extra is None or size - length <= max_extra:
                        found.add(element)
        if not found:
            return _NOTHING
        singles: list[int] = []
        by_second: dict[int, list[_Rule]] = {}
        gapped: list[_Rule] = []
        for rule in sorted(rule for e in found for rule in self._by_first.get(e, ())):
            elements = self._rules[rule]
            if len(elements) == 1:
                singles.append(rule)
            elif elements[1] < 0:
                gapped.append((rule, elements))
            else:
                by_second.setdefault(elements[1], []).append((rule, elements))
        if not (singles or by_second or gapped):
            return None, frozenset(found)
        groups = {second: tuple(rules) for second, rules in by_second.items()}
        # What the gapped patterns look for after their gap, and how far they may look.
        wanted = frozenset(elements[2] for _, elements in gapped)
        reach = max((-elements[1] for _, elements in gapped), default=0)
        return (tuple(singles), groups, tuple(gapped), wanted, reach), frozenset(found)

    def scan(self, tokens: Sequence[str]) -> list[Match]:
        """Every (pattern, start) occurrence, with the shortest span that completes it."""
        return list(map(_MAKE_MATCH, self.scan_infos(list(map(self._memo.__getitem__, tokens)))))

    def token_info(self, token: str) -> TokenInfo:
        """What `token` can match, worked out afresh: for callers that keep it themselves,
        with other facts about the token, and scan with `scan_infos`."""
        return self._resolve(token)

    def scan_infos(self, infos: list[TokenInfo]) -> list[Match]:
        """`scan` of the tokens whose `token_info` values are `infos`.

        The matches are plain `(rule, start, end)` tuples, equal to the `Match` they stand for
        (a tuple is several times cheaper to build than a named tuple; `scan` makes them
        `Match`es, the shared scan of `profiling.text.token_table` unpacks them as they are).
        Only the tokens that start a pattern are visited (picked in C by `compress`).
        """
        size = len(infos)
        matches: list[Match] = []
        append = matches.append
        per_token: list[frozenset[int]] | None = None
        for start in compress(range(size), map(_STARTS, infos)):
            singles, by_second, gapped, wanted_after_gap, reach = infos[start][0]
            first = len(matches)
            for rule in singles:
                append((rule, start, start + 1))  # type: ignore[arg-type]
            if by_second and start + 1 < size:
                following = infos[start + 1][1]
                if following and not following.isdisjoint(by_second):
                    for element in following.intersection(by_second):
                        for rule, elements in by_second[element]:
                            if len(elements) == 2:
                                append((rule, start, start + 2))  # type: ignore[arg-type]
                                continue
                            if per_token is None:  # built only where a phrase may go on
                                per_token = list(map(_ELEMENTS, infos))
                            end = _match_rest(elements, 2, per_token, start + 2)
                            if end >= 0:
                                append((rule, start, end))  # type: ignore[arg-type]
            if gapped:
                if per_token is None:
                    per_token = list(map(_ELEMENTS, infos))
                # Most gapped patterns fail: skip them all when no token within reach is
                # what any of them looks for.
                if wanted_after_gap.isdisjoint(
                    chain.from_iterable(per_token[start + 1 : start + 1 + reach])
                ):
                    gapped = ()
                for rule, elements in gapped:
                    # A gap of up to k tokens (stored as -1 - k), then the next element.
                    wanted = elements[2]
                    for skip in range(start + 1, min(start + 1 - elements[1], size)):
                        if wanted in per_token[skip]:
                            if len(elements) == 3:
                                append((rule, start, skip + 1))  # type: ignore[arg-type]
                                break
                            end = _match_rest(elements, 3, per_token, skip + 1)
                            if end >= 0:
                                append((rule, start, end))  # type: ignore[arg-type]
                                break
            if len(matches) - first > 1:
                matches[first:] = sorted(matches[first:])  # by pattern number, as promised
        return matches


def _match_rest(rule: tuple[int, ...], at: int, per_token: list[frozenset[int]], pos: int) -> int:
    """End index if rule[at:] matches from token `pos`, else -1 (gaps tried shortest first)."""
    if at == len(rule):
        return pos
    element = rule[at]
    if element < 0:
        following = rule[at + 1]
        for skip in range(pos, min(pos - element, len(per_token))):
            if following in per_token[skip]:
                end = _match_rest(rule, at + 2, per_token, skip + 1)
                if end >= 0:
                    return end
        return -1
    if pos < len(per_token) and element in per_token[pos]:
        return _match_rest(rule, at + 1, per_token, pos + 1)
    return -1


def term_pattern(term: str) -> str:
    """Pattern for a configured term: its forms, and for Russian also words it is a stem of.

    Shops may list stems («обжар») as well as words, so a Cyrillic term of four or more
    letters also matches tokens that extend it by a few letters («обжарка», «обжарки»).
    Multi-word terms ("cold brew") must match word by word.
    """
    words = tokenize(normalize(term))
    parts = []
    for word in words:
        if len(word) >= 4 and word.isalpha() and not word.isascii():
            parts.append(f"{word}|{word}*4")
        else:
            parts.append(f"{word}+")
    return " ".join(parts)


# Professional vocabulary of the domains Barista is built for: specialty coffee, retail and
# e-commerce, and the tech of the machines and gadgets such shops sell. Writing in these
# words marks a customer who knows the subject (answer with specifics, not basics).
DEFAULT_TERMINOLOGY: frozenset[str] = frozenset(
    {
        # coffee, Russian
        "эспрессо", "ристретто", "лунго", "американо", "капучино", "латте", "флэт уайт",
        "кортадо", "макиато", "обжарка", "обжар", "помол", "арабика", "робуста", "моносорт",
        "бленд", "купаж", "дрип", "пуровер", "кемекс", "аэропресс", "френч-пресс", "турка",
        "гейзерная", "рожковая", "капсульная", "кофемолка", "жернова", "питчер", "темпер",
        "темперовка", "портафильтр", "холдер", "экстракция", "бариста", "каппинг",
        "кислотность", "послевкусие", "дескрипторы", "анаэробная", "ферментация", "декаф",
        "колд брю", "пролив", "капучинатор", "тдс", "ку-грейдер", "мытая обработка",
        # coffee, English
        "espresso", "ristretto", "lungo", "americano", "cappuccino", "latte", "flat white",
        "cortado", "macchiato", "roast", "roasting", "grind", "grinder", "burr", "arabica",
        "robusta", "single origin", "blend", "pour over", "chemex", "aeropress",
        "french press", "v60", "portafilter", "tamper", "tamping", "crema", "extraction",
        "barista", "cupping", "acidity", "aftertaste", "decaf", "cold brew", "washed process",
        "natural process", "anaerobic", "tds", "q-grader", "milk frother",
        # retail and e-commerce, Russian
        "артикул", "трек-номер", "трекинг", "накладная", "предоплата", "постоплата",
        "наложенный платеж", "маркетплейс", "предзаказ", "оферта", "комплектация",
        "фулфилмент", "логистика", "гарантийный талон", "штрихкод", "опт", "дропшиппинг",
        # retail and e-commerce, English
        "sku", "tracking number", "invoice", "prepayment", "cash on delivery", "pickup point",
        "marketplace", "backorder", "preorder", "pre-order", "restock", "chargeback",
        "fulfillment", "fulfilment", "warehouse", "rma", "barcode", "upc", "wholesale",
        "dropshipping",
        # machines and tech, Russian
        "прошивка", "драйвер", "интерфейс", "разъем", "блютуз", "вай-фай", "роутер",
        "процессор", "оперативка", "термоблок", "бойлер", "гидросистема", "декальцинация",
        "помпа", "давление", "мощность", "напряжение", "ватт",
        # machines and tech, English
        "firmware", "interface", "usb", "usb-c", "bluetooth", "wifi", "wi-fi", "api",
        "router", "processor", "ram", "ssd", "hdmi", "voltage", "wattage", "thermoblock",
        "boiler", "descaling", "descale", "pump", "pressure",
    }
)  # fmt: skip


@dataclass(frozen=True)
class AnalyzerConfig:
    """What a shop configures about message analysis.

    `terminology`: professional terms (lower-case words or Russian stems; multi-word terms
    allowed). `products`: product key -> aliases (lower-case; multi-word aliases allowed);
    the keys of products a message mentions become its topics, so the profile notices a
    customer coming back to the same product.
    """

    terminology: frozenset[str] = DEFAULT_TERMINOLOGY
    products: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Compiled once per config (a shop's config is built at start-up and reused for every
    # message): one matcher for terms and product aliases, so a message is scanned once.
    # Patterns [0, _term_count) are terms; the rest are aliases of `_alias_keys`.
    # The compiled patterns: terms first, then product aliases (see `count_matches`).
    patterns: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _matcher: PhraseMatcher = field(init=False, repr=False, compare=False)
    _term_count: int = field(init=False, repr=False, compare=False)
    _alias_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        products = MappingProxyType({k: tuple(v) for k, v in self.products.items()})
        object.__setattr__(self, "products", products)
        object.__setattr__(self, "terminology", frozenset(self.terminology))
        patterns = sorted(p for p in (term_pattern(t) for t in self.terminology) if p)
        term_count = len(patterns)
        keys: list[str] = []
        for key, names in products.items():
            for name in (key, *names):
                # "+": a short name («чай», "tea") still matches its inflected forms.
                pattern = " ".join(f"{word}+" for word in tokenize(normalize(name)))
                if pattern:
                    keys.append(key)
                    patterns.append(pattern)
        object.__setattr__(self, "patterns", tuple(patterns))
        object.__setattr__(self, "_matcher", PhraseMatcher(patterns))
        object.__setattr__(self, "_term_count", term_count)
        object.__setattr__(self, "_alias_keys", tuple(keys))

    def __hash__(self) -> int:
        # `products` is a read-only mapping, which is not hashable by itself.
        return hash((self.terminology, tuple(self.products.items())))

    def scan(self, tokens: Sequence[str]) -> tuple[int, tuple[str, ...]]:
        """(number of terms used, product keys mentioned) in one pass over the tokens.

        A token covered by one term counts once ("cold brew" is one term, not two). Topics
        come in the order the message first mentions them.
        """
        return self.count_matches(self._matcher.scan(tokens), len(tokens))

    def count_matches(
        self, matches: Iterable[Match], n_tokens: int, offset: int = 0
    ) -> tuple[int, tuple[str, ...]]:
        """`scan` from the matches of `patterns` in a message of `n_tokens` tokens, for a
        caller that scans them along with other patterns: pattern i is rule `offset` + i.
        """
        covered: set[int] = set()
        terms = 0
        first_seen: dict[str, int] = {}
        first_alias = offset + self._term_count
        for rule, start, end in matches:
            if rule >= first_alias:
                key = self._alias_keys[rule - first_alias]
                if start < first_seen.get(key, n_tokens):
                    first_seen[key] = start
                continue
            if end - start == 1:  # one token: the common case, without building a range
                if start not in covered:
                    covered.add(start)
                    terms += 1
                continue
            span = range(start, end)
            if covered.isdisjoint(span):
                covered.update(span)
                terms += 1
        if not first_seen:
            return terms, ()
        return terms, tuple(sorted(first_seen, key=first_seen.__getitem__))

    def count_terms(self, tokens: Sequence[str]) -> int:
        """Occurrences of configured terms (see `scan`)."""
        return self.scan(tokens)[0]

    def find_topics(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """Keys of the products mentioned, in first-mention order (see `scan`)."""
        return self.scan(tokens)[1]

    @classmethod
    def with_products(
        cls,
        products: Mapping[str, Iterable[str]],
        terminology: Iterable[str] = DEFAULT_TERMINOLOGY,
    ) -> AnalyzerConfig:
        """Convenience constructor that accepts any iterables of aliases and terms."""
        return cls(
            terminology=frozenset(terminology),
            products={key: tuple(names) for key, names in products.items()},
        )


DEFAULT_ANALYZER_CONFIG = AnalyzerConfig()
