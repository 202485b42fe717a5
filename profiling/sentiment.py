"""Lexicon-based sentiment and irritation for Russian and English customer messages.

`analyze_sentiment(text)` reads a `PreparedText` (see `profiling.text`) and returns a
`SentimentResult`: a label, a polarity in -1..1, an irritation level in 0..1, whether the
message complains about waiting, and the cues that fired (lexicon entries and rules), so that a
human can see why.

How it works, in one pass over `text.tokens`:

* every token is resolved once (then cached) against the language's hand-written lexicon
  (`profiling.lexicon_en`, `profiling.lexicon_ru`): exact forms first, then the longest
  matching stem, so "ужасн" covers ужасный/ужасно/ужасная;
* negators ("не", "нет", "ни", "без", "not", "no", "never", "n't", "without") open a scope of a
  few tokens: the next sentiment word is flipped (positive words turn clearly negative,
  negative words turn faintly positive), and "service" words that are neutral alone turn
  negative ("не работает", "no response", "связи нет");
* intensifiers multiply the next sentiment word ("очень", "совсем", "very", "so"), diminishers
  damp it ("немного", "slightly");
* "but"/"но"/"однако" halve what came before and weigh what follows more;
* thanks and politeness inside a request ("can you check my booking? thanks") count for less,
  and sarcasm ("thanks for nothing", «спасибо, блин») cancels them;
* phrases (regular expressions, tried only when one of their trigger words occurs) catch
  waiting complaints («жду уже неделю», "on hold for 2 hours"), failures, demands, sarcasm;
* emoticons, emoji and hashtags add their own small weights.

Irritation is a separate score: strength of the negative wording, repeated "?!" runs, CAPS
shouting, profanity, waiting complaints and demands. Punctuation and caps only count when the
message is not positive (exclamation marks are common in praise).
"""

from __future__ import annotations

import math
import re
from types import ModuleType

from profiling import lexicon_en, lexicon_ru
from profiling.text import PreparedText
from profiling.types import Lang, Sentiment, SentimentResult

__all__ = ["LABEL_THRESHOLDS", "analyze_sentiment"]

# ---------------------------------------------------------------------------------------------
# Tunable constants (tuned on the even-hash half of the development data, checked on the odd).

# Raw score needed for a non-neutral label, per language: (negative, positive). A single mild
# word scores about 1. The Russian negative threshold is higher because single mild cues
# (news about a lawsuit, a support agent mentioning «проблем») were a coin flip on the dev data,
# and a false "irritated" costs more than a missed one.
LABEL_THRESHOLDS: dict[Lang, tuple[float, float]] = {
    Lang.EN: (1.0, 1.0),
    Lang.RU: (1.5, 1.0),
}
NEGATION_SCOPE = 3  # tokens after a negator that it can reach
INTENSIFIER_REACH = 2  # tokens after an intensifier that it can reach
FLIP_POSITIVE = -0.9  # "not good": a negated positive word keeps 90 % of its weight, negative
FLIP_NEGATIVE = -0.3  # "not bad": a negated negative word turns faintly positive
MIN_FLIPPED = 1.3  # words weaker than this are left alone by negators
BUT_BEFORE = 0.5  # weight kept by what precedes "but"
BUT_AFTER = 1.3  # weight given to what follows "but"
QUESTION_POSITIVE = 0.6  # praise inside a question counts for less
REQUEST_THANKS = 0.4  # "thanks" closing a question/request is politeness, not praise
HYPOTHETICAL_NEGATIVE = 0.6  # «могут ли заблокировать?»: a question about a possibility
POLITE_QUESTION_NEGATIVE = 0.7  # «подскажите, почему не приходит смс?»: an inquiry
THANKS_DAMPED_BY = 2.0  # negative mass that halves thanks (thanks amid a complaint)
SARCASM_PRAISE = 0.3  # praise kept when a sarcasm phrase fired ("great job losing my bag")
POLARITY_SCALE = 3.0  # polarity = s / sqrt(s^2 + POLARITY_SCALE)
EMOTICON_POSITIVE = 1.0
EMOTICON_NEGATIVE = 1.5
BRACKET_SMILE = 0.7  # "ок)" is friendlier than neutral but not praise; ")))" counts double

# Irritation: each signal adds to a 0..1 score (capped), then the label scales it.
IRRITATION_WORDING = 0.55  # times saturation of the negative mass (half at IRRITATION_HALF)
IRRITATION_HALF = 3.0
IRRITATION_REPEATED = 0.15  # per "??"/"!!!"/"?!" run, at most two; only if not positive
IRRITATION_CAPS = 0.3  # full CAPS shouting; only if not positive
IRRITATION_PROFANITY = 0.3
IRRITATION_WAITING = 0.2
IRRITATION_DEMAND = 0.15
IRRITATION_IF_NEUTRAL = 0.7  # a neutral message is calmer than its signals suggest
IRRITATION_IF_POSITIVE = 0.3  # "SO HAPPY!!!" is not irritation
CAPS_MIN_LETTERS = 12  # shouting needs enough text to judge
CAPS_FROM = 0.4  # share of upper-case letters where shouting starts (below: acronyms, names)
CAPS_SPAN = 0.4  # ... and full shouting at CAPS_FROM + CAPS_SPAN

# Flags of a lexicon entry.
_NEGATOR = 1
_BUT = 2
_THANKS = 4
_WAIT = 8
_PROF = 16
_DEMAND = 32
_POST_NEGATOR = 64
_REQUEST = 128
_SARCASM = 256
_PHRASE_FLAGS = {"W": _WAIT, "D": _DEMAND, "S": _SARCASM, "P": _PROF}

# ---------------------------------------------------------------------------------------------
# Language-independent symbols: emoji, emoticons, punctuation, caps.

_POSITIVE_EMOJI = frozenset(
    "😀😃😄😁😆😊🙂😍🥰😘😗😙😚☺😋😎🤗🤩🥳😇👍👌👏🙌🙏💪🎉🎊✨⭐🌟💯❤♥💕💖💗💓💞💘💝💙💚💛🧡💜🤍"
    "😻😸😺✌🤝🔥🥇🏆"
)
_NEGATIVE_EMOJI = frozenset("😡😠🤬😤😒😞😔😟😕🙁☹😣😖😫😩😢😭😿💔👎💩🙄🤦😑😐🤯😱😨😰😓🤮🤢😬🖕")
# Any pictograph (symbols block and the emoji planes): a cheap range scan, then set lookups.
_PICTO_RE = re.compile("[\u2190-\u2bff\U0001F000-\U0001FAFF]")
# ASCII emoticons: ":)" and "((" are counted from bracket balance, these are the others.
_EMOTICON_RE = re.compile(
    r"(?P<pe>(?<![\w/])(?:[:;=8]-?[dpр3*]|x-?d)(?!\w)|<3|\^_*\^)"
    r"|(?P<ne>(?<![\w/])[:;=]['\-]?[/\\|](?![/\w]))"
)
_EMOTICON_CHARS = (":", ";", "=", "<3", "^", "xd")
_REPEATED_RE = re.compile(r"[!?]{2,}")
# Clause breaks that end a negation's reach ("не всегда. Позор").
_BREAK_RE = re.compile(r"[.,;!?…:()\n]|\s[-–—]\s")
_WORD3_RE = re.compile(r"[^\W\d_]{3,}")
_UPPER_RE = re.compile(r"[A-ZА-ЯЁ]")
_CAPS4_RE = re.compile(r"[A-ZА-ЯЁ]{4}")  # a shouted word; 3-letter runs are acronyms (JFK, МТС)
_HASHTAG_RE = re.compile(r"#([^\W_][\w]*)")

_MISSING = object()


def _sat(x: float, half: float) -> float:
    """0 at 0, 0.5 at `half`, tends to 1."""
    return x / (x + half) if x > 0 else 0.0


class _Lexicon:
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
        "_post_negators",
        "_requests",
        "_stem_lengths",
        "_stems",
        "_thanks",
        "_trigger_lengths",
        "_triggers",
        "cache",
        "hashtags",
        "phrases",
    )

    CACHE_LIMIT = 100_000

    def __init__(self, lex: ModuleType) -> None:
        self.cache: dict[str, tuple | None] = {}
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
            flags[word] = flags.get(word, 0) | _PROF
        for word in lex.WAITING:
            flags[word] = flags.get(word, 0) | _WAIT
        for word in lex.DEMANDS:
            flags[word] = flags.get(word, 0) | _DEMAND
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
        put_stems(lex.PROFANITY_STEMS, 1.0, _PROF)
        put_stems(lex.WAITING_STEMS, 1.0, _WAIT)
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

    def resolve(self, tok: str) -> tuple | None:
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
                        flags |= sub[3] & (_PROF | _WAIT)
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
            flags |= _NEGATOR
            negated = weight  # a negator is not itself negated
        if key in self._post_negators:
            flags |= _POST_NEGATOR
        if key in self._but:
            flags |= _BUT
        if key in self._thanks:
            flags |= _THANKS
        if key in self._requests:
            flags |= _REQUEST
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


_LEXICONS: dict[Lang, _Lexicon] = {Lang.EN: _Lexicon(lexicon_en), Lang.RU: _Lexicon(lexicon_ru)}


# ---------------------------------------------------------------------------------------------


def _clause_starts(lower: str, tokens: tuple[str, ...]) -> list[int]:
    """Indices of the tokens that follow a clause break (punctuation) in `lower`."""
    breaks = [m.start() for m in _BREAK_RE.finditer(lower)]
    if not breaks:
        return []
    starts: list[int] = []
    cur = 0
    b = 0
    nb = len(breaks)
    for j, tok in enumerate(tokens):
        k = lower.find(tok, cur)
        if k < 0:
            break
        if b < nb and breaks[b] < k:
            if j:
                starts.append(j)
            while b < nb and breaks[b] < k:
                b += 1
            if b >= nb:
                break
        cur = k + len(tok)
    return starts


def _symbols(lower: str, questions: int) -> tuple[int, int, int, float]:
    """Repeated "?!" runs, positive and negative emoji/emoticons, bracket-smiley weight."""
    repeated = len(_REPEATED_RE.findall(lower)) if questions + lower.count("!") >= 2 else 0
    emo_pos = 0
    emo_neg = 0
    if not lower.isascii():
        for ch in _PICTO_RE.findall(lower):
            if ch in _POSITIVE_EMOJI:
                emo_pos += 1
            elif ch in _NEGATIVE_EMOJI:
                emo_neg += 1
    for mark in _EMOTICON_CHARS:
        if mark in lower:
            for mo in _EMOTICON_RE.finditer(lower):
                if mo.lastgroup == "pe":
                    emo_pos += 1
                else:
                    emo_neg += 1
            break
    # Bracket smileys, common in Russian: "спасибо)))" / "опять не работает((". A lone
    # unmatched "(" is usually a cut-off parenthesis, so frowns need "((" or a final "(".
    opened = lower.count("(")
    closed = lower.count(")")
    bracket = 0.0
    if closed > opened:
        bracket = BRACKET_SMILE if closed - opened < 3 else 2 * BRACKET_SMILE
    elif opened > closed and ("((" in lower or lower.rstrip().endswith("(")):
        emo_neg += 1 if opened - closed < 3 else 2
    return repeated, emo_pos, emo_neg, bracket


def _caps_ratio(clean: str) -> float:
    """Share of upper-case letters among the letters of words of 3+ letters (0 if too short)."""
    if _CAPS4_RE.search(clean) is None:  # no run of four capitals: no shouting, skip the scan
        return 0.0
    words = _WORD3_RE.findall(clean)
    letters = sum(map(len, words))
    if letters < CAPS_MIN_LETTERS:
        return 0.0
    return len(_UPPER_RE.findall(" ".join(words))) / letters


def analyze_sentiment(text: PreparedText) -> SentimentResult:
    """Label, polarity, irritation, waiting complaint and cues of one prepared message."""
    lex = _LEXICONS.get(text.lang) or _LEXICONS[Lang.EN]
    cache_get = lex.cache.get
    resolve = lex.resolve

    pos = 0.0  # positive mass (praise)
    neg = 0.0  # negative mass (complaints), as a positive number
    thanks = 0.0  # positive mass of thanks/politeness words, scaled later
    clause = 1.0
    neg_left = 0
    mult = 1.0
    mult_left = 0
    func_neg = 0.0  # negated weight of the last "service" word, for "связи нет"
    func_at = -9
    func_key = ""
    waiting = False
    demand = False
    request = False
    profanity = 0
    phrase_ids: set[int] | None = None
    cues: list[str] = []
    tokens = text.tokens
    lower = text.lower
    neg_at = -1
    clause_starts: list[int] | None = None
    hypothetical = text.lang is Lang.RU and "ли" in tokens
    asks = "?" in lower  # in questions a negated complaint stays one: "не обнаглели ли?"

    for i, tok in enumerate(tokens):
        e = cache_get(tok, _MISSING)
        if e is _MISSING:
            e = resolve(tok)
        if e is None:
            if neg_left:
                neg_left -= 1
            if mult_left:
                mult_left -= 1
            continue
        w, nw, m, fl, key, pids = e
        if pids:
            if phrase_ids is None:
                phrase_ids = set(pids)
            else:
                phrase_ids.update(pids)
        if fl & _BUT:
            if pos or neg or thanks:
                cues.append("but")
            pos *= BUT_BEFORE
            neg *= BUT_BEFORE
            thanks *= BUT_BEFORE
            clause = BUT_AFTER
            neg_left = 0
            mult_left = 0
            continue
        v = w
        negated = False
        if neg_left and not fl & _NEGATOR and nw != w and not (asks and w < 0):
            if clause_starts is None:
                clause_starts = _clause_starts(lower, tokens)
            neg_left = 0
            for k in clause_starts:
                if neg_at < k <= i:
                    break  # a clause break lies between the negator and this word
            else:
                v = nw
                negated = True
        elif fl & _POST_NEGATOR and i - func_at <= 2:
            # "связи нет", "ответа нет": the service word before the negator is denied.
            neg -= func_neg * clause
            cues.append("negation")
            cues.append("negated:" + func_key)
            func_at = -9
        elif neg_left:
            neg_left -= 1
        if v:
            if mult_left and not fl & _NEGATOR:
                v *= mult
                cues.append("intensifier")
                mult_left = 0
            v *= clause
            if negated:
                cues.append("negation")
                cues.append("negated:" + key)
            if v > 0:
                if fl & _THANKS:
                    thanks += v
                else:
                    pos += v
                if not negated:
                    cues.append("pos:" + key)
            else:
                neg -= v
                if fl & _PROF:
                    profanity += 1
                    cues.append("profanity")
                elif not negated:
                    cues.append("neg:" + key)
                if fl & _WAIT:
                    waiting = True
        elif nw < 0 and not fl & _NEGATOR:
            func_neg = nw
            func_key = key
            func_at = i
        if fl & _DEMAND:
            demand = True
        if fl & _REQUEST:
            request = True
        if m != 1.0:
            mult = m if not mult_left else mult * m
            mult_left = INTENSIFIER_REACH
        elif mult_left and not v:
            mult_left -= 1
        if fl & _NEGATOR:
            neg_left = NEGATION_SCOPE
            neg_at = i

    raw = text.raw
    sarcasm = False
    if phrase_ids:
        for pid in sorted(phrase_ids):
            rx, weight, cue, bits = lex.phrases[pid]
            if rx.search(lower) is None:
                continue
            cues.append(cue)
            if weight > 0:
                pos += weight
            else:
                neg -= weight
            if bits & _WAIT:
                waiting = True
            if bits & _DEMAND:
                demand = True
            if bits & _SARCASM:
                sarcasm = True
            if bits & _PROF:
                profanity += 1

    questions = lower.count("?")
    repeated, emo_pos, emo_neg, bracket = _symbols(lower, questions)
    if emo_pos or bracket:
        pos += EMOTICON_POSITIVE * min(emo_pos, 2) + bracket
        cues.append("emoji:pos")
    if emo_neg:
        neg += EMOTICON_NEGATIVE * min(emo_neg, 2)
        cues.append("emoji:neg")

    if "#" in raw:
        for tag in _HASHTAG_RE.findall(raw):
            tag = tag.lower()
            for sub, weight in lex.hashtags:
                if sub in tag:
                    if weight > 0:
                        pos += weight
                    else:
                        neg -= weight
                    cues.append("hashtag:" + sub)
                    break

    # Politeness vs praise: thanks closing a request, sarcastic thanks.
    if sarcasm:
        thanks = 0.0
        pos *= SARCASM_PRAISE
    elif questions:
        thanks *= REQUEST_THANKS
        pos *= QUESTION_POSITIVE
    elif request:
        thanks *= REQUEST_THANKS
    if hypothetical:
        neg *= HYPOTHETICAL_NEGATIVE
    elif request and questions:
        neg *= POLITE_QUESTION_NEGATIVE
    if neg >= THANKS_DAMPED_BY:
        thanks *= 0.5  # "весь день без связи! спасибо за это"
    pos += thanks

    score = pos - neg
    neg_threshold, pos_threshold = LABEL_THRESHOLDS.get(text.lang, LABEL_THRESHOLDS[Lang.EN])
    if score <= -neg_threshold:
        label = Sentiment.NEGATIVE
    elif score >= pos_threshold:
        label = Sentiment.POSITIVE
    else:
        label = Sentiment.NEUTRAL
    polarity = score / math.sqrt(score * score + POLARITY_SCALE)

    # Irritation.
    irritation = IRRITATION_WORDING * _sat(neg, IRRITATION_HALF)
    if label is not Sentiment.POSITIVE:
        if repeated:
            irritation += IRRITATION_REPEATED * min(repeated, 2)
            cues.append("repeated_punct")
        caps = _caps_ratio(text.clean)
        if caps > CAPS_FROM:
            irritation += IRRITATION_CAPS * min(1.0, (caps - CAPS_FROM) / CAPS_SPAN)
            cues.append("caps")
    if profanity:
        irritation += IRRITATION_PROFANITY
    if waiting:
        irritation += IRRITATION_WAITING
    if demand:
        irritation += IRRITATION_DEMAND
        if not any(c.startswith("demand:") for c in cues):
            cues.append("demand")
    if label is Sentiment.POSITIVE:
        irritation *= IRRITATION_IF_POSITIVE
    elif label is Sentiment.NEUTRAL:
        irritation *= IRRITATION_IF_NEUTRAL
    irritation = min(1.0, irritation)

    return SentimentResult(
        label=label,
        polarity=round(polarity, 4),
        irritation=round(irritation, 4),
        waiting_complaint=waiting and label is Sentiment.NEGATIVE,
        cues=tuple(dict.fromkeys(cues)),
    )
