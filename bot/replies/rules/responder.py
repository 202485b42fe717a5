"""The rule-based responder: intent decides what to say, the profile's advice decides how."""

from __future__ import annotations

from html import escape

from bot.replies.base import ReplyContext
from bot.replies.rules.phrases import ANSWERS, CAMPAIGN_HINT, EMPATHY, LENGTH_FEEDBACK
from profiling.types import Intent, Lang

_LENGTH_INDEX = {"short": 0, "medium": 1, "long": 2}
# Openers for which a campaign hint is useful: the customer has not said what they want yet.
_OPEN_INTENTS = frozenset({Intent.GREETING, Intent.OTHER})


class RuleResponder:
    """Deterministic, local, always available: the fallback when no LLM is configured or
    the LLM is down, and the baseline the LLM must beat."""

    local = True

    async def reply(self, ctx: ReplyContext) -> str:
        return compose_reply(ctx)


def _length_feedback(ctx: ReplyContext) -> str | None:
    if ctx.signals.asks_shorter:
        return "shorter"
    if ctx.signals.asks_more_detail:
        return "longer"
    return None


def compose_reply(ctx: ReplyContext) -> str:
    lang = ctx.lang if ctx.lang in (Lang.RU, Lang.EN) else Lang.EN
    advice = ctx.advice
    length = advice.length if advice else "medium"
    index = _LENGTH_INDEX.get(length, 1)
    intent = ctx.signals.intent.intent
    lead = advice.lead_with if advice else None

    parts: list[str] = []
    feedback = _length_feedback(ctx)
    if feedback is not None and intent is Intent.OTHER:
        # "Shorter" / "more details" about the previous answer: say so, then give that
        # answer again at the asked length.
        parts.append(LENGTH_FEEDBACK[feedback][lang])
        previous = ctx.previous_intent
        if previous is not None and previous not in _OPEN_INTENTS:
            parts.append(ANSWERS[previous][lang][0 if feedback == "shorter" else 2])
        return escape(" ".join(parts), quote=False)
    if advice and advice.empathetic:
        parts.append(EMPATHY[lang][0 if index == 0 else 1])
    if lead == "handoff" and intent is not Intent.HUMAN_REQUEST:
        # The profile says a human should take over (strong irritation, a problem
        # repeated): say so first, then still answer the question.
        parts.append(ANSWERS[Intent.HUMAN_REQUEST][lang][0])
    parts.append(ANSWERS[intent][lang][index])
    if (
        intent in _OPEN_INTENTS
        and index > 0
        and ctx.source is not None
        and ctx.source.campaign
        and ctx.new_dialog
    ):
        parts.append(CAMPAIGN_HINT[lang])
    return escape(" ".join(parts), quote=False)
