"""The `data` blocks of webhook payloads: who the customer is, their scores, and why.

Every event that names a customer carries the same `customer` block, so a CRM matches it one
way (the internal id, or the shop's own id once the chat is linked to a shop customer).
Reasons are written out in words in the customer's language and in English.
"""

from __future__ import annotations

from typing import Any

from profiling.assess.explain import render_reason
from profiling.assess.scores import Score
from profiling.assess.segments import SegmentScore
from profiling.engine import Assessment
from profiling.types import Lang, Reason
from storage.models import Customer

MAX_REASONS = 5


def customer_block(customer: Customer, shop_customer_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "id": customer.id,
        "channel": customer.channel,
        "username": customer.username,
        "first_name": customer.first_name,
        "language": customer.language,
    }
    if shop_customer_id is not None:
        block["shop_customer_id"] = shop_customer_id
    return block


def scores_block(assessment: Assessment) -> dict[str, Any]:
    """Hotness and churn risk (0-100) and every segment's value and confidence (0-1)."""
    return {
        "hotness": assessment.hotness.value,
        "churn_risk": assessment.churn.value,
        "segments": {
            segment.value: {"value": round(s.value, 4), "confidence": round(s.confidence, 4)}
            for segment, s in assessment.segments.items()
        },
    }


def reason_block(reason: Reason, lang: Lang) -> dict[str, Any]:
    return {
        "code": reason.code,
        "value": round(reason.value, 4),
        "contribution": round(reason.contribution, 4),
        "text": render_reason(reason, lang),
        "text_en": render_reason(reason, Lang.EN),
    }


def reasons_block(score: Score | SegmentScore, lang: Lang) -> list[dict[str, Any]]:
    """The strongest reasons behind one score, in words."""
    return [reason_block(reason, lang) for reason in score.reasons[:MAX_REASONS]]
