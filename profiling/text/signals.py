"""`analyze_message`: the one call that turns the text of a message into `MessageSignals`.

It prepares the text once and hands the same `PreparedText` to every analyser (style,
sentiment, topics, terminology, intent), so each message is normalised and tokenised a
single time. Urgency («срочно», "asap") and churn threats («больше не закажу», "never
again") are style cues, found in the same scan, and so are requests to clarify («в смысле?»),
impatience («алло», «ну?», "anyone there?"), which raises irritation, and indecision («не
могу выбрать»), which is neither a complaint nor a wait. The intent is reconciled with the
sentiment: thanks in a negative message are sarcasm («спасибо, блин»), read as a complaint.

What it returns is a `MessageSignals` whose rarely read fields are worked out when first
read, from the prepared text it keeps: `caps_ratio` and `lang_clear` (the sentiment and intent
results keep their `cues` the same way). Nothing on the way from a message to a reply or to a
line of `barista analyze` reads them; the profile reads `lang_clear`. Every field has the
value an eager analysis would give, and the object compares, hashes, pickles and prints as a
plain `MessageSignals` (pickling gives one).
"""

from __future__ import annotations

from profiling.text.intents import classify_intent
from profiling.text.lazy import LATER, lazy_variant, setters
from profiling.text.prepare import prepare, shows_language
from profiling.text.sentiment import analyze_sentiment
from profiling.text.style import caps_ratio, style_values
from profiling.text.token_table import vocabulary_scan
from profiling.text.vocabulary import DEFAULT_ANALYZER_CONFIG, AnalyzerConfig
from profiling.types import Intent, IntentResult, Lang, MessageSignals, Sentiment

# Read by the profile (`lang_clear`) or by nobody on the hot paths (`caps_ratio`).
_Analysed = lazy_variant(
    MessageSignals,
    {
        "caps_ratio": lambda text: round(caps_ratio(text), 4),
        "lang_clear": shows_language,
    },
)
_new = object.__new__
(
    _set_text, _set_lang, _set_chars, _set_words, _set_questions, _set_exclamations,
    _set_repeated, _set_caps, _set_emoji, _set_formality, _set_polite, _set_terminology,
    _set_sentiment, _set_intent, _set_more, _set_shorter, _set_topics, _set_urgent,
    _set_leaves, _set_clear, _set_clarify,
) = setters(_Analysed)  # fmt: skip
_THANKS = Intent.THANKS
_NEGATIVE = Sentiment.NEGATIVE
# «спасибо, блин, очень помог», "thanks for nothing": thanks in a negative message mock the
# answer. They are a complaint (an apology is due), and must not ease an open problem as
# real thanks do.
SARCASTIC_THANKS = IntentResult(Intent.COMPLAINT, 0.5, ("sarcastic thanks",))
# «не знаю, что выбрать», "I still can't decide": a buyer weighing the options.
UNDECIDED_INTENT = IntentResult(Intent.COMPARISON, 0.55, ("undecided",))
_UNDECIDED_REPLACES = frozenset({Intent.OTHER, Intent.COMPLAINT, Intent.ORDER_STATUS})


def analyze_message(
    text: str,
    config: AnalyzerConfig = DEFAULT_ANALYZER_CONFIG,
    language_hint: Lang | None = None,
) -> MessageSignals:
    """Every text signal of one incoming message.

    `config` carries the shop's terminology and product aliases; `language_hint` (best: the
    customer's known language) decides the language when the text is not clear about it:
    no letters, or only a brand name or "ok" (see `profiling.text.prepare.language_evidence`).
    """
    prepared = prepare(text, language_hint)
    (
        chars, words, questions, exclamations, repeated, emoji, formality, polite, more,
        shorter, urgent, leaves, clarify, impatient, undecided,
    ) = style_values(prepared)  # fmt: skip
    terminology, topics = vocabulary_scan(config, prepared)
    signals = _new(_Analysed)
    _set_text(signals, prepared)
    _set_lang(signals, prepared.lang)
    _set_chars(signals, chars)
    _set_words(signals, words)
    _set_questions(signals, questions)
    _set_exclamations(signals, exclamations)
    _set_repeated(signals, repeated)
    _set_caps(signals, LATER)
    _set_emoji(signals, emoji)
    _set_formality(signals, formality)
    _set_polite(signals, polite)
    _set_terminology(signals, terminology)
    sentiment = analyze_sentiment(prepared, impatient=impatient, undecided=undecided)
    _set_sentiment(signals, sentiment)
    intent = classify_intent(prepared, is_question=questions > 0, mentions_product=bool(topics))
    if intent.intent is _THANKS and sentiment.label is _NEGATIVE:
        intent = SARCASTIC_THANKS
    elif undecided and intent.intent in _UNDECIDED_REPLACES:
        intent = UNDECIDED_INTENT
    _set_intent(signals, intent)
    _set_more(signals, more)
    _set_shorter(signals, shorter)
    _set_topics(signals, topics)
    _set_urgent(signals, urgent)
    _set_leaves(signals, leaves)
    _set_clear(signals, LATER)
    _set_clarify(signals, clarify)
    return signals
