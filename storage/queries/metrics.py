"""The admin figures (/stats, /stats ab, /sources): dialog, customer and check-in metrics for
a period, in total or broken down by ad source, segment or experiment group.

Definitions (DESIGN.md "Metric definitions", made precise):

- Period: `since` (inclusive; None = all time) to `until` (exclusive), UTC-aware datetimes.
- Dialog metrics count dialogs whose `started_at` is in the period. A dialog is converted
  when at least one Conversion has its `dialog_id` (attribution within 7 days of the
  dialog's last message is enforced when the conversion is written). Time to target action
  is the dialog's earliest conversion's `seconds_from_dialog_start`; the median is over
  converted dialogs. A dialog is escalated when a Handoff's dialog is it; a handoff's dialog
  is the customer's latest dialog with `started_at <= requested_at`. Handoffs an admin
  opened from a customer card (reason "admin") are not escalations. CSAT counts the 1..5
  ratings of surveys whose dialog is in the period. Revenue is the sum of the conversion
  revenue of converted dialogs.
- Retention: the cohort is the customers whose first dialog (the earliest over all their
  dialogs) began in the period. For N in 30, 60, 90 days, eligible are the cohort customers
  whose first dialog began at or before `until − N days` (their whole window has passed);
  retained are the eligible ones with another dialog begun, or a Conversion of kind "order",
  in (first, first + N days].
- Check-ins: those with `sent_at` in the period; replied = outcome "replied" or
  "converted"; opted out = outcome "opted_out".
- Breakdown keys. By source: dialog metrics use the dialog's `source_id`, customer metrics
  (retention, check-ins) the customer's `first_source_id`; None is no ad ("direct"). By
  segment: the customer's current segment (`common.segment_expression`), "none" without
  one. By group: `Customer.holdout` (False = adaptive, True = holdout).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AdSource, SourceTouch
from storage.queries import cube
from storage.queries.common import SEGMENTS, in_period, segment_expression
from storage.queries.cube import GROUPINGS, RETENTION_DAYS, Combo

__all__ = [
    "GROUPINGS",
    "RETENTION_DAYS",
    "SEGMENTS",
    "Figures",
    "LinkFunnel",
    "Samples",
    "figures",
    "link_funnel",
    "prefetch",
    "samples",
    "segment_expression",
    "source_labels",
]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class Figures:
    """One key's figures for a period. Counts, not rates: the caller pools, compares and
    bootstraps them; the properties give the plain rates (None where nothing was counted)."""

    dialogs: int = 0
    converted: int = 0
    escalated: int = 0
    median_seconds_to_action: float | None = None
    ratings: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # how many 1s, 2s, … 5s
    revenue: float = 0.0
    cohort: int = 0
    retention: tuple[tuple[int, int, int], ...] = ()  # (days, retained, eligible)
    checkins_sent: int = 0
    checkins_replied: int = 0
    checkins_opted_out: int = 0

    @property
    def conversion_rate(self) -> float | None:
        return _rate(self.converted, self.dialogs)

    @property
    def escalation_rate(self) -> float | None:
        return _rate(self.escalated, self.dialogs)

    @property
    def rated(self) -> int:
        return sum(self.ratings)

    @property
    def csat(self) -> float | None:
        """The mean rating, None without ratings."""
        total = sum(stars * count for stars, count in enumerate(self.ratings, start=1))
        return _rate(total, self.rated)

    def retention_rate(self, days: int) -> float | None:
        """Retained over eligible for the horizon `days` (30, 60 or 90)."""
        for horizon, retained, eligible in self.retention:
            if horizon == days:
                return _rate(retained, eligible)
        return None

    @property
    def checkin_reply_rate(self) -> float | None:
        return _rate(self.checkins_replied, self.checkins_sent)

    @property
    def checkin_opt_out_rate(self) -> float | None:
        return _rate(self.checkins_opted_out, self.checkins_sent)


# Within one transaction a period's pieces are computed once: /stats asks for the four
# breakdowns in turn, and each is a different sum of the same combination rows.
_MEMO_KEY = "storage.queries.metrics"
Compute = Callable[[AsyncSession, datetime | None, datetime], Awaitable[Any]]


@dataclass(slots=True)
class _Memo:
    transaction: Any
    pieces: dict[tuple[Any, ...], Any]


async def _piece(
    session: AsyncSession, since: datetime | None, until: datetime, compute: Compute
) -> Any:
    """`compute(session, since, until)`, remembered for the rest of the session's current
    transaction (in `session.info`): figures read in one transaction are one snapshot, and a
    new transaction (after a commit or rollback) reads afresh."""
    key = (compute.__name__, since, until)
    memo = session.info.get(_MEMO_KEY)
    transaction = session.sync_session.get_transaction()
    fresh = isinstance(memo, _Memo) and transaction is not None and memo.transaction is transaction
    if fresh and key in memo.pieces:
        return memo.pieces[key]
    value = await compute(session, since, until)
    _remember(session, key, value)  # in the transaction the query began if none was
    return value


# Every statement `figures` and `samples` read, independent of each other.
PIECES: tuple[Compute, ...] = (
    cube.customers,
    cube.conversions,
    cube.dialog_sources,
    cube.dialog_events,
    cube.checkins,
)


async def prefetch(
    session: AsyncSession,
    helpers: Sequence[AsyncSession],
    *,
    since: datetime | None,
    until: datetime,
) -> None:
    """Run the statements of a period at once, each on one of `helpers` (their own
    connections), and remember the results in `session`'s transaction, so the `figures` and
    `samples` that follow read no more. The statements are independent, so on a machine
    with several cores (and on PostgreSQL, several backends) they overlap instead of queuing.
    The helpers' snapshots are taken a moment apart: fine for figures a person reads."""
    if not helpers:
        return
    await session.connection()  # the transaction the results are remembered in
    slots = asyncio.Semaphore(len(helpers))
    free = list(helpers)

    async def run(compute: Compute) -> tuple[Compute, Any]:
        async with slots:
            helper = free.pop()
            try:
                return compute, await compute(helper, since, until)
            finally:
                free.append(helper)

    # A TaskGroup: when one statement fails the others are cancelled and awaited, so no
    # helper session is closed under a query still running.
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(run(compute)) for compute in PIECES]
    for task in tasks:
        compute, value = task.result()
        _remember(session, (compute.__name__, since, until), value)


def _remember(session: AsyncSession, key: tuple[Any, ...], value: Any) -> None:
    transaction = session.sync_session.get_transaction()
    memo = session.info.get(_MEMO_KEY)
    if not isinstance(memo, _Memo) or memo.transaction is not transaction:
        memo = _Memo(transaction, {})
        session.info[_MEMO_KEY] = memo
    memo.pieces[key] = value


def _key(by: str, combo: Combo) -> Any:
    return None if by == "total" else combo[("source", "segment", "holdout").index(by)]


@dataclass(slots=True)
class _Sums:
    """One breakdown key's running totals while the combinations are added up."""

    dialogs: int = 0
    converted: int = 0
    escalated: int = 0
    middle_sum: float = 0.0
    middle_rows: int = 0
    ratings: list[int] = field(default_factory=lambda: [0] * 5)
    revenue: float = 0.0
    cohort: int = 0
    retention: list[int] = field(default_factory=lambda: [0] * 2 * len(RETENTION_DAYS))
    checkins: list[int] = field(default_factory=lambda: [0, 0, 0])

    def figures(self) -> Figures:
        ratings = self.ratings
        return Figures(
            dialogs=self.dialogs,
            converted=self.converted,
            escalated=self.escalated,
            median_seconds_to_action=(
                self.middle_sum / self.middle_rows if self.middle_rows else None
            ),
            ratings=(ratings[0], ratings[1], ratings[2], ratings[3], ratings[4]),
            revenue=round(self.revenue, 2),
            cohort=self.cohort,
            retention=tuple(
                (days, self.retention[2 * i], self.retention[2 * i + 1])
                for i, days in enumerate(RETENTION_DAYS)
            )
            if self.cohort
            else (),
            checkins_sent=self.checkins[0],
            checkins_replied=self.checkins[1],
            checkins_opted_out=self.checkins[2],
        )


def _add(into: list[int], values: tuple[int, ...] | list[int]) -> list[int]:
    return [a + b for a, b in zip(into, values, strict=True)]


async def _dialog_figures(
    session: AsyncSession, since: datetime | None, until: datetime, by: str
) -> dict[Any, _Sums]:
    """Dialogs, conversions and medians of one breakdown (what /sources needs too)."""
    sums: dict[Any, _Sums] = {}
    if by == "source":
        for source_id, count in (await _piece(session, since, until, cube.dialog_sources)).items():
            sums.setdefault(source_id, _Sums()).dialogs += count
    else:
        for combo, values in (await _piece(session, since, until, cube.customers)).items():
            sums.setdefault(_key(by, combo), _Sums()).dialogs += values[0]
    for converted in await _piece(session, since, until, cube.conversions):
        entry = sums.setdefault(_key(by, converted.combo), _Sums())
        entry.converted += 1
        entry.revenue += converted.revenue
        if converted.middle[GROUPINGS.index(by)] and converted.seconds is not None:
            entry.middle_sum += converted.seconds
            entry.middle_rows += 1
    return sums


async def figures(
    session: AsyncSession, *, since: datetime | None, until: datetime, by: str
) -> dict[Any, Figures]:
    """Figures per key of the breakdown `by` (one of GROUPINGS): "total" answers {None: …};
    "source" keys are source ids (None = direct), "segment" keys segment names (with "none"),
    "holdout" keys False/True. Every key with any data appears.

    The statements group by every breakdown's keys at once and are remembered for the
    session's transaction, so the four breakdowns asked in one session cost one set of
    queries (see `cube`)."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; expected one of {GROUPINGS}")
    sums = await _dialog_figures(session, since, until, by)
    for combo, values in (await _piece(session, since, until, cube.customers)).items():
        if values[1]:  # the cohort; the dialogs were counted above
            entry = sums.setdefault(_key(by, combo), _Sums())
            entry.cohort += values[1]
            entry.retention = _add(entry.retention, values[2:])
    for combo, (escalated, ratings) in (
        await _piece(session, since, until, cube.dialog_events)
    ).items():
        entry = sums.setdefault(_key(by, combo), _Sums())
        entry.escalated += escalated
        entry.ratings = _add(entry.ratings, ratings)
    for combo, counts in (await _piece(session, since, until, cube.checkins)).items():
        entry = sums.setdefault(_key(by, combo), _Sums())
        entry.checkins = _add(entry.checkins, counts)
    if by == "total":
        sums.setdefault(None, _Sums())
    return {key: entry.figures() for key, entry in sums.items()}


@dataclass(frozen=True, slots=True)
class Samples:
    """One experiment group's raw observations, for bootstrap intervals: the seconds to the
    target action of each converted dialog and each rating (in no particular order)."""

    seconds_to_action: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)


async def samples(
    session: AsyncSession, *, since: datetime | None, until: datetime
) -> dict[bool, Samples]:
    """Per holdout group (False = adaptive, True = holdout; both always present) the seconds
    to action of the period's converted dialogs and the ratings of its surveyed dialogs.
    Read from the same statements as `figures` (remembered for the transaction), so /stats
    ab costs nothing more for them."""
    found: dict[bool, Samples] = {False: Samples(), True: Samples()}
    for converted in await _piece(session, since, until, cube.conversions):
        if converted.seconds is not None:
            found[converted.combo[2]].seconds_to_action.append(converted.seconds)
    for combo, (_escalated, ratings) in (
        await _piece(session, since, until, cube.dialog_events)
    ).items():
        for stars, count in enumerate(ratings, start=1):
            found[combo[2]].ratings.extend([stars] * count)
    return found


async def source_labels(session: AsyncSession) -> dict[int, str]:
    """Every ad source's payload, by id (to name the keys of the source breakdown)."""
    rows = await session.execute(select(AdSource.id, AdSource.payload))
    return {int(source_id): str(payload) for source_id, payload in rows.all()}


@dataclass(frozen=True, slots=True)
class LinkFunnel:
    """One tracked link's funnel in a period: valid /start touches, dialogs counted for it,
    converted dialogs among them (so conversions/dialogs is `Figures.conversion_rate`), the
    median seconds to action and the revenue. `source_id` None is "direct" (no ad): no
    payload, no campaign, no starts."""

    source_id: int | None
    payload: str | None
    campaign: str | None
    starts: int
    dialogs: int
    conversions: int
    median_seconds_to_action: float | None
    revenue: float


async def link_funnel(
    session: AsyncSession, *, since: datetime | None, until: datetime
) -> list[LinkFunnel]:
    """One funnel per ad source with a start or a dialog in the period, by source id, then
    "direct" (source None) if dialogs began without an ad."""
    sums = await _dialog_figures(session, since, until, "source")
    starts = dict(
        (
            await session.execute(
                select(SourceTouch.source_id, func.count())
                .where(
                    col(SourceTouch.valid),
                    col(SourceTouch.source_id).is_not(None),
                    in_period(col(SourceTouch.created_at), since, until),
                )
                .group_by(col(SourceTouch.source_id))
            )
        ).all()
    )
    sources = {
        source_id: (payload, campaign)
        for source_id, payload, campaign in (
            await session.execute(select(AdSource.id, AdSource.payload, AdSource.campaign))
        ).all()
    }
    funnels: list[LinkFunnel] = []
    for key in sorted(set(sums) | set(starts), key=lambda k: (k is None, k or 0)):
        entry = sums.get(key) or _Sums()
        if not (entry.dialogs or starts.get(key)):
            continue  # conversions of dialogs begun before the period belong elsewhere
        found = entry.figures()
        payload, campaign = sources.get(key, (None, None)) if key is not None else (None, None)
        funnels.append(
            LinkFunnel(
                source_id=key,
                payload=payload,
                campaign=campaign,
                starts=int(starts.get(key, 0)),
                dialogs=found.dialogs,
                conversions=found.converted,
                median_seconds_to_action=found.median_seconds_to_action,
                revenue=found.revenue,
            )
        )
    return funnels
