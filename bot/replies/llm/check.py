"""The check an LLM's answer must pass before it is sent; a failed answer is replaced by the
rule engine's reply, so a false alarm costs some wording and a miss costs the shop's word.

Pure: no I/O. Checks run cheap to expensive and the first failure is the verdict: empty, too
long, a promise no code keeps, the wrong language, an order status the shop did not report,
then every number against `facts` (the whole text the LLM was given): money, dates, clock
times, terms («14 дней», "24 months"), order codes, and any other number of three digits or
more. Numbers are compared by value, not spelling: «12 990 ₽» is "₽12,990", «5 декабря» is
"Dec 5" and «05.12», «1 год» is "12 months"; a phone passes when its digits are in the facts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from profiling.entities import find_money
from profiling.entities.time_patterns import DATE_EN, DATE_NUMERIC, DATE_RU, MONTHS
from profiling.text.prepare import normalize, prepare, shows_language
from profiling.types import Lang

_I = re.IGNORECASE
SLACK_PERCENT = 15  # an answer may run this much over `max_chars` before it is "too_long"


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    reason: str | None  # None when ok, else "too_long", "unknown_price", "promise"...
    detail: str = ""  # what exactly was wrong: the offending fragment


PASS = Verdict(True, None)

# ----- promises: (kind, pattern); `allowed_promises` lifts kinds, e.g. "handoff" -----
_STAFF = (
    r"(?:(?:менеджер|оператор|специалист|сотрудник|коллег)\w*|человек[ау]?|someone"
    r"|(?:manager|operator|agent|human|person|colleague|specialist)s?(?!\w))"
)
_PROMISES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("handoff", re.compile(
        r"(?:переда(?:м|ю|дим)|переключ(?:у|аю|им)|подключ(?:у|аю|им)|позову)\s+(?:\w+\s+){0,3}?"
        rf"{_STAFF}|{_STAFF}\s+(?:\w+\s+)?(?:свяжется|перезвонит|ответит|напишет|подключится"
        r"|will)|(?:pass|transfer|connect|hand|forward|escalate)\w*\s+(?:\w+\s+){0,4}?"
        rf"(?:to|with)\s+(?:a|an|our|the)\s+{_STAFF}", _I)),
    ("call", re.compile(
        r"(?<!\w)(?:перезвон(?:ю|им)|позвон(?:ю|им)|наберу\s+вас|свяж(?:усь|емся)(?!\w)"
        r"|(?:i|we)(?:'ll|\s+will)\s+(?:call|phone|ring|contact|reach\s+out)|call\s+you\s+back)",
        _I)),
    ("follow_up", re.compile(
        # «уточню: вам на 256 ГБ?» is a question, «уточню у склада» a promise
        r"(?<!\w)(?:(?:проверю|выясню|уточню)(?!\w)(?!\s*:)|отпишусь|уведомлю|оповещу"
        r"|вернусь\s+(?:к\s+вам|с\s+ответом)|(?:напиш|сообщ)(?:у|им),?\s+(?:вам\s+)?(?:позже|как\s+только"
        r"|когда|завтра)|(?:i|we)(?:'ll|\s+will)\s+(?:check|look\s+into|find\s+out|follow\s+up"
        r"|let\s+you\s+know|notify|update\s+you|confirm|keep\s+you)"
        r"|let\s+me\s+(?:check|look\s+into|find\s+out)|get\s+back\s+to\s+you)", _I)),
    ("remind", re.compile(
        r"напомн(?:ю|им)|пришл(?:ю|ем)\s+напоминание|remind\s+you|send\s+you\s+a\s+reminder", _I)),
)  # fmt: skip

# ----- order statuses: a status form counts in a sentence about an order, stated as a fact -----
_FORMS = (  # (pattern, status) on normalised text (lower case, «ё» as «е»)
    (r"оформлен[аоы]?|создан[аоы]?", "created"),
    (r"оплачен[аоы]?", "paid"),
    (r"(?:отправлен|отгружен)[аоы]?|передан[аоы]?\s+(?:в\s+(?:службу\s+)?доставк|курьер"
     r"|перевозчик)\w*", "shipped"),
    (r"доставлен[аоы]?|вручен[аоы]?|получен[аы]?", "delivered"),
    (r"возвращен[аоы]?", "returned"),
    (r"отменен[аоы]?", "cancelled"),
    (r"(?:is|was|were|has\s+been|have\s+been|had\s+been|'s\s+been|got)\s+(?:already\s+|now\s+"
     r"|just\s+|successfully\s+)?(?:(?P<created>placed|created)|(?P<paid>paid)"
     r"|(?P<shipped>shipped|dispatched|sent\s+out)|(?P<delivered>delivered)"
     r"|(?P<returned>returned|refunded)|(?P<cancelled>cancell?ed))", ""),
    (r"(?:order|package|parcel|shipment|it)\s+(?:[#№]?[\w-]*\d[\w-]*\s+)?(?:already\s+)?"
     r"(?:(?P<shipped>shipped|dispatched)|(?P<delivered>arrived))", ""),
)  # fmt: skip
# fmt: off
_STATUS_RE = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)", _I), s) for p, s in _FORMS]
# The order's state now: "в пути" of a delivered order is wrong. «В пути 3–7 дней», "in
# transit within 5 days" are how long delivery takes, not where the order is.
_CURRENT_RE = re.compile(
    r"(?<!\w)(?:в\s+пути|on\s+(?:its|the)\s+way|in\s+transit|out\s+for\s+delivery)(?!\w)"
    r"(?!\s*(?:от|до|около|не\s+более|не\s+больше|within|up\s+to)?\s*\d)", _I)
_SUBJECT_RE = re.compile(
    r"(?<!\w)(?:(?:заказ|посылк|отправлени|товар|покупк|деньги|средства|order|package|parcel"
    r"|shipment|item|purchase|refund)\w*|он[аои]?|it|they)(?!\w)", _I)
_SUBJECT_AFTER = re.compile(r"\s+(?:(?:ваш|your)\w*\s+)?(?:заказ|посылк|order|package|parcel)", _I)
_NEGATED_BEFORE = re.compile(
    r"(?<!\w)(?:не|ни|not|n't|never|будет|будут|может|должен|должна|should|will|would|could"
    r"|can|may|might)\s+(?:\w+\s+)?$", _I)
_HYPOTHETICAL = re.compile(
    r"(?<!\w)(?:если|как\s+только|когда|после\s+того|обычно|как\s+правило|if|once|when"
    r"|as\s+soon\s+as|after|usually|typically|normally|unless|until)(?!\w)", _I)
# "an order is shipped within 24 hours", "it is paid on delivery": a policy, not a status.
_POLICY_AFTER = re.compile(
    r"\s+(?:within|in\s+\d|in\s+(?:one|two|three|a)\s|during|every|on\s+delivery|upon"
    r"|separately|by\s+(?:card|cash))", _I)
_SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+|[;\n]+")
# The life of an order: each status has passed through the ones before it.
_CHAIN = ("created", "paid", "shipped", "delivered", "returned")
_PASSED = {s: set(_CHAIN[: i + 1]) for i, s in enumerate(_CHAIN)}
_PASSED["cancelled"] = {"created", "paid", "cancelled"}
# fmt: on

# ----- numbers -----
_WORD_RE = re.compile(r"[^\W\d_]+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_ISO_DATE_RE = re.compile(r"(?<!\d)\d{4}-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
_CLOCK_RE = re.compile(r"(?<![\d:.])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])")
_UNITS = (  # unit words of terms and their scale: hours or months
    (r"час(?:а|ов)?|ч\.|hours?|hrs?", ("h", 1)), (r"дн(?:я|ей)|день|days?", ("h", 24)),
    (r"недел[юиья]|нед\.|weeks?", ("h", 168)), (r"месяц(?:а|ев)?|мес\.|months?", ("m", 1)),
    (r"год(?:а|у)?|лет|years?", ("m", 12)),
)  # fmt: skip
_TERM_RE = re.compile(
    r"(?<![\w.,])(?P<a>\d{1,3})(?:\s*(?:[–—-]|до|to)\s*(?P<b>\d{1,3}))?\s*-?\s*"
    r"(?:(?:рабоч|календарн|business|working|calendar)\w*\s+)?(?P<u>"
    + "|".join(f"(?:{u})" for u, _ in _UNITS)
    + r")(?!\w)",
    _I,
)
_CODE_RE = re.compile(r"(?<![\w-])[A-ZА-Я]{1,3}-\d{3,}(?![\w-])")
_MONTH_KEYS = sorted(MONTHS, key=len, reverse=True)  # «марта» is March before «ма» is May
_PERCENT = re.compile(r"\s?%")
_PLAIN_RE = re.compile(r"\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?")
_GROUP_RE = re.compile(r"\+?\(?\d(?:[\d \u00a0\u202f()\-]*\d)?")
_ORDER_BEFORE = re.compile(r"(?<!\w)(?:заказ\w*|order|номер\w*|number|no\.?|[#№])\s*[#№]?\s*$", _I)
_FOREIGN = {Lang.RU: re.compile(r"[a-z]", _I), Lang.EN: _CYRILLIC_RE}
_MIN_SHARE = {Lang.RU: 0.4, Lang.EN: 0.6}  # of letters in the answer's own script


def check_answer(
    answer: str,
    *,
    lang: Lang | str,
    max_chars: int,
    facts: str,
    order_statuses: Collection[str] = (),
    allowed_promises: Collection[str] = (),
) -> Verdict:
    """`PASS`, or the first reason `answer` must not be sent (see the module notes)."""
    text = answer.strip()
    if not text:
        return Verdict(False, "empty")
    if len(text) * 100 > max_chars * (100 + SLACK_PERCENT):
        return Verdict(False, "too_long", f"{len(text)} > {max_chars} characters")
    return (
        _promise(text, allowed_promises)
        or _language(text, Lang(lang), facts)
        or _status(text, order_statuses)
        or (_numbers(text, facts) if any(ch.isdigit() for ch in text) else None)
        or PASS
    )


def _sentences(text: str) -> list[str]:
    """Sentences and clauses; a dot inside «02.12» or «ул.Тверская» does not end one."""
    return [s for s in _SENTENCE_RE.split(normalize(text)) if s.strip()]


def _promise(text: str, allowed: Collection[str]) -> Verdict | None:
    """A promise of something no code does (call back, check later, remind). Handoff wins a
    sentence it is in: «передам менеджеру, он перезвонит» is one handoff, not a call."""
    for sentence in _sentences(text):
        for kind, pattern in _PROMISES:
            m = pattern.search(sentence)
            if m:
                if kind not in allowed:
                    return Verdict(False, "promise", f"{kind}: {m.group()}")
                break
    return None


def _language(text: str, lang: Lang, facts: str) -> Verdict | None:
    """Names quoted from the facts in the other script (capitalised words: "Samsung
    Galaxy", «Большая Дмитровка») do not count; lower-case words do, so an English answer
    copied from English facts still fails a Russian dialog. The answer fails only when both
    `detect_language` and the share of its own script say it is in the other language."""
    fact_words = set(_WORD_RE.findall(normalize(facts)))
    foreign = _FOREIGN[lang]
    words = [
        w
        for w in _WORD_RE.findall(text)
        if not (foreign.match(w) and w[0].isupper() and normalize(w) in fact_words)
    ]
    letters = sum(map(len, words))
    if letters < 4:
        return None
    prepared = prepare(" ".join(words), lang)  # `detect_language`, with its evidence
    if prepared.lang is lang or not shows_language(prepared):
        return None  # Latin names without an English word in them are no language
    own = sum(len(w) for w in words if not foreign.match(w)) / letters
    if own >= _MIN_SHARE[lang]:
        return None
    return Verdict(False, "wrong_language", " ".join(words)[:80])


def _stated_statuses(text: str) -> Iterator[tuple[str, bool, str]]:
    """(status, current?, fragment) for each order status the answer states as a fact."""
    for clause in _sentences(text):
        if _HYPOTHETICAL.search(clause):
            continue  # «если заказ будет отправлен», "once it is delivered": not a fact
        for m in _CURRENT_RE.finditer(clause):
            if not _NEGATED_BEFORE.search(clause, 0, m.start()):
                yield "shipped", True, m.group()
        for pattern, status in _STATUS_RE:
            for m in pattern.finditer(clause):
                subject = _SUBJECT_RE.search(clause, max(0, m.start() - 60), m.end())
                if not (subject or _SUBJECT_AFTER.match(clause, m.end())):
                    continue  # «трек-номер отправлен», "delivery is paid": not the order
                if _NEGATED_BEFORE.search(clause, 0, m.start()):
                    continue
                if m.group().startswith("is ") and _POLICY_AFTER.match(clause, m.end()):
                    continue  # "an order is shipped within 24 hours": a policy
                found = status or next(k for k, v in m.groupdict().items() if v)
                if found == "created" and re.search(r"возврат|return|refund", clause):
                    found = "returned"  # «возврат оформлен»
                yield found, False, m.group()


def _status(text: str, order_statuses: Collection[str]) -> Verdict | None:
    passed = set().union(*(_PASSED.get(s, {s}) for s in order_statuses))
    for status, current, fragment in _stated_statuses(text):
        if status not in (order_statuses if current else passed):
            return Verdict(False, "unknown_order_status", f"{status}: {fragment}")
    return None


# ----- numbers: what the facts hold, then each number of the answer against it -----


def _value(number: str) -> float:
    """12990.0 for "12 990", "12,990", "12990"; 1.5 for "1,5"; 1299.99 for "1,299.99"."""
    number = re.sub(r"[\s\u00a0\u202f]", "", number)
    if "," in number and "." in number:
        number = number.replace(",", "")
    whole, sep, fraction = number.rpartition("," if "," in number else ".")
    if sep and len(fraction) <= 2:
        return float(whole.replace(",", "").replace(".", "") + "." + fraction)
    return float(number.replace(",", "").replace(".", ""))


def _dates(text: str) -> Iterator[tuple[int, int, set[tuple[int, int]]]]:
    """(start, end, {(day, month)...}) of each date; «5/12» may be read both ways."""
    for pattern in (DATE_RU, DATE_EN):
        for m in pattern.finditer(text):
            month = (m.group("m") or m.group("m2")).lower()
            key = next(k for k in _MONTH_KEYS if month.startswith(k))
            yield m.start(), m.end(), {(int(m.group("d") or m.group("d2")), MONTHS[key])}
    for m in DATE_NUMERIC.finditer(text):
        a, b = int(m.group("a")), int(m.group("b") or m.group("b2"))
        if m.group("b"):
            yield m.start(), m.end(), {(a, b)}
        elif m.group("y"):  # a slash date needs a year: "24/7" is not the 24th of July
            yield m.start(), m.end(), {(a, b), (b, a)}
    for m in _ISO_DATE_RE.finditer(text):
        yield m.start(), m.end(), {(int(m.group("d")), int(m.group("m")))}


def _terms(text: str) -> Iterator[tuple[int, int, set[tuple[str, int]]]]:
    """(start, end, {(scale, amount)...}): «1–3 дня» is 24 and 72 hours, "1 year" 12 months."""
    for m in _TERM_RE.finditer(text):
        unit = m.group("u").lower()
        scale, size = next(s for u, s in _UNITS if re.fullmatch(u, unit, _I))
        numbers = [int(n) for n in (m.group("a"), m.group("b")) if n]
        yield m.start(), m.end(), {(scale, n * size) for n in numbers}


class _Facts:
    """What the facts hold, each kind in the form the answer's numbers are compared in."""

    def __init__(self, facts: str) -> None:
        plain = {_value(n) for n in _PLAIN_RE.findall(facts)}  # «99990» is a price, too
        self.money = {round(m.amount, 2) for m in find_money(facts)} | plain
        self.dates = {d for _, _, found in _dates(facts) for d in found}
        self.clocks = {(int(m["h"]), int(m["m"])) for m in _CLOCK_RE.finditer(facts)}
        self.terms = {t for _, _, found in _terms(facts) for t in found}
        self.codes = {c.replace("-", "") for c in _CODE_RE.findall(facts)}
        self.runs = set(re.findall(r"\d+", facts))  # every run of digits
        self.groups = {re.sub(r"\D", "", g) for g in _GROUP_RE.findall(facts)}  # "+7 495 123-45-67"

    def readings(self, text: str) -> Iterator[tuple[int, int, str, bool]]:
        """(start, end, reason, known) of each money, date, clock time, term and order code
        of `text`, in this order: the first kind to read some characters claims them."""
        for money in find_money(text):
            yield money.start, money.end, "unknown_price", round(money.amount, 2) in self.money
        for start, end, dates in _dates(text):
            yield start, end, "unknown_date", not dates.isdisjoint(self.dates)
        for m in _CLOCK_RE.finditer(text):
            h, mi = int(m["h"]), int(m["m"])
            known = (h, mi) in self.clocks or (mi == 0 and str(h) in self.runs)
            yield m.start(), m.end(), "unknown_time", known
        for start, end, terms in _terms(text):
            # «с 10 до 21 часа» are the opening hours "10:00–21:00" of the facts
            known = all(
                t in self.terms or (t[0] == "h" and (t[1], 0) in self.clocks) for t in terms
            )
            yield start, end, "unknown_number", known
        for m in _CODE_RE.finditer(text):
            yield m.start(), m.end(), "unknown_order", m.group().replace("-", "") in self.codes


def _numbers(text: str, facts_text: str) -> Verdict | None:
    """Every number of the answer must be in the facts; the ones no kind above reads count
    from three digits up ("150", "2026", "#58213"), each run of a phone on its own."""
    facts = _Facts(facts_text)
    claimed: list[tuple[int, int]] = []
    for start, end, reason, known in facts.readings(text):
        if any(s < end and start < e for s, e in claimed):
            continue
        if not known:
            return Verdict(False, reason, text[start:end].strip())
        claimed.append((start, end))
    rest = list(text)
    for start, end in claimed:
        rest[start:end] = "|" * (end - start)  # not a space: numbers around stay apart
    rest_text = "".join(rest)
    for m in _GROUP_RE.finditer(rest_text):
        runs = {r for r in re.findall(r"\d+", m.group()) if len(r) >= 3}
        if not runs or _PERCENT.match(rest_text, m.end()):  # "100 %" is as harmless as «15 %»
            continue
        if re.sub(r"\D", "", m.group()) in facts.groups or runs <= facts.runs:
            continue
        order = m.group().startswith("#") or _ORDER_BEFORE.search(rest_text, 0, m.start())
        return Verdict(False, "unknown_order" if order else "unknown_number", m.group().strip())
    return None
