"""Rows and assessments as the API's response models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import as_utc
from bot.shop.schemas import (
    EventSource,
    OrderItem,
    OrderOut,
    OrderSummaryOut,
    ProfileOut,
    ScoreOut,
    SegmentOut,
    StatusChangeOut,
)
from profiling.assess.explain import render_reason
from profiling.assess.scores import Score
from profiling.engine import Assessment
from profiling.types import Lang
from storage.models import AdSource, ShopOrder


def order_out(order: ShopOrder, shop_customer_id: str, *, created: bool, linked: bool) -> OrderOut:
    return OrderOut(
        shop_order_id=order.shop_id,
        customer_id=shop_customer_id,
        status=order.status,  # type: ignore[arg-type]
        total=float(order.total),
        currency=order.currency,
        items=[OrderItem.model_validate(item) for item in order.items],
        created_at=as_utc(order.ordered_at),
        updated_at=as_utc(order.updated_at),
        status_history=[
            StatusChangeOut(status=c["status"], at=datetime.fromisoformat(c["at"]))  # type: ignore[arg-type]
            for c in order.history
        ],
        created=created,
        linked=linked,
    )


def order_summary(order: ShopOrder) -> OrderSummaryOut:
    return OrderSummaryOut(
        shop_order_id=order.shop_id,
        status=order.status,  # type: ignore[arg-type]
        total=float(order.total),
        currency=order.currency,
        created_at=as_utc(order.ordered_at),
    )


def _reasons(score: object, lang: Lang) -> list[str]:
    return [render_reason(r, lang) for r in getattr(score, "reasons", ())]


def _score(score: Score, lang: Lang) -> ScoreOut:
    return ScoreOut(value=float(score.value), reasons=_reasons(score, lang))


def source_out(source: AdSource | None) -> EventSource | None:
    if source is None:
        return None
    return EventSource(campaign=source.campaign, ad=source.ad, creative=source.creative)


def profile_out(
    shop_customer_id: str,
    *,
    linked: bool,
    language: str | None,
    assessment: Assessment | None,
    orders: Sequence[ShopOrder],
    source: AdSource | None,
    lang: Lang = Lang.EN,
) -> ProfileOut:
    """The profile the shop asked for; reasons in words (English by default: a CRM's
    language, not the customer's)."""
    segments: list[SegmentOut] = []
    if assessment is not None:
        ranked = sorted(assessment.segments.items(), key=lambda kv: (-kv[1].value, kv[0].value))
        segments = [
            SegmentOut(
                segment=segment.value,
                score=round(min(1.0, max(0.0, score.value)), 4),
                confidence=round(min(1.0, max(0.0, score.confidence)), 4),
                reasons=_reasons(score, lang),
            )
            for segment, score in ranked
        ]
    return ProfileOut(
        shop_customer_id=shop_customer_id,
        linked=linked,
        language=language,
        segments=segments,
        hotness=_score(assessment.hotness, lang) if assessment else None,
        churn_risk=_score(assessment.churn, lang) if assessment else None,
        active_hours=list(assessment.active_hours) if assessment else [],
        orders=[order_summary(o) for o in orders],
        source=source_out(source),
    )
