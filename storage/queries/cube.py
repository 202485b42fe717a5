"""The statements behind `metrics.figures`, each computing a period's figures for every
breakdown at once: rows are keyed by the full combination (source, segment, holdout) and
`metrics` adds the combinations up into any one breakdown. Counts and sums add up exactly;
for the medians, each converted dialog comes back flagged as a middle row (or not) of its
key in each breakdown, found here with window functions.

Why combinations: the expensive part is per customer (their first and next dialog over
all ~250,000 dialogs), and doing it once for the four breakdowns is four times cheaper than
once per breakdown (`metrics` remembers the results for the session's transaction). Every
statement is one pass, driven by the table it counts; the small tables (conversions,
handoffs, surveys, check-ins) are joined to dialogs and customers by primary key, never the
other way round.

Dialog-level rows are keyed by the dialog's source; customer-level rows (retention,
check-ins) by the customer's first source. Dialog counts for the segment and holdout
breakdowns come from the per-customer rows (a customer's segment and group are the same
for all their dialogs); for the source breakdown from one pass over the dialogs.

Only the per-customer facts differ by database (see `_facts_by_seeks`, `_facts_by_window`):
the same numbers, each by the plan its database runs fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import Checkin, Conversion, Customer, Dialog, Handoff, Profile, Survey
from storage.models.handoff import REASON_ADMIN
from storage.queries.common import in_period, seconds_between, segment_expression

GROUPINGS = ("total", "source", "segment", "holdout")
RETENTION_DAYS = (30, 60, 90)
REPLIED_OUTCOMES = ("replied", "converted")  # a check-in that converted was answered too
OPTED_OUT_OUTCOME = "opted_out"
DAY_S = 86_400

Combo = tuple[Any, str, bool]  # (source id or None, segment, holdout)
_NAMES = ("source", "segment", "holdout")


def _keys(source: Any) -> list[ColumnElement[Any]]:
    return [source, segment_expression(), col(Customer.holdout)]


def _select(keys: list[ColumnElement[Any]], *columns: Any) -> Select[Any]:
    return select(*(key.label(name) for key, name in zip(keys, _NAMES, strict=True)), *columns)


def _join_keys(statement: Select[Any], customer_id: Any) -> Select[Any]:
    """Join what the keys are read from: the customer (holdout, first source) and the
    profile (segment; a customer without one is "none")."""
    return statement.join(Customer, col(Customer.id) == customer_id).outerjoin(
        Profile, col(Profile.customer_id) == customer_id
    )


def _combo(row: Any) -> Combo:
    return (row[0], str(row[1]), bool(row[2]))


def _period(since: datetime | None, until: datetime) -> ColumnElement[bool]:
    return in_period(col(Dialog.started_at), since, until)


async def dialog_sources(
    session: AsyncSession, since: datetime | None, until: datetime
) -> dict[int | None, int]:
    """Dialogs of the period by the dialog's own source (the source breakdown)."""
    rows = await session.execute(
        select(Dialog.source_id, func.count())
        .where(_period(since, until))
        .group_by(col(Dialog.source_id))
    )
    return {source_id: int(count) for source_id, count in rows.all()}


def _active(statement: Select[Any], since: datetime | None, until: datetime) -> Select[Any]:
    """Only the dialogs of customers with a dialog in a bounded period (found by
    ix_dialog_started): a week's figures need not read every customer's history. For all
    time that is everyone, and the filter would only cost."""
    if since is None:
        return statement
    active = select(Dialog.customer_id).where(_period(since, until))
    return statement.where(col(Dialog.customer_id).in_(active))


def _facts_by_seeks(since: datetime | None, until: datetime) -> Any:
    """Per customer with a dialog in the period: their first dialog's start, the seconds
    from it to their next dialog's start (NULL without one) and their dialogs in the period.

    SQLite's way: one pass over ix_dialog_customer_started grouped by customer, the next
    start by one index seek per customer (a subquery over the outer group's min), and the
    gap computed here, once per customer (SQLite's window functions take three times as
    long, and its date functions are not free)."""
    dialogs = func.count(case((_period(since, until), 1)))
    first_at = func.min(Dialog.started_at)
    later = aliased(Dialog)
    next_at = (
        select(func.min(later.started_at))
        .where(later.customer_id == Dialog.customer_id, later.started_at > first_at)
        .scalar_subquery()
    )
    return (
        _active(
            select(
                col(Dialog.customer_id).label("customer_id"),
                first_at.label("first_at"),
                # The seek only for customers with another dialog at all.
                case((func.count() > 1, seconds_between(next_at, first_at))).label("next_gap"),
                dialogs.label("dialogs"),
            ),
            since,
            until,
        )
        .group_by(col(Dialog.customer_id))
        .having(dialogs > 0)
        .subquery("facts")
    )


def _facts_by_window(since: datetime | None, until: datetime) -> Any:
    """The same facts, PostgreSQL's way: one window over the index order (no sort), the
    first row of each customer kept; PostgreSQL runs a subquery per customer three to eight
    times slower. A customer's dialogs begin at distinct instants, so the second row is
    the next dialog."""
    window: dict[str, Any] = {
        "partition_by": col(Dialog.customer_id),
        "order_by": col(Dialog.started_at),
        "rows": (None, None),
    }
    ranked = _active(
        select(
            col(Dialog.customer_id).label("customer_id"),
            col(Dialog.started_at).label("first_at"),
            func.row_number().over(**window).label("rn"),
            func.nth_value(Dialog.started_at, 2).over(**window).label("next_at"),
            func.count(case((_period(since, until), 1))).over(**window).label("dialogs"),
        ),
        since,
        until,
    ).subquery("ranked_dialogs")
    return (
        select(
            ranked.c.customer_id,
            ranked.c.first_at,
            seconds_between(ranked.c.next_at, ranked.c.first_at).label("next_gap"),
            ranked.c.dialogs,
        )
        .where(ranked.c.rn == 1, ranked.c.dialogs > 0)
        .subquery("facts")
    )


def _first_orders() -> Any:
    """Per customer, the seconds from their first dialog's start to their first order after
    it. Orders are few, so the first dialog is looked up per order (an index seek)."""
    first_dialog = (
        select(func.min(Dialog.started_at))
        .where(col(Dialog.customer_id) == col(Conversion.customer_id))
        .scalar_subquery()
    )
    return (
        select(
            col(Conversion.customer_id).label("customer_id"),
            seconds_between(func.min(Conversion.at), first_dialog).label("order_gap"),
        )
        .where(col(Conversion.kind) == "order", col(Conversion.at) > first_dialog)
        .group_by(col(Conversion.customer_id))
        .subquery("first_orders")
    )


def _flag(*conditions: ColumnElement[bool]) -> Any:
    return case((and_(*conditions), 1), else_=0)


async def customers(
    session: AsyncSession, since: datetime | None, until: datetime
) -> dict[Combo, tuple[int, ...]]:
    """Per combination (first source, segment, holdout) of the customers with a dialog in
    the period: (dialogs in the period, cohort, retained 30, eligible 30, retained 60,
    eligible 60, retained 90, eligible 90).

    The facts subquery is an aggregate (SQLite) or windowed (PostgreSQL), so neither
    database inlines it into this aggregate: its per-customer work runs once per customer
    however often the flags below mention its columns."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    facts = _facts_by_seeks(since, until) if sqlite else _facts_by_window(since, until)
    orders = _first_orders()
    cohort = [facts.c.first_at >= since] if since is not None else []
    columns: list[Any] = [
        func.sum(facts.c.dialogs),
        func.sum(_flag(*cohort)) if cohort else func.count(),
    ]
    for days in RETENTION_DAYS:
        # Eligible: the whole window (first, first + N days] lies before `until`.
        eligible = [*cohort, facts.c.first_at <= until - timedelta(days=days)]
        back = or_(facts.c.next_gap <= days * DAY_S, orders.c.order_gap <= days * DAY_S)
        columns += [func.sum(_flag(*eligible, back)), func.sum(_flag(*eligible))]
    keys = _keys(col(Customer.first_source_id))
    statement = _join_keys(
        _select(keys, *columns)
        .select_from(facts)
        .outerjoin(orders, orders.c.customer_id == facts.c.customer_id),
        facts.c.customer_id,
    ).group_by(*keys)
    rows = (await session.execute(statement)).all()
    return {_combo(row): tuple(int(value or 0) for value in row[3:]) for row in rows}


async def checkins(
    session: AsyncSession, since: datetime | None, until: datetime
) -> dict[Combo, tuple[int, int, int]]:
    """Per combination (first source, segment, holdout): check-ins sent in the period, how
    many were answered (replied or converted) and how many ended in an opt-out."""
    outcome = col(Checkin.outcome)
    keys = _keys(col(Customer.first_source_id))
    statement = _join_keys(
        _select(
            keys,
            func.count(),
            func.sum(_flag(outcome.in_(REPLIED_OUTCOMES))),
            func.sum(_flag(outcome == OPTED_OUT_OUTCOME)),
        )
        .select_from(Checkin)
        .where(in_period(col(Checkin.sent_at), since, until)),
        col(Checkin.customer_id),
    ).group_by(*keys)
    rows = (await session.execute(statement)).all()
    return {_combo(row): (int(row[3]), int(row[4] or 0), int(row[5] or 0)) for row in rows}


def per_dialog_conversions() -> Any:
    """Per attributed dialog: its earliest conversion's seconds (every conversion of a dialog
    counts from the same start, so the smallest is the earliest) and its total revenue."""
    return (
        select(
            col(Conversion.dialog_id).label("dialog_id"),
            func.min(Conversion.seconds_from_dialog_start).label("seconds"),
            func.sum(Conversion.revenue).label("revenue"),
        )
        .where(col(Conversion.dialog_id).is_not(None))
        .group_by(col(Conversion.dialog_id))
        .subquery("conv")
    )


def handoff_dialog() -> Any:
    """A handoff's dialog: the customer's latest dialog begun at or before the request.

    Correlated per handoff (they are few), answered from ix_dialog_customer_started."""
    dialog = aliased(Dialog)
    return (
        select(dialog.id)
        .where(
            dialog.customer_id == Handoff.customer_id,
            dialog.started_at <= Handoff.requested_at,
        )
        .order_by(dialog.started_at.desc(), dialog.id.desc())
        .limit(1)
        .correlate(Handoff)
        .scalar_subquery()
    )


def escalated_dialogs(since: datetime | None) -> Any:
    """The distinct dialogs handed to a human. A dialog begun at or after `since` can only be
    the dialog of a handoff asked at or after `since`, so older handoffs are skipped (by
    ix_handoff_requested); a handoff after `until` still counts for a dialog begun before
    it, as conversions do."""
    statement = (
        select(handoff_dialog().label("dialog_id"))
        .select_from(Handoff)
        # An admin handing a customer over from their card is not the bot giving up.
        .where(col(Handoff.reason) != REASON_ADMIN)
        .distinct()
    )
    if since is not None:
        statement = statement.where(col(Handoff.requested_at) >= since)
    return statement.subquery("escalated")


@dataclass(frozen=True, slots=True)
class Converted:
    """A converted dialog of the period: its keys, the seconds to its first target action,
    its revenue, and for each breakdown (in GROUPINGS' order) whether it is a middle row of
    its key's seconds."""

    combo: Combo
    seconds: float | None
    revenue: float
    middle: tuple[bool, ...]


async def conversions(
    session: AsyncSession, since: datetime | None, until: datetime
) -> list[Converted]:
    """The period's converted dialogs (thousands: fetched, so the figures of every breakdown
    and the A/B samples are summed from one statement).

    The median in SQL, portable to both databases: a converted dialog's rank within its key
    (ROW_NUMBER) and the key's count (COUNT(*) OVER the same window, so one sort serves
    both); the middle rows are those with 0 <= 2·rank − count <= 2 — the one middle row of
    an odd count, the two of an even one — and the median is their average. Rows without
    seconds (nullable, though not expected) rank in partitions of their own, so they never
    shift the middle."""
    conv = per_dialog_conversions()
    keys = _keys(col(Dialog.source_id))
    keyed = _join_keys(
        _select(keys, conv.c.seconds, conv.c.revenue)
        .select_from(conv)
        .join(Dialog, col(Dialog.id) == conv.c.dialog_id)
        .where(_period(since, until)),
        col(Dialog.customer_id),
    ).subquery("keyed")
    timed = keyed.c.seconds.is_not(None)
    middles: list[Any] = []
    partitions = {
        "total": [],
        "source": [keyed.c.source],
        "segment": [keyed.c.segment],
        "holdout": [keyed.c.holdout],
    }
    for partition in (partitions[name] for name in GROUPINGS):  # Converted.middle's order
        window: dict[str, Any] = {
            "partition_by": [*partition, timed],
            "order_by": keyed.c.seconds,
            "rows": (None, None),
        }
        rank, count = func.row_number().over(**window), func.count().over(**window)
        middles.append(_flag(timed, (2 * rank - count).between(0, 2)))
    statement = select(*keyed.c, *middles)
    return [
        Converted(
            combo=_combo(row),
            seconds=None if row[3] is None else float(row[3]),
            revenue=float(row[4] or 0.0),
            middle=tuple(bool(flag) for flag in row[5:]),
        )
        for row in (await session.execute(statement)).all()
    ]


_ESCALATED, _RATED = 0, 1  # what an event row says about its dialog


async def dialog_events(
    session: AsyncSession, since: datetime | None, until: datetime
) -> dict[Combo, tuple[int, tuple[int, ...]]]:
    """Per combination (dialog source, segment, holdout): escalated dialogs of the period
    and how many 1s, 2s, … 5s their surveys got — one statement, the two kinds of rows
    keyed through one join of dialog, customer and profile."""
    escalated = escalated_dialogs(since)
    events = union_all(
        select(
            escalated.c.dialog_id.label("dialog_id"),
            literal_column(str(_ESCALATED)).label("kind"),
            # Typed: PostgreSQL takes a UNION column's type from its first arm.
            cast(null(), Integer).label("rating"),
        ),
        select(col(Survey.dialog_id), literal_column(str(_RATED)), col(Survey.rating)).where(
            col(Survey.rating).between(1, 5)
        ),
    ).subquery("events")
    keys = _keys(col(Dialog.source_id))
    statement = _join_keys(
        _select(keys, events.c.kind, events.c.rating, func.count())
        .select_from(events)
        .join(Dialog, col(Dialog.id) == events.c.dialog_id)
        .where(_period(since, until)),
        col(Dialog.customer_id),
    ).group_by(*keys, events.c.kind, events.c.rating)
    found: dict[Combo, tuple[int, tuple[int, ...]]] = {}
    for row in (await session.execute(statement)).all():
        combo, kind, rating, count = _combo(row), int(row[3]), row[4], int(row[5])
        escalations, ratings = found.get(combo, (0, (0, 0, 0, 0, 0)))
        if kind == _ESCALATED:
            escalations += count
        else:
            ratings = tuple(n + count * (i == int(rating) - 1) for i, n in enumerate(ratings))
        found[combo] = (escalations, ratings)
    return found
