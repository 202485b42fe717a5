"""Lexicon-based sentiment and irritation for Russian and English customer messages.

`analyze_sentiment(text)` reads a `PreparedText` (see `profiling.text.prepare`) and returns a
`SentimentResult`: a label, a polarity in -1..1, an irritation level in 0..1, whether the
message complains about waiting, and the cues that fired (lexicon entries and rules), so that a
human can see why.

How it works, in one pass over `text.tokens`:

* every token is resolved once (then cached) against the language's hand-written lexicon
  (`profiling.text.lexicon_en`, `.lexicon_ru`, compiled by `.sentiment_lexicon`):
  exact forms first, then the longest matching stem, so "ужасн" covers ужасный/ужасно/ужасная;
* negators ("не", "нет", "ни", "без", "not", "no", "never", "n't", "without") open a scope of a
  few tokens: the next sentiment word is flipped (positive words turn clearly negative,
  negative words turn faintly positive), and "service" words that are neutral alone turn
  negative ("не работает", "no response", "связи нет"). Russian «не» does not deny a service
  noun right after it: «не смс, а звонок» is a contrast, «нет смс» / «не было смс» a failure;
* reversers act against the bad word that follows («сократил убыток», "prevent fraud");
* intensifiers multiply the next sentiment word ("очень", "совсем", "very", "so"), diminishers
  damp it ("немного", "slightly");
* "but"/"но"/"однако" halve what came before and weigh what follows more.

Then `profiling.text.sentiment_rules` looks at the message as a whole: phrases (waiting complaints,
failures, demands, sarcasm, agent formulas), emoji and hashtags, politeness versus praise, and
the corroboration that weak negative evidence needs before the message is labelled negative.

Irritation is a separate score: strength of the negative wording, repeated "?!" runs, CAPS
shouting, profanity, waiting complaints (only in a negative message) and demands. Punctuation
and caps only count when the message is not positive (exclamation marks are common in praise).
"""

from __future__ import annotations

import math
import re
from itertools import chain, compress

from profiling.text.lazy import LATER, lazy_variant, setters
from profiling.text.prepare import PreparedText
from profiling.text.sentiment_lexicon import (
    BUT,
    DEMAND,
    LEXICONS,
    NEGATOR,
    NOUN,
    POST_NEGATOR,
    PROF,
    REQUEST,
    REVERSER,
    THANKS,
    VERB_NEGATOR,
    WAIT,
    CompiledLexicon,
    Entry,
    scoring_entry,
)
from profiling.text.sentiment_rules import (
    LABEL_THRESHOLDS,
    WEAK_CUE,
    Evidence,
    apply_hashtags,
    apply_phrases,
    apply_symbols,
    settle,
)
from profiling.text.sentiment_symbols import caps_ratio, clause_starts, single_question
from profiling.text.token_table import PHRASE_IDS, SENTIMENT_ENTRY, records
from profiling.types import Lang, Sentiment, SentimentResult

# Enum members as module constants: `Sentiment.NEGATIVE` is a class attribute lookup
# (tens of nanoseconds, several per message), a global is not.
_EN, _RU = Lang.EN, Lang.RU
_NEGATIVE, _NEUTRAL, _POSITIVE = Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE

__all__ = ["LABEL_THRESHOLDS", "analyze_sentiment"]

# ---------------------------------------------------------------------------------------------
# Tunable constants (tuned on the even-hash half of the development data, checked on the odd).

NEGATION_SCOPE = 3  # tokens after a negator that it can reach
REVERSE_SCOPE = 3  # tokens after a reverser ("сократил", "prevent") that it can reach
REVERSED = -0.25  # "сократил убыток": the bad word turns faintly good (a warning is no praise)
INTENSIFIER_REACH = 2  # tokens after an intensifier that it can reach
BUT_BEFORE = 0.5  # weight kept by what precedes "but"
BUT_AFTER = 1.3  # weight given to what follows "but"
POLARITY_SCALE = 3.0  # polarity = s / sqrt(s^2 + POLARITY_SCALE)

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
# Impatience («алло», «ну?», "anyone there?", "где заказ??", shouting in CAPITALS) in a
# message that is not positive: at least this irritated, the level at which the profile
# reads a customer as upset (`profiling.profile.meaning.UPSET_IRRITATION`).
IRRITATION_IMPATIENT = 0.35
SHOUTING = 0.8  # a caps ratio from which a message shouts (impatience, not an acronym)
# Indecision («не могу выбрать», "I still can't decide") is not annoyance: what irritation its
# negated verbs add is mostly taken away, and it is never a complaint about waiting.
IRRITATION_IF_UNDECIDED = 0.3
UNDECIDED_NEGATIVE_FLOOR = -0.9  # polarity below which the message is negative regardless
CAPS_FROM = 0.4  # share of upper-case letters where shouting starts (below: acronyms, names)
CAPS_SPAN = 0.4  # ... and full shouting at CAPS_FROM + CAPS_SPAN

_HASHTAG_RE = re.compile(r"#([^\W_][\w]*)")


def _sat(x: float, half: float) -> float:
    """0 at 0, 0.5 at `half`, tends to 1."""
    return x / (x + half) if x > 0 else 0.0


def _denies_noun(lex: CompiledLexicon, tokens: tuple[str, ...], neg_at: int, i: int) -> bool:
    """Whether the verb negator at `neg_at` can deny the service noun at `i`.

    «не» right before the noun, or with only prepositions between, marks a contrast («не смс,
    а звонок», «не внутри сети»); «не было сигнала» denies it, and so does a negated verb whose
    object the noun is («не вижу реакции»).
    """
    if neg_at + 1 < len(tokens) and tokens[neg_at + 1] in lex.existential:
        return True
    return not all(tokens[k] in lex.noun_fillers for k in range(neg_at + 1, i))


def _entries(lex: CompiledLexicon, text: PreparedText) -> tuple[list[Entry | None], set[int]]:
    """The scoring entry of every token (None: nothing to score, see `scoring_entry`) and the
    ids of the phrases the tokens trigger."""
    if LEXICONS.get(text.lang) is lex:  # looked up once for every analyser
        found = records(text)
        return list(map(SENTIMENT_ENTRY, found)), set(chain.from_iterable(map(PHRASE_IDS, found)))
    entries = list(map(lex.cache.__getitem__, text.tokens))
    phrase_ids = {pid for entry in entries if entry is not None for pid in entry[5]}
    return list(map(scoring_entry, entries)), phrase_ids


def _read_tokens(lex: CompiledLexicon, text: PreparedText, ev: Evidence) -> set[int]:
    """The token pass: fill `ev` with word weights; return the ids of the phrases to try."""
    cues = ev.cues
    pos = neg = weak = peak = thanks = 0.0
    events = 0
    clause = 1.0
    neg_left = 0
    neg_at = -1
    verb_negation = False  # the open negation is «не», which does not deny nouns by itself
    rev_left = 0  # tokens a reverser ("сократил", "prevent") can still reach
    mult = 1.0
    mult_left = 0
    func_neg = 0.0  # negated weight of the last "service" word, for "связи нет"
    func_at = -9
    func_key = ""
    tokens = text.tokens
    lower = text.lower
    breaks_at: list[int] | None = None
    asks = "?" in lower  # in questions a negated complaint stays one: "не обнаглели ли?"

    # Only tokens with an entry are visited; a run of `gap` tokens without one between them
    # shortens the reach of the open negation, reverser and intensifier by `gap`, as if each
    # had been stepped over.
    entries, phrase_ids = _entries(lex, text)
    last = -1
    for i in compress(range(len(entries)), entries):
        gap = i - last - 1
        last = i
        if gap:
            if neg_left:
                neg_left = neg_left - gap if neg_left > gap else 0
            if rev_left:
                rev_left = rev_left - gap if rev_left > gap else 0
            if mult_left:
                mult_left = mult_left - gap if mult_left > gap else 0
        w, nw, m, fl, key, _ = entries[i]
        if fl & BUT:
            if pos or neg or thanks:
                cues.append("but")
            pos *= BUT_BEFORE
            neg *= BUT_BEFORE
            weak *= BUT_BEFORE
            peak *= BUT_BEFORE
            thanks *= BUT_BEFORE
            clause = BUT_AFTER
            neg_left = 0
            mult_left = 0
            rev_left = 0
            continue
        v = w
        negated = False
        reversed_ = False
        if (
            neg_left
            and not fl & NEGATOR
            and nw != w
            and not (asks and w < 0)
            and not (fl & NOUN and verb_negation and not _denies_noun(lex, tokens, neg_at, i))
        ):
            if breaks_at is None:
                breaks_at = clause_starts(lower, tokens)
            neg_left = 0
            for k in breaks_at:
                if neg_at < k <= i:
                    break  # a clause break lies between the negator and this word
            else:
                v = nw
                negated = True
        elif fl & POST_NEGATOR and i - func_at <= 2:
            # "связи нет", "ответа нет": the service word before the negator is denied.
            neg -= func_neg * clause
            events += 1
            peak = max(peak, -func_neg * clause)
            cues.append("negation")
            cues.append("negated:" + func_key)
            func_at = -9
        elif neg_left:
            neg_left -= 1
        if v:
            if mult_left and not fl & NEGATOR:
                v *= mult
                cues.append("intensifier")
                mult_left = 0
            v *= clause
            if negated:
                cues.append("negation")
                cues.append("negated:" + key)
            elif rev_left and v < 0:
                # "сократил убыток", "prevent fraud": acting against a bad thing is not bad.
                v *= REVERSED
                cues.append("reversed:" + key)
                rev_left = 0
                reversed_ = True
            if v > 0:
                if fl & THANKS:
                    thanks += v
                else:
                    pos += v
                if not (negated or reversed_):
                    cues.append("pos:" + key)
            else:
                neg -= v
                # A denied service word or a word of weight 1+ is substantive evidence;
                # lighter words ("уже", "почему") only colour it (see sentiment_rules).
                if negated or w <= -WEAK_CUE:
                    events += 1
                    if -v > peak:
                        peak = -v
                else:
                    weak -= v
                if fl & PROF:
                    ev.profanity += 1
                    cues.append("profanity")
                elif not negated:
                    cues.append("neg:" + key)
                if fl & WAIT:
                    ev.waiting = True
        elif nw < 0 and not fl & NEGATOR:
            func_neg = nw
            func_key = key
            func_at = i
        if fl & DEMAND:
            ev.demand = True
        if fl & REQUEST:
            ev.request = True
        if m != 1.0:
            mult = m if not mult_left else mult * m
            mult_left = INTENSIFIER_REACH
        elif mult_left and not v:
            mult_left -= 1
        if fl & NEGATOR:
            neg_left = NEGATION_SCOPE
            neg_at = i
            verb_negation = bool(fl & VERB_NEGATOR)
        if fl & REVERSER and not neg_left:
            rev_left = REVERSE_SCOPE
        elif rev_left:
            rev_left -= 1

    ev.pos = pos
    ev.neg = neg
    ev.weak = weak
    ev.peak = peak
    ev.events = events
    ev.thanks = thanks
    return phrase_ids


def _irritation(
    ev: Evidence, text: PreparedText, label: Sentiment, repeated: int, impatient: bool
) -> float:
    """Irritation in 0..1 from the negative mass, "?!" runs, caps, profanity, waiting, demands
    and impatience."""
    cues = ev.cues
    irritation = IRRITATION_WORDING * _sat(ev.neg, IRRITATION_HALF)
    floor = 0.0
    if label is not _POSITIVE:
        if repeated:
            irritation += IRRITATION_REPEATED * min(repeated, 2)
            cues.append("repeated_punct")
        caps = caps_ratio(text.clean)
        if caps > CAPS_FROM:
            irritation += IRRITATION_CAPS * min(1.0, (caps - CAPS_FROM) / CAPS_SPAN)
            cues.append("caps")
            if caps >= SHOUTING:
                impatient = True
        if impatient:
            floor = IRRITATION_IMPATIENT
            cues.append("impatience")
    if ev.profanity:
        irritation += IRRITATION_PROFANITY
    if ev.waiting and label is _NEGATIVE:
        # Only a complaint about waiting irritates: "how long does shipping take?" asks.
        irritation += IRRITATION_WAITING
    if ev.demand:
        irritation += IRRITATION_DEMAND
        if not any(c.startswith("demand:") for c in cues):
            cues.append("demand")
    if label is _POSITIVE:
        irritation *= IRRITATION_IF_POSITIVE
    elif label is _NEUTRAL:
        irritation *= IRRITATION_IF_NEUTRAL
    return min(1.0, max(irritation, floor))


def analyze_sentiment(
    text: PreparedText, *, impatient: bool = False, undecided: bool = False
) -> SentimentResult:
    """Label, polarity, irritation, waiting complaint and cues of one prepared message.

    `impatient` and `undecided` are style cues (`profiling.text.style`) the caller found in
    the same text: impatience («алло», «ну?», "anyone there?") raises irritation to at least
    IRRITATION_IMPATIENT; indecision («не могу выбрать», "I still can't decide") is neither a
    waiting complaint nor, unless strongly worded, negative.
    """
    lex = LEXICONS.get(text.lang) or LEXICONS[_EN]
    ev = Evidence()
    phrase_ids = _read_tokens(lex, text, ev)
    lower = text.lower
    if phrase_ids:
        apply_phrases(ev, lex, lower, phrase_ids)
    questions = lower.count("?")
    repeated = apply_symbols(ev, lower, questions)
    if "#" in text.raw:
        apply_hashtags(ev, lex, _HASHTAG_RE.findall(text.raw))

    hypothetical = text.lang is _RU and "ли" in text.tokens
    single = questions == 1 and single_question(lower)
    score, neg_threshold, pos_threshold = settle(
        ev, text.lang, len(text.tokens), questions, repeated, hypothetical, single, "!" in lower
    )
    if score <= -neg_threshold:
        label = _NEGATIVE
    elif score >= pos_threshold:
        label = _POSITIVE
    else:
        label = _NEUTRAL
    polarity = score / math.sqrt(score * score + POLARITY_SCALE)
    if undecided:
        ev.waiting = False
        if label is _NEGATIVE and polarity > UNDECIDED_NEGATIVE_FLOOR and not ev.profanity:
            label = _NEUTRAL
            polarity = 0.0
        ev.cues.append("undecided")
    irritation = _irritation(ev, text, label, repeated, impatient)
    if undecided:
        irritation *= IRRITATION_IF_UNDECIDED

    result = _new(_Sentiment)
    _set_source(result, ev.cues)
    _set_label(result, label)
    _set_polarity(result, round(polarity, 4))
    _set_irritation(result, round(irritation, 4))
    _set_waiting(result, ev.waiting and label is _NEGATIVE)
    _set_cues(result, LATER)
    return result


# The cues (for explanations and the evaluation reports) are deduplicated when first read.
_Sentiment = lazy_variant(SentimentResult, {"cues": lambda cues: tuple(dict.fromkeys(cues))})
_new = object.__new__
_set_source, _set_label, _set_polarity, _set_irritation, _set_waiting, _set_cues = setters(
    _Sentiment
)
