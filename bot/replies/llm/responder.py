"""The LLM responder: the rule engine's answer first (local, instant, grounded), then the
model's wording of it for this person — used only when it passes the check.

Any failure — a timeout, a refused or dropped request, an empty answer, too many requests in
flight, an answer that states a price, a date, an order status or a term the context does not
contain, or in the wrong language, or too long — sends the rule engine's reply instead, and
`Reply.path` says which path answered and why ("llm", "rules:timeout", "rules:unknown_price").
The customer never sees an error and never waits past LLM_TIMEOUT.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from html import escape, unescape

from bot.replies.base import Reply, ReplyContext
from bot.replies.knowledge import Knowledge
from bot.replies.llm.check import check_answer
from bot.replies.llm.client import ChatClient, LlmError
from bot.replies.llm.prompt import build_prompt
from bot.replies.retrieval import KnowledgeIndex
from bot.replies.rules.responder import RuleResponder

log = logging.getLogger(__name__)

# Replies the rules own outright: buttons that must match their words, a question the dialog
# state waits for, a re-render the customer asked for.
_RULES_ONLY_TOPICS = frozenset({"catalog"})


class LlmResponder:
    local = False

    def __init__(self, client: ChatClient, rules: RuleResponder, *, region: str = "RU") -> None:
        self.client = client
        self.rules = rules
        self.region = region

    @property
    def knowledge(self) -> Knowledge | None:
        return self.rules.knowledge

    @property
    def index(self) -> KnowledgeIndex | None:
        return self.rules.index

    async def reply(self, ctx: ReplyContext) -> Reply:
        draft = await self.rules.reply(ctx)
        if draft.options or draft.topic in _RULES_ONLY_TOPICS:
            return replace(draft, path="rules:own")
        prompt = build_prompt(ctx, _plain(draft), self.knowledge, self.index, region=self.region)
        try:
            answer = await self.client.complete(prompt.messages)
        except LlmError as exc:
            log.warning("LLM gave no answer (%s); the rules answer", exc)
            return replace(draft, path=f"rules:{exc.reason}")
        verdict = check_answer(
            answer,
            lang=prompt.lang,
            max_chars=prompt.max_chars,
            facts=prompt.facts,
            order_statuses=prompt.order_statuses,
        )
        if not verdict.ok:
            log.info(
                "LLM answer refused (%s: %s); the rules answer", verdict.reason, verdict.detail
            )
            return replace(draft, path=f"rules:{verdict.reason}")
        # The model writes plain text; the channel speaks HTML.
        return replace(draft, text=escape(answer, quote=False), path="llm")


def _plain(reply: Reply) -> Reply:
    """The draft as plain text (the rules escape their replies for HTML)."""
    return replace(reply, text=unescape(reply.text))
