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


# What a token can match, as a plain tuple (unpacked on the hot path, where plain tuples
# are fastest): (patterns it can start, each with its elements; every element it can be).
_TokenInfo = tuple[tuple[tuple[int, tuple[int, ...]], ...], frozenset[int]]
_NOTHING: _TokenInfo = ((), frozenset())


class _Memo(dict[str, _TokenInfo]):
    """token -> what it can match; computes and stores a token on first sight.

    Subscripting a dict is the cheapest lookup Python has, and only unseen tokens pay for
    the stem and prefix work. The memo is reset when it grows past `_CACHE_LIMIT` so a
    stream of unique tokens (order numbers, typos) cannot grow it without bound.
    """

    def __init__(self, compute: Callable[[str], _TokenInfo]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, token: str) -> _TokenInfo:
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

    def _resolve(self, token: str) -> _TokenInfo:
        found: set[int] = set(self._exact.get(token, ()))
        for stem in stem_candidates(token):
            found.update(self._stems.get(stem, ()))
        size = len(token)
        for length in self._prefix_lengths:
            if length > size:
                break
            for element, max_extra in self._prefixes.get(token[:length], ()):
                if max_extra is None or size - length <= max_extra:
                    found.add(element)
        if not found:
            return _NOTHING
        rules = sorted(rule for e in found for rule in self._by_first.get(e, ()))
        return tuple((rule, self._rules[rule]) for rule in rules), frozenset(found)

    def scan(self, tokens: Sequence[str]) -> list[Match]:
        """Every (pattern, start) occurrence, with the shortest span that completes it."""
        infos = list(map(self._memo.__getitem__, tokens))
        size = len(infos)
        matches: list[Match] = []
        per_token: list[frozenset[int]] | None = None
        for start, (starts, _) in enumerate(infos):
            if not starts:
                continue
            for rule, elements in starts:
                if len(elements) == 1:
                    matches.append(Match(rule, start, start + 1))
                    continue
                if per_token is None:  # built only for messages where a phrase may start
                    per_token = [info[1] for info in infos]
                second = elements[1]
                if second >= 0:
                    # Most phrase starts fail on the very next token: check it inline.
                    if start + 1 >= size or second not in per_token[start + 1]:
                        continue
                    end = _match_rest(elements, 2, per_token, start + 2)
                else:
                    end = _match_rest(elements, 1, per_token, start + 1)
                if end >= 0:
                    matches.append(Match(rule, start, end))
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
        covered: set[int] = set()
        terms = 0
        first_seen: dict[str, int] = {}
        for rule, start, end in self._matcher.scan(tokens):
            if rule >= self._term_count:
                key = self._alias_keys[rule - self._term_count]
                if start < first_seen.get(key, len(tokens)):
                    first_seen[key] = start
                continue
            span = range(start, end)
            if covered.isdisjoint(span):
                covered.update(span)
                terms += 1
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
