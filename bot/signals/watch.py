"""When a customer's scores cross a threshold, tell the CRM — once, not on every message.

Each signal (lead hotness, churn risk, irritation, each kind of need) fires when its score
rises to its threshold, and stays quiet while the score stays up. It is *re-armed* — may fire
again — only after the score has fallen `hysteresis` points below the threshold, so a score
that wobbles around the threshold does not flood the CRM. Scores are on a 0-100 scale
(segment values 0-1 are multiplied by 100).

This runs on every customer message, inside the core's transaction, so the common case must
cost no database query: the watch keeps in memory which customers have an active (fired, not
re-armed) signal — loaded once, on first use, then kept up to date by this process, the only
one that writes signal state for its bot (the core serialises a customer's events in-process).
A customer with no active signal whose scores are below every threshold costs a few
comparisons. Changes reach that memory only after the transaction that made them commits
(`committed(session)`), so a rolled-back unit neither fires nor silences anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.settings import Settings
from bot.signals.events import SignalType
from bot.signals.outbox import enqueue, take_enqueued
from bot.signals.payloads import customer_block, reasons_block, scores_block
from profiling.assess.scores import Score
from profiling.assess.segments import Segment, SegmentScore
from profiling.engine import Assessment
from storage.models import Customer
from storage.repositories import outbox as repository

# Segments whose rise is a need the shop can act on (irritation has its own signal).
NEED_SEGMENTS = (
    Segment.URGENT,
    Segment.RESEARCHER,
    Segment.DOUBTING_BUYER,
    Segment.RETURNING_WITH_PROBLEM,
    Segment.PRICE_SENSITIVE,
)

# session.info key: this transaction's signal changes, {customer id: {key: active}}.
_PENDING = "barista.signal_changes"
_ROLLBACK_HOOKED = "barista.signal_rollback_hooked"
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Scores (0-100) at which each signal fires, and how far below it re-arms."""

    hot_lead: int = 70
    unhappy: int = 60
    churn_risk: int = 70
    need: int = 60
    hysteresis: int = 15

    def __post_init__(self) -> None:
        for name in ("hot_lead", "unhappy", "churn_risk", "need"):
            value = getattr(self, name)
            if not 1 <= value <= 100:
                raise ValueError(f"{name} threshold must be 1-100, got {value}")
            if not 1 <= self.hysteresis < value:
                raise ValueError(
                    f"hysteresis ({self.hysteresis}) must be at least 1 and below the "
                    f"{name} threshold ({value})"
                )

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(
            hot_lead=settings.hot_lead_threshold,
            unhappy=settings.unhappy_threshold,
            churn_risk=settings.churn_risk_threshold,
            need=settings.need_threshold,
            hysteresis=settings.signal_hysteresis,
        )


@dataclass(frozen=True, slots=True)
class _Watched:
    key: str  # the signal state's key: the event type, ":" + the segment for needs
    event_type: SignalType
    threshold: int
    rearm_at: int  # at or below this the signal may fire again
    segment: Segment | None  # None: a 0-100 score (hotness or churn)
    hotness: bool = False

    def score(self, assessment: Assessment) -> tuple[Score | SegmentScore | None, float]:
        if self.segment is None:
            score = assessment.hotness if self.hotness else assessment.churn
            return score, float(score.value)
        segment_score = assessment.segments.get(self.segment)
        return segment_score, 0.0 if segment_score is None else segment_score.value * 100.0


def _watched(t: Thresholds) -> tuple[_Watched, ...]:
    h = t.hysteresis
    signals = [
        _Watched("lead.hot", SignalType.LEAD_HOT, t.hot_lead, t.hot_lead - h, None, True),
        _Watched(
            "customer.churn_risk", SignalType.CHURN_RISK, t.churn_risk, t.churn_risk - h, None
        ),
        _Watched(
            "customer.unhappy",
            SignalType.CUSTOMER_UNHAPPY,
            t.unhappy,
            t.unhappy - h,
            Segment.IRRITATED,
        ),
    ]
    signals.extend(
        _Watched(
            f"{SignalType.NEED_DETECTED}:{segment.value}",
            SignalType.NEED_DETECTED,
            t.need,
            t.need - h,
            segment,
        )
        for segment in NEED_SEGMENTS
    )
    return tuple(signals)


def _discard_pending(session: Session, *_: Any) -> None:
    """A rolled-back transaction's signal changes never happened."""
    session.info.pop(_PENDING, None)


class SignalWatch:
    def __init__(self, thresholds: Thresholds, *, notify: Callable[[], None] | None = None) -> None:
        """`notify` is called after a commit that enqueued events (the dispatcher's
        `notify`, so they go out at once instead of at its next poll)."""
        self.thresholds = thresholds
        self.notify = notify
        self._watched = _watched(thresholds)
        self._active: dict[int, frozenset[str]] | None = None  # None until loaded
        self._loading = asyncio.Lock()

    async def check(
        self,
        session: AsyncSession,
        customer: Customer,
        assessment: Assessment,
        now: datetime,
        *,
        shop_customer_id: str | None = None,
    ) -> list[str]:
        """Fire the signals this assessment crosses up into, re-arm those it fell far enough
        below; returns the webhook ids of the events added to the session's transaction.

        `shop_customer_id`: the shop's id of the linked customer, when the caller knows it;
        otherwise it is looked up, and only when a signal fires.
        """
        customer_id = customer.id
        assert customer_id is not None, "check() needs a flushed customer"
        if self._active is None:
            await self._load(session)
        active = self._active_for(session, customer_id)
        fired: list[tuple[_Watched, Score | SegmentScore | None, float]] = []
        rearmed: list[tuple[_Watched, float]] = []
        for watched in self._watched:
            score, value = watched.score(assessment)
            if watched.key in active:
                if value <= watched.rearm_at:
                    rearmed.append((watched, value))
            elif value >= watched.threshold:
                fired.append((watched, score, value))
        if not fired and not rearmed:
            return []
        return await self._change(
            session, customer, assessment, now, fired, rearmed, shop_customer_id
        )

    def committed(self, session: AsyncSession) -> None:
        """Call after the session's transaction committed: its signal changes become what
        this process knows, and the dispatcher is woken if events were enqueued."""
        pending: dict[int, dict[str, bool]] | None = session.info.pop(_PENDING, None)
        if pending and self._active is not None:
            for customer_id, changes in pending.items():
                keys = set(self._active.get(customer_id, _NONE))
                for key, is_active in changes.items():
                    if is_active:
                        keys.add(key)
                    else:
                        keys.discard(key)
                if keys:
                    self._active[customer_id] = frozenset(keys)
                else:
                    self._active.pop(customer_id, None)
        if take_enqueued(session) and self.notify is not None:
            self.notify()

    def forget(self, customer_id: int) -> None:
        """The customer was erased (their signal rows went with them, by cascade)."""
        if self._active is not None:
            self._active.pop(customer_id, None)

    def active_keys(self, customer_id: int) -> frozenset[str]:
        """The customer's fired, not re-armed signals, as committed (for tests and admins)."""
        return (self._active or {}).get(customer_id, _NONE)

    # -- internals -----------------------------------------------------------------------

    async def _load(self, session: AsyncSession) -> None:
        async with self._loading:  # one load, however many units arrive at once
            if self._active is not None:
                return
            loaded: dict[int, set[str]] = {}
            for customer_id, key in await repository.active_signals(session):
                loaded.setdefault(customer_id, set()).add(key)
            self._active = {cid: frozenset(keys) for cid, keys in loaded.items()}

    def _active_for(self, session: AsyncSession, customer_id: int) -> frozenset[str]:
        """Committed knowledge, with this transaction's own changes on top (a unit may
        assess the same customer twice: an order fact, then their message)."""
        active = self._active.get(customer_id, _NONE) if self._active is not None else _NONE
        pending = session.info.get(_PENDING)
        changes = pending.get(customer_id) if pending else None
        if not changes:
            return active
        keys = set(active)
        for key, is_active in changes.items():
            if is_active:
                keys.add(key)
            else:
                keys.discard(key)
        return frozenset(keys)

    async def _change(
        self,
        session: AsyncSession,
        customer: Customer,
        assessment: Assessment,
        now: datetime,
        fired: list[tuple[_Watched, Score | SegmentScore | None, float]],
        rearmed: list[tuple[_Watched, float]],
        shop_customer_id: str | None,
    ) -> list[str]:
        customer_id = customer.id
        assert customer_id is not None
        changes = self._pending(session).setdefault(customer_id, {})
        for watched, value in rearmed:
            await repository.set_signal(
                session,
                customer_id=customer_id,
                key=watched.key,
                active=False,
                value=round(value, 2),
                now=now,
            )
            changes[watched.key] = False
        if not fired:
            return []
        if shop_customer_id is None:
            shop_customer_id = await repository.linked_shop_id(session, customer_id)
        who = customer_block(customer, shop_customer_id)
        scores = scores_block(assessment)
        webhook_ids = []
        for watched, score, value in fired:
            await repository.set_signal(
                session,
                customer_id=customer_id,
                key=watched.key,
                active=True,
                value=round(value, 2),
                now=now,
            )
            changes[watched.key] = True
            data: dict[str, Any] = {"signal": watched.key}
            if watched.event_type is SignalType.NEED_DETECTED and watched.segment is not None:
                data["need"] = watched.segment.value
            data.update(
                customer=who,
                score=round(value, 1),
                threshold=watched.threshold,
                scores=scores,
                reasons=[] if score is None else reasons_block(score, assessment.lang),
            )
            webhook_ids.append(
                await enqueue(
                    session,
                    event_type=watched.event_type,
                    customer_id=customer_id,
                    data=data,
                    now=now,
                )
            )
        return webhook_ids

    @staticmethod
    def _pending(session: AsyncSession) -> dict[int, dict[str, bool]]:
        pending: dict[int, dict[str, bool]] | None = session.info.get(_PENDING)
        if pending is None:
            pending = session.info[_PENDING] = {}
            if not session.info.get(_ROLLBACK_HOOKED):
                # Only sessions that changed a signal pay for the hook (a rare event).
                event.listen(session.sync_session, "after_rollback", _discard_pending)
                session.info[_ROLLBACK_HOOKED] = True
        return pending
