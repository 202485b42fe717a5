"""`analyze_message`: the one call that turns the text of a message into `MessageSignals`.

It prepares the text once and hands the same `PreparedText` to every analyser (style,
sentiment, topics, terminology, intent), so each message is normalised and tokenised a
single time. Urgency («срочно», "asap") and churn threats («больше не закажу», "never
again") are style cues, found in the same scan.
"""

from __future__ import annotations

from profiling.text.intents import classify_intent
from profiling.text.prepare import CLEAR_LANGUAGE, language_evidence, prepare
from profiling.text.sentiment import analyze_sentiment
from profiling.text.style import analyze_style
from profiling.text.token_table import vocabulary_scan
from profiling.text.vocabulary import DEFAULT_ANALYZER_CONFIG, AnalyzerConfig
from profiling.types import Lang, MessageSignals


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
    style = analyze_style(prepared)
    terminology, topics = vocabulary_scan(config, prepared)
    intent = classify_intent(
        prepared, is_question=style.questions > 0, mentions_product=bool(topics)
    )
    return MessageSignals(
        lang=prepared.lang,
        chars=style.chars,
        words=style.words,
        questions=style.questions,
        exclamations=style.exclamations,
        repeated_punct=style.repeated_punct,
        caps_ratio=style.caps_ratio,
        emoji=style.emoji,
        formality=style.formality,
        polite=style.polite,
        terminology=terminology,
        sentiment=analyze_sentiment(prepared),
        intent=intent,
        asks_more_detail=style.asks_more_detail,
        asks_shorter=style.asks_shorter,
        topics=topics,
        urgent=style.urgent,
        threatens_to_leave=style.threatens_to_leave,
        lang_clear=language_evidence(prepared) >= CLEAR_LANGUAGE,
    )
