"""Finding the entries of the shop's knowledge file that answer a customer's message.

BM25 over every entry (FAQ, policies, catalogue items, promotions, contact details, selling
points, objections), one index per language, all local: no model, no download. What makes it
work on chat messages:

- light stemming: common Russian noun/adjective/verb endings are cut («доставку», «доставки»
  → «доставк»), English plurals, -ing and -ed likewise; stop words are dropped;
- each entry has a title part (questions, names, aliases, doubts) that weighs more than its
  body (answers, descriptions), because customers ask the way titles are written;
- policies and contact details carry a built-in vocabulary of how customers ask about them
  («привезёте», «самовывоз», "refund"), since the shop's own text rarely says «сколько стоит
  доставка»;
- names and aliases are also indexed transliterated and as a consonant skeleton, so «дайсон
  в15» finds "Dyson V15" and «роборок» finds "Roborock" without the owner listing every
  spelling.

Every BM25 term weight is computed at build time, so a query costs a dictionary lookup per
term and a sum; `bench/retrieval.py` measures it.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from bot.replies.knowledge import (
    Contacts,
    Experience,
    FaqEntry,
    Item,
    Knowledge,
    Objection,
    Policy,
    Promotion,
)
from bot.replies.knowledge import text as _t
from profiling.types import Lang

# What counts as a hit. Scores are raw BM25 (k1 = 1.2, b = 0.75, title words weigh 3, body
# words 1). A hit must share at least one word with the entry's title (FAQ questions, item
# names and aliases, doubts, the built-in topic words of policies and contacts): a rare word
# that only occurs in some answer («tell» in "tell us the day") scores as high as a real
# match, but it says nothing about what the entry is for. And it must score MIN_SCORE: one
# specific title word scores 4-8 in the example files, a title word that half the entries
# share (a category name, «уборка») about 1-2. Below that, the responder should fall back
# to its intent rules or a human rather than quote a loosely related entry.
MIN_SCORE = 2.5
_K1, _B = 1.2, 0.75
_TITLE, _BODY = 3.0, 1.0


class EntryKind(StrEnum):
    FAQ = "faq"
    POLICY = "policy"
    PRODUCT = "product"
    PROMOTION = "promotion"
    CONTACT = "contact"
    EXPERIENCE = "experience"
    OBJECTION = "objection"


Entry = FaqEntry | Policy | Item | Promotion | Contacts | Experience | Objection


@dataclass(frozen=True, slots=True)
class Hit:
    """One found entry. `key` names it within its kind: the FAQ or promotion id, the sku,
    the policy (`delivery`, `returns`…), the contact field (`phone`, `hours`…), the
    objection id, `experience`. `entry` is the model itself; for a contact it is the whole
    `Contacts` and `key` says which field answers."""

    kind: EntryKind
    key: str
    score: float
    entry: Entry


# --- text analysis -------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC_RE = re.compile(r"[а-я]")

_STOP_TEXT = """
    а без более бы был была были было быть в вам вас ваш ваша ваше ваши ведь во вот все всё
    вы где да даже для до его ее её если есть еще ещё же за здесь и из или им их к как какая
    какие какой когда кто ли либо мне меня мне много можно мой моя мы на нам нас не него нет
    ни них но ну о об от по под подскажите пожалуйста при про с сейчас скажите сколько со
    так также там те тем то тогда того тоже только ту ты у уже хочу хотел хотела чем что
    чтобы это этот эта эти я здравствуйте привет добрый
    a about am an and any are as at be by can could did do does for from had has have hello
    hi how i if in is it its me my no not of on or our please should so some than that the
    them there these they this those to us was we what when where which who why will with
    would you your yes
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())

# Longest first; the stem must keep at least three letters.
_RU_ENDING_TEXT = """
        ами ями ого его ому ему ыми ими ией иям иях ать ять ить еть ешь ете ите ует уют
        ам ям ах ях ов ев ей ой ом ем ую юю ая яя ое ее ые ие ый ий ых их ым им ью ия ии ию
        ья ье ет ит ут ют ат ят а я о е ы и у ю ь й
"""
_RU_ENDINGS = tuple(sorted(_RU_ENDING_TEXT.split(), key=len, reverse=True))

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
# Letters that sound alike across the two spellings of a brand («сони»/"Sony",
# «роборок»/"Roborock") fold together; vowels go, since transliteration disagrees on them.
_SKELETON_FOLDS = (("ck", "k"), ("ph", "f"), ("c", "k"), ("q", "k"), ("w", "v"), ("z", "s"))
_VOWELS_RE = re.compile(r"[aeiouyj]+")
_DOUBLE_RE = re.compile(r"(.)\1+")


def _stem_ru(word: str) -> str:
    if len(word) > 5 and word.endswith(("ся", "сь")):
        word = word[:-2]
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _stem_en(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            # "shipping" → "shipp" → "ship"
            return word[:-1] if len(word) > 3 and word[-1] == word[-2] else word
    return word


def _skeleton(latin: str) -> str:
    for variant, folded in _SKELETON_FOLDS:
        latin = latin.replace(variant, folded)
    return _DOUBLE_RE.sub(r"\1", _VOWELS_RE.sub("", latin))


@lru_cache(maxsize=65_536)
def _word_terms(word: str, names: bool) -> tuple[str, ...]:
    """Index terms of one lower-cased word: its stem, and for names its transliteration and
    consonant skeleton (prefixed with "~" so they only ever meet other names)."""
    if any(ch.isdigit() for ch in word):
        # Models: «в15» and "v15" are the same; digits are not stemmed.
        latin = word.translate(_TRANSLIT)
        return (word,) if latin == word else (word, latin)
    cyrillic = _CYRILLIC_RE.search(word) is not None
    terms = [_stem_ru(word) if cyrillic else _stem_en(word)]
    if names:
        latin = word.translate(_TRANSLIT) if cyrillic else word
        if cyrillic:
            terms.append(_stem_en(latin))
        if len(word) >= 4:
            skeleton = _skeleton(latin)
            if len(skeleton) >= 2:
                terms.append("~" + skeleton)
    return tuple(terms)


def _words(value: str) -> list[str]:
    # One-letter words are prepositions or the "s" of "it's"; a lone digit still counts.
    lower = value.lower().replace("ё", "е")
    return [
        w for w in _WORD_RE.findall(lower) if (len(w) > 1 or w.isdigit()) and w not in _STOP_WORDS
    ]


def _terms(value: str, names: bool = False) -> Iterator[str]:
    for word in _words(value):
        yield from _word_terms(word, names)


# --- what each kind of entry is searched by ------------------------------------------------

# How customers ask about each policy and contact detail, beyond the shop's own wording.
_POLICY_WORDS: dict[str, dict[Lang, str]] = {
    "delivery": {
        Lang.RU: "доставка доставить доставите привезти привезете курьер отправка отправить "
        "сроки самовывоз пункт выдачи забрать",
        Lang.EN: "delivery deliver shipping ship courier send dispatch pickup collect",
    },
    "returns": {
        Lang.RU: "возврат вернуть верну обмен обменять сдать возврат денег",
        Lang.EN: "return refund exchange money back send back",
    },
    "warranty": {
        Lang.RU: "гарантия гарантийный ремонт сломался сломается брак",
        Lang.EN: "warranty guarantee repair broken breaks faulty defect",
    },
    "payment": {
        Lang.RU: "оплата оплатить платить карта картой наличные рассрочка счет",
        Lang.EN: "payment pay card cash installments invoice",
    },
    "insurance": {
        Lang.RU: "страховка страхование застрахован застраховано ущерб повредить разбить",
        Lang.EN: "insurance insured insure damage damaged break",
    },
    "guarantees": {
        Lang.RU: "гарантия качества переделать недоволен не понравится",
        Lang.EN: "guarantee quality redo unhappy satisfaction",
    },
}
_CONTACT_WORDS: dict[str, dict[Lang, str]] = {
    "phone": {
        Lang.RU: "телефон позвонить номер звонок связаться",
        Lang.EN: "phone call number contact",
    },
    "email": {Lang.RU: "почта email написать письмо", Lang.EN: "email mail e-mail write"},
    "address": {
        Lang.RU: "адрес находитесь офис магазин шоурум приехать",
        Lang.EN: "address located location office store showroom visit",
    },
    "hours": {
        Lang.RU: "часы работы график время открыты работаете выходные",
        Lang.EN: "hours open opening time schedule weekend",
    },
    "messengers": {
        Lang.RU: "whatsapp telegram вотсап ватсап телеграм мессенджер",
        Lang.EN: "whatsapp telegram messenger chat",
    },
    "manager": {
        Lang.RU: "менеджер консультант человек оператор живой",
        Lang.EN: "manager person human operator agent",
    },
}
_PROMOTION_WORDS = {Lang.RU: "акция скидка промокод", Lang.EN: "promotion discount sale promo code"}
_EXPERIENCE_WORDS = {
    Lang.RU: "опыт лет команда сотрудники проверенные надежные доверять",
    Lang.EN: "experience years team staff vetted reliable trust",
}


def _documents(
    k: Knowledge, lang: Lang
) -> Iterator[tuple[EntryKind, str, Entry, list[str], list[str]]]:
    """(kind, key, entry, title terms, body terms) of every entry, in one language."""
    for i, faq in enumerate(k.faq):
        title = [*(_t(q, lang) for q in faq.questions), *faq.tags]
        yield EntryKind.FAQ, faq.id or f"faq-{i}", faq, _all(title), _all([_t(faq.answer, lang)])
    for name, policy in k.policies.items():
        title = [_POLICY_WORDS.get(name, {}).get(lang, name), *policy.keywords]
        body = [_t(policy.summary, lang), _t(policy.details, lang), *_policy_extras(policy, lang)]
        yield EntryKind.POLICY, name, policy, _all(title), _all(body)
    for item in k.catalog:
        names = _all([_t(item.name, lang), *item.aliases, item.sku], names=True)
        # The category is what the item is («наушники»), so it belongs to the title.
        category = _t(k.categories.get(item.category), lang) or item.category
        body = [_t(item.description, lang), *(_t(f, lang) for f in item.features)]
        yield EntryKind.PRODUCT, item.sku, item, [*names, *_terms(category)], _all(body)
    for promo in k.promotions:
        title = [_t(promo.title, lang), _PROMOTION_WORDS[lang]]
        body = [_t(promo.text, lang), promo.code or ""]
        yield EntryKind.PROMOTION, promo.id, promo, _all(title), _all(body)
    for field, words in _CONTACT_WORDS.items():
        value = getattr(k.contacts, field)
        if value:
            # Messengers are searched by their names ("whatsapp"), the rest by the value.
            shown = " ".join(value) if isinstance(value, dict) else _t(value, lang)
            yield EntryKind.CONTACT, field, k.contacts, _all([words[lang]]), _all([shown])
    if k.experience is not None:
        exp = k.experience
        body = [_t(exp.team, lang), *(_t(p, lang) for p in exp.points)]
        yield EntryKind.EXPERIENCE, "experience", exp, _all([_EXPERIENCE_WORDS[lang]]), _all(body)
    for objection in k.objections:
        title = [_t(d, lang) for d in objection.doubts]
        body = [_t(objection.answer, lang)]
        yield EntryKind.OBJECTION, objection.id, objection, _all(title), _all(body)


def _policy_extras(policy: Policy, lang: Lang) -> Iterator[str]:
    for area in getattr(policy, "areas", ()):
        yield _t(area.area, lang)
        yield _t(area.note, lang)
    for point in getattr(policy, "pickup", ()):
        yield _t(point.address, lang)
    for method in getattr(policy, "methods", ()):
        yield _t(method, lang)


def _all(values: Iterable[str], names: bool = False) -> list[str]:
    return [term for value in values if value for term in _terms(value, names)]


# --- the index -----------------------------------------------------------------------------


class _LangIndex:
    """BM25 postings of one language: term → ((entry number, final weight, in title), …)."""

    __slots__ = ("postings",)

    def __init__(self, documents: list[tuple[list[str], list[str]]]) -> None:
        counts: list[dict[str, float]] = []
        titles: list[set[str]] = []
        for title, body in documents:
            tf: dict[str, float] = defaultdict(float)
            for term in title:
                tf[term] += _TITLE
            for term in body:
                tf[term] += _BODY
            counts.append(tf)
            titles.append(set(title))
        n = len(counts)
        lengths = [sum(tf.values()) for tf in counts]
        average = (sum(lengths) / n) if n else 1.0
        frequency: dict[str, int] = defaultdict(int)
        for tf in counts:
            for term in tf:
                frequency[term] += 1
        postings: dict[str, list[tuple[int, float, bool]]] = defaultdict(list)
        for number, tf in enumerate(counts):
            norm = _K1 * (1 - _B + _B * lengths[number] / (average or 1.0))
            for term, f in tf.items():
                df = frequency[term]
                idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                weight = idf * f * (_K1 + 1) / (f + norm)
                postings[term].append((number, weight, term in titles[number]))
        self.postings = {term: tuple(found) for term, found in postings.items()}

    def scores(self, query: str) -> tuple[dict[int, float], set[int]]:
        """BM25 score of every entry sharing a term with `query`, and the entries whose
        title shares one."""
        totals: dict[int, float] = defaultdict(float)
        titled: set[int] = set()
        for term in set(_terms(query, names=True)):
            for number, weight, in_title in self.postings.get(term, ()):
                totals[number] += weight
                if in_title:
                    titled.add(number)
        return totals, titled


class KnowledgeIndex:
    """Search over one knowledge file; build it once at start, search it per message."""

    __slots__ = ("_entries", "_indexes")

    def __init__(
        self, entries: list[tuple[EntryKind, str, Entry]], indexes: dict[Lang, _LangIndex]
    ) -> None:
        self._entries = entries
        self._indexes = indexes

    @classmethod
    def build(cls, knowledge: Knowledge) -> KnowledgeIndex:
        entries: list[tuple[EntryKind, str, Entry]] = []
        indexes: dict[Lang, _LangIndex] = {}
        for lang in (Lang.RU, Lang.EN):
            documents = list(_documents(knowledge, lang))
            if not entries:  # the same entries in the same order for every language
                entries = [(kind, key, entry) for kind, key, entry, _, _ in documents]
            indexes[lang] = _LangIndex([(title, body) for *_, title, body in documents])
        return cls(entries, indexes)

    def __len__(self) -> int:
        return len(self._entries)

    def search(
        self,
        text: str,
        *,
        lang: Lang | str,
        k: int = 3,
        kinds: Iterable[EntryKind | str] | None = None,
        min_score: float = MIN_SCORE,
    ) -> list[Hit]:
        """The `k` best entries scoring at least `min_score`, best first.

        The customer's language index is searched first; when it finds nothing, the other
        one is, because a mis-detected language («ok, dyson v15?») must not lose the answer.
        """
        wanted = {EntryKind(kind) for kind in kinds} if kinds is not None else None
        first = Lang.RU if str(lang) == Lang.RU else Lang.EN
        for language in (first, Lang.EN if first is Lang.RU else Lang.RU):
            hits = self._search(self._indexes[language], text, k, wanted, min_score)
            if hits:
                return hits
        return []

    def _search(
        self,
        index: _LangIndex,
        query: str,
        k: int,
        wanted: set[EntryKind] | None,
        min_score: float,
    ) -> list[Hit]:
        totals, titled = index.scores(query)
        candidates = (
            (score, number)
            for number, score in totals.items()
            if score >= min_score
            and number in titled
            and (wanted is None or self._entries[number][0] in wanted)
        )
        hits = []
        for score, number in heapq.nlargest(k, candidates):
            kind, key, entry = self._entries[number]
            hits.append(Hit(kind, key, round(score, 3), entry))
        return hits
