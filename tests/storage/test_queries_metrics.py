"""The admin figures (`storage.queries.metrics`) and the activity heatmap on SQLite and on the
machine's real PostgreSQL, against numbers worked out by hand from a small planted history.

The history (days count from D0 = 2026-01-01 00:00 UTC, a Thursday; the main period is
[day 0, day 120) = [2026-01-01, 2026-05-01)):

    customer  group     first source  segment (profile)          dialogs (day hh:mm, source)
    c1        adaptive  S1            urgent                     d1 0 00:00 S1, d2 20 10:00 S1
    c2        adaptive  S1            researcher (tie w/ doubt.) d3 10 09:00 S1, d4 55 09:00 -
    c3        adaptive  S2            doubting_buyer (0.5)       d5 40 12:00 S2
    c4        holdout   -             none (all 0.3)             d6 5 08:00 -, d7 35 08:00 -
    c5        holdout   S2            none (no profile)          d8 60 00:00 S2, d9 90 00:00:01 S2
    c6        adaptive  -             price_sensitive (> irr.)   d10 100 10:00 -
    c7        holdout   S1            irritated                  d11 -10 11:00 S1, d12 70 11:00 S1
    c8        adaptive  S2            none (no profile)          d13 120 00:00 S2 (= until)

Converted dialogs (seconds to the earliest conversion): d1 600, d3 1800 (a lead, then a
booking), d5 7200, d6 300, d9 4000, d10 1200, d12 3000, and d11 100 before the period.
Orders not attributed to a dialog: c3 on day 50 12:00, c5 on day 59 (before its first dialog).
Handoffs: c2 twice during d3, c4 during d7 (its later dialog), c7 during d11, c8 before any
dialog. Ratings: d1 5, d2 5, d3 4, d5 2, d6 3, d12 1, d11 1; d8 asked, not answered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from profiling.assess.segments import Segment
from storage.db import SessionFactory
from storage.models import (
    AdSource,
    Checkin,
    Conversion,
    Customer,
    Dialog,
    Handoff,
    Message,
    Profile,
    SourceTouch,
    Survey,
)
from storage.queries import activity, metrics
from storage.queries.common import SEGMENTS
from storage.queries.metrics import Figures, LinkFunnel

D0 = datetime(2026, 1, 1, tzinfo=UTC)
S1, S2, S3 = 1, 2, 3


def at(day: float, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return D0 + timedelta(days=day, hours=hour, minutes=minute, seconds=second)


SINCE, UNTIL = at(0), at(120)

# (id, group is holdout, first source, last source, profile values or None)
CUSTOMERS: list[tuple[int, bool, int | None, dict[str, float] | None]] = [
    (1, False, S1, {"urgent": 0.8}),
    (2, False, S1, {"researcher": 0.7, "doubting_buyer": 0.7, "urgent": 0.1}),
    (3, False, S2, {"doubting_buyer": 0.5, "price_sensitive": 0.49}),
    (4, True, None, dict.fromkeys(SEGMENTS, 0.3)),
    (5, True, S2, None),
    (6, False, None, {"price_sensitive": 0.6, "irritated": 0.55}),
    (7, True, S1, {"irritated": 0.95}),
    (8, False, S2, None),
]
# (id, customer, started, source)
DIALOGS = [
    (1, 1, at(0), S1),
    (2, 1, at(20, 10), S1),
    (3, 2, at(10, 9), S1),
    (4, 2, at(55, 9), None),
    (5, 3, at(40, 12), S2),
    (6, 4, at(5, 8), None),
    (7, 4, at(35, 8), None),
    (8, 5, at(60), S2),
    (9, 5, at(90, second=1), S2),
    (10, 6, at(100, 10), None),
    (11, 7, at(-10, 11), S1),
    (12, 7, at(70, 11), S1),
    (13, 8, at(120), S2),
]
STARTED = {dialog_id: started for dialog_id, _customer, started, _source in DIALOGS}
# (customer, kind, ref, dialog, seconds after its start, revenue)
ATTRIBUTED: list[tuple[int, str, str, int, float, float | None]] = [
    (1, "order", "o1", 1, 600, 100.0),
    (2, "lead", "l1", 3, 1800, None),
    (2, "booking", "b1", 3, 3600, 50.0),
    (3, "booking", "b2", 5, 7200, 200.0),
    (4, "lead", "l2", 6, 300, 30.0),
    (5, "lead", "l3", 9, 4000, None),
    (6, "order", "o4", 10, 1200, 75.5),
    (7, "order", "o5", 12, 3000, 20.0),
    (7, "order", "o6", 11, 100, 5.0),
]
# (customer, kind, ref, at, revenue): orders no dialog led to
UNATTRIBUTED = [(3, "order", "o2", at(50, 12), 80.0), (5, "order", "o3", at(59, 10), 10.0)]
# (customer, requested)
HANDOFFS = [
    (2, at(10, 9, 30)),
    (2, at(10, 9, 40)),
    (4, at(35, 8, 10)),
    (7, at(-10, 12)),
    (8, at(119)),
]
# (customer, dialog, rating)
SURVEYS = [
    (1, 1, 5),
    (1, 2, 5),
    (2, 3, 4),
    (3, 5, 2),
    (4, 6, 3),
    (5, 8, None),
    (7, 12, 1),
    (7, 11, 1),
]
# (customer, sent, outcome)
CHECKINS: list[tuple[int, datetime | None, str | None]] = [
    (1, at(25), "replied"),
    (2, at(60, 12), "converted"),
    (4, at(36), "opted_out"),
    (5, at(70), None),
    (8, at(119), "replied"),
    (3, at(-5), "replied"),  # before the period
    (6, at(120), "replied"),  # at `until`: after the period
    (6, None, None),  # planned, never sent
]
# (customer, source, valid, at)
TOUCHES = [
    (1, S1, True, at(0)),
    (2, S1, True, at(10, 8, 59)),
    (3, S2, True, at(40, 11, 59)),
    (5, S2, True, at(59, 23, 59)),
    (7, S1, True, at(-10, 10)),
    (7, S1, True, at(70, 10, 59)),
    (8, S2, True, at(119)),
    (4, None, False, at(5, 7)),
    (6, S2, False, at(20)),
    (6, S3, True, at(-30)),
]


def _rows() -> list[Any]:
    rows: list[Any] = [
        AdSource(id=S1, payload="ads-1", campaign="spring", created_at=at(-60)),
        AdSource(id=S2, payload="ads-2", campaign="summer", created_at=at(-60)),
        AdSource(id=S3, payload="ads-3", campaign=None, created_at=at(-60)),
    ]
    for customer_id, holdout, source, values in CUSTOMERS:
        rows.append(
            Customer(
                id=customer_id,
                external_id=str(100 + customer_id),
                holdout=holdout,
                first_source_id=source,
                last_source_id=source,
                created_at=at(-40),
            )
        )
        if values is not None:
            rows.append(
                Profile(customer_id=customer_id, version=1, state={}, updated_at=at(119), **values)
            )
    for dialog_id, customer_id, started, source in DIALOGS:
        rows.append(
            Dialog(id=dialog_id, customer_id=customer_id, started_at=started, source_id=source)
        )
    for i, (customer_id, kind, ref, dialog_id, seconds, revenue) in enumerate(ATTRIBUTED, 1):
        rows.append(
            Conversion(
                id=i,
                customer_id=customer_id,
                kind=kind,
                ref=ref,
                at=STARTED[dialog_id] + timedelta(seconds=seconds),
                dialog_id=dialog_id,
                seconds_from_dialog_start=seconds,
                revenue=revenue,
            )
        )
    for i, (customer_id, kind, ref, when, revenue) in enumerate(UNATTRIBUTED, 100):
        rows.append(
            Conversion(id=i, customer_id=customer_id, kind=kind, ref=ref, at=when, revenue=revenue)
        )
    for i, (customer_id, requested) in enumerate(HANDOFFS, 1):
        rows.append(
            Handoff(
                id=i,
                customer_id=customer_id,
                status="closed",
                reason="asked",
                requested_at=requested,
                deadline_at=requested + timedelta(minutes=10),
            )
        )
    for i, (customer_id, dialog_id, rating) in enumerate(SURVEYS, 1):
        asked = STARTED[dialog_id] + timedelta(hours=1)
        rows.append(
            Survey(
                id=i,
                customer_id=customer_id,
                dialog_id=dialog_id,
                trigger="inactivity",
                asked_at=asked,
                rating=rating,
                rated_at=asked if rating else None,
            )
        )
    for i, (customer_id, sent, outcome) in enumerate(CHECKINS, 1):
        rows.append(
            Checkin(
                id=i,
                customer_id=customer_id,
                trigger="quiet",
                status="sent" if sent else "planned",
                due_at=sent or at(121),
                slot_reason="test",
                planned_at=at(-1),
                sent_at=sent,
                outcome=outcome,
            )
        )
    for i, (customer_id, source, valid, when) in enumerate(TOUCHES, 1):
        rows.append(
            SourceTouch(
                id=i, customer_id=customer_id, source_id=source, valid=valid, created_at=when
            )
        )
    return rows


async def plant(factory: SessionFactory, rows: list[Any]) -> None:
    """Insert rows in the given order (parents first), one flush per row type."""
    async with factory() as session:
        kinds: list[type] = []
        for row in rows:
            if type(row) not in kinds:
                kinds.append(type(row))
        for kind in kinds:
            session.add_all([row for row in rows if type(row) is kind])
            await session.flush()
        await session.commit()


@pytest.fixture
async def history(session_factory: SessionFactory) -> AsyncIterator[SessionFactory]:
    await plant(session_factory, _rows())
    yield session_factory


async def figures(
    factory: SessionFactory, by: str, since: datetime | None = SINCE, until: datetime = UNTIL
) -> dict[Any, Figures]:
    async with factory() as session:
        return await metrics.figures(session, since=since, until=until, by=by)


def test_segment_names_are_the_profilers() -> None:
    assert set(SEGMENTS) == {segment.value for segment in Segment}
    assert metrics.GROUPINGS == ("total", "source", "segment", "holdout")


async def test_total(history: SessionFactory) -> None:
    found = await figures(history, "total")
    assert found == {
        None: Figures(
            # d1…d10 and d12; d11 began before the period, d13 at `until` (excluded).
            dialogs=11,
            # d1, d3, d5, d6, d9, d10, d12; the unattributed orders of c3 and c5 are not.
            converted=7,
            # d3 (two handoffs, counted once) and d7 (c4's later dialog, not d6); c7's is
            # d11's (before the period), c8's has no dialog.
            escalated=2,
            # 300 600 1200 [1800] 3000 4000 7200: the 4th of 7.
            median_seconds_to_action=1800.0,
            # d12 1, d5 2, d6 3, d3 4, d1 5, d2 5 (d8 unanswered, d11 before the period).
            ratings=(1, 1, 1, 1, 2),
            # 100 + (None + 50) + 200 + 30 + None + 75.5 + 20
            revenue=475.5,
            # First dialog in the period: c1 c2 c3 c4 c5 c6 (c7's was day -10; c8's at until).
            cohort=6,
            retention=(
                # Eligible: first <= day 90 → c1 c2 c3 c4 c5 (c6 on day 100 is too recent).
                # Back: c1 (d2 after 20 days), c3 (order after exactly 10 days), c4 (d7
                # after exactly 30 days); not c2 (45 days), c5 (30 days + 1 s; its order
                # came before its first dialog).
                (30, 3, 5),
                # Eligible: first <= day 60 00:00 → also c5 (exactly on the bound);
                # all five are back within 60 days.
                (60, 5, 5),
                # Eligible: first <= day 30 → c1 c2 c4, all back.
                (90, 3, 3),
            ),
            # c1 replied, c2 converted, c4 opted out, c5 nothing, c8 replied; c3's before
            # the period, c6's at `until`, c6's planned one never sent.
            checkins_sent=5,
            checkins_replied=3,
            checkins_opted_out=1,
        )
    }
    total = found[None]
    assert total.conversion_rate == pytest.approx(7 / 11)
    assert total.escalation_rate == pytest.approx(2 / 11)
    assert total.rated == 6
    assert total.csat == pytest.approx((1 + 2 + 3 + 4 + 5 + 5) / 6)
    assert total.retention_rate(30) == pytest.approx(3 / 5)
    assert total.retention_rate(45) is None
    assert total.checkin_reply_rate == pytest.approx(3 / 5)


async def test_all_time(history: SessionFactory) -> None:
    found = (await figures(history, "total", since=None))[None]
    assert found == Figures(
        dialogs=12,  # + d11; d13 at `until` still out
        converted=8,  # + d11
        escalated=3,  # + d11 (c7's handoff)
        # 100 300 600 [1200 1800] 3000 4000 7200: (1200 + 1800) / 2
        median_seconds_to_action=1500.0,
        ratings=(2, 1, 1, 1, 2),  # + d11's 1
        revenue=480.5,  # + 5
        # + c7 (first dialog day -10, back through its order 100 s after it).
        cohort=7,
        retention=((30, 4, 6), (60, 6, 6), (90, 4, 4)),
        checkins_sent=6,  # + c3's on day -5
        checkins_replied=4,
        checkins_opted_out=1,
    )


async def test_period_bounds(history: SessionFactory) -> None:
    # [d7's start, d8's start): d7 is in (since is inclusive), d8 is out (until is not).
    found = (await figures(history, "total", since=at(35, 8), until=at(60)))[None]
    assert found == Figures(
        dialogs=3,  # d7, d5, d4
        converted=1,  # d5
        escalated=1,  # d7
        median_seconds_to_action=7200.0,
        ratings=(0, 1, 0, 0, 0),  # d5
        revenue=200.0,
        # Only c3's first dialog is in the period; day 40 is after until − 30 days (day 30),
        # so not yet eligible for any horizon.
        cohort=1,
        retention=((30, 0, 0), (60, 0, 0), (90, 0, 0)),
        checkins_sent=1,  # c4's on day 36
        checkins_opted_out=1,
    )


async def test_empty_period(history: SessionFactory) -> None:
    assert await figures(history, "total", since=at(200), until=at(201)) == {None: Figures()}
    assert await figures(history, "holdout", since=at(200), until=at(201)) == {}


async def test_by_holdout(history: SessionFactory) -> None:
    found = await figures(history, "holdout")
    assert found == {
        False: Figures(  # c1 c2 c3 c6 c8
            dialogs=6,  # d1 d2 d3 d4 d5 d10
            converted=4,
            escalated=1,  # d3
            median_seconds_to_action=1500.0,  # 600 [1200 1800] 7200
            ratings=(0, 1, 0, 1, 2),  # d5 2, d3 4, d1 5, d2 5
            revenue=425.5,  # 100 + 50 + 200 + 75.5
            cohort=4,  # c1 c2 c3 c6
            retention=((30, 2, 3), (60, 3, 3), (90, 2, 2)),
            checkins_sent=3,  # c1 c2 c8
            checkins_replied=3,
        ),
        True: Figures(  # c4 c5 c7
            dialogs=5,  # d6 d7 d8 d9 d12
            converted=3,
            escalated=1,  # d7
            median_seconds_to_action=3000.0,  # 300 [3000] 4000
            ratings=(1, 0, 1, 0, 0),  # d12 1, d6 3
            revenue=50.0,  # 30 + None + 20
            cohort=2,  # c4 c5
            retention=((30, 1, 2), (60, 2, 2), (90, 1, 1)),
            checkins_sent=2,  # c4 c5
            checkins_opted_out=1,
        ),
    }


async def test_by_source(history: SessionFactory) -> None:
    found = await figures(history, "source")
    assert found == {
        # Dialog figures by the dialog's source, customer figures by the first source.
        S1: Figures(
            dialogs=4,  # d1 d2 d3 d12
            converted=3,
            escalated=1,  # d3
            median_seconds_to_action=1800.0,  # 600 [1800] 3000
            ratings=(1, 0, 0, 1, 2),
            revenue=170.0,  # 100 + 50 + 20
            cohort=2,  # c1 c2 (c7 began before the period)
            retention=((30, 1, 2), (60, 2, 2), (90, 2, 2)),
            checkins_sent=2,  # c1 c2
            checkins_replied=2,
        ),
        S2: Figures(
            dialogs=3,  # d5 d8 d9
            converted=2,
            median_seconds_to_action=5600.0,  # [4000 7200]
            ratings=(0, 1, 0, 0, 0),
            revenue=200.0,
            cohort=2,  # c3 c5
            retention=((30, 1, 2), (60, 2, 2), (90, 0, 0)),
            checkins_sent=2,  # c5 c8
            checkins_replied=1,
        ),
        None: Figures(
            dialogs=4,  # d4 d6 d7 d10
            converted=2,
            escalated=1,  # d7
            median_seconds_to_action=750.0,  # [300 1200]
            ratings=(0, 0, 1, 0, 0),
            revenue=105.5,  # 30 + 75.5
            cohort=2,  # c4 c6
            retention=((30, 1, 1), (60, 1, 1), (90, 1, 1)),
            checkins_sent=1,  # c4
            checkins_opted_out=1,
        ),
    }


async def test_by_segment(history: SessionFactory) -> None:
    found = await figures(history, "segment")
    assert found == {
        "urgent": Figures(  # c1
            dialogs=2,
            converted=1,
            median_seconds_to_action=600.0,
            ratings=(0, 0, 0, 0, 2),
            revenue=100.0,
            cohort=1,
            retention=((30, 1, 1), (60, 1, 1), (90, 1, 1)),
            checkins_sent=1,
            checkins_replied=1,
        ),
        # c2: researcher and doubting_buyer tie at 0.7; researcher comes first.
        "researcher": Figures(
            dialogs=2,
            converted=1,
            escalated=1,
            median_seconds_to_action=1800.0,
            ratings=(0, 0, 0, 1, 0),
            revenue=50.0,
            cohort=1,
            retention=((30, 0, 1), (60, 1, 1), (90, 1, 1)),
            checkins_sent=1,
            checkins_replied=1,
        ),
        "doubting_buyer": Figures(  # c3: exactly 0.5 is enough
            dialogs=1,
            converted=1,
            median_seconds_to_action=7200.0,
            ratings=(0, 1, 0, 0, 0),
            revenue=200.0,
            cohort=1,
            retention=((30, 1, 1), (60, 1, 1), (90, 0, 0)),
        ),
        # c4 (every value 0.3), c5 and c8 (no profile).
        "none": Figures(
            dialogs=4,  # d6 d7 d8 d9
            converted=2,
            escalated=1,
            median_seconds_to_action=2150.0,  # [300 4000]
            ratings=(0, 0, 1, 0, 0),
            revenue=30.0,
            cohort=2,
            retention=((30, 1, 2), (60, 2, 2), (90, 1, 1)),
            checkins_sent=3,  # c4 c5 c8
            checkins_replied=1,
            checkins_opted_out=1,
        ),
        # c6: price_sensitive 0.6 beats irritated 0.55 although irritated comes first.
        "price_sensitive": Figures(
            dialogs=1,
            converted=1,
            median_seconds_to_action=1200.0,
            revenue=75.5,
            cohort=1,
            retention=((30, 0, 0), (60, 0, 0), (90, 0, 0)),
        ),
        "irritated": Figures(  # c7: not in the cohort, so no retention
            dialogs=1,
            converted=1,
            median_seconds_to_action=3000.0,
            ratings=(1, 0, 0, 0, 0),
            revenue=20.0,
        ),
    }


async def test_breakdowns_add_up_to_the_total(history: SessionFactory) -> None:
    total = (await figures(history, "total"))[None]
    async with history() as session:  # one session: the statements run once for all four
        for by in ("source", "segment", "holdout"):
            parts = (await metrics.figures(session, since=SINCE, until=UNTIL, by=by)).values()
            assert sum(part.dialogs for part in parts) == total.dialogs
            assert sum(part.converted for part in parts) == total.converted
            assert sum(part.escalated for part in parts) == total.escalated
            assert sum(part.cohort for part in parts) == total.cohort
            assert sum(part.checkins_sent for part in parts) == total.checkins_sent
            assert sum(part.revenue for part in parts) == pytest.approx(total.revenue)


async def test_unknown_grouping(history: SessionFactory) -> None:
    with pytest.raises(ValueError, match="grouping"):
        await figures(history, "weekday")


async def test_figures_are_one_snapshot_per_transaction(history: SessionFactory) -> None:
    async with history() as session:
        first = await metrics.figures(session, since=SINCE, until=UNTIL, by="total")
        async with history() as other:
            other.add(Dialog(id=50, customer_id=8, started_at=at(50), source_id=S2))
            await other.commit()
        same = await metrics.figures(session, since=SINCE, until=UNTIL, by="total")
        await session.commit()  # a new transaction reads afresh
        fresh = await metrics.figures(session, since=SINCE, until=UNTIL, by="total")
    assert first[None].dialogs == same[None].dialogs == 11
    assert fresh[None].dialogs == 12
    # c8's first dialog is now the one of day 50: in the cohort, eligible for 30 and 60
    # days, and not back (its next dialog, on day 120, came 70 days later).
    assert fresh[None].cohort == 7
    assert fresh[None].retention == ((30, 3, 6), (60, 5, 6), (90, 3, 3))


@pytest.mark.parametrize("since", [SINCE, None])
async def test_prefetched_on_helper_connections_the_figures_are_the_same(
    history: SessionFactory, since: datetime | None
) -> None:
    """`prefetch` runs the statements side by side on other connections; what `figures` and
    `samples` then answer is exactly what they answer alone, and they query no more."""
    alone = {by: await figures(history, by, since) for by in metrics.GROUPINGS}
    async with history() as plain:
        alone_samples = await metrics.samples(plain, since=since, until=UNTIL)
    async with history() as session, history() as one, history() as two:
        await metrics.prefetch(session, [one, two], since=since, until=UNTIL)
        statements: list[str] = []
        engine = session.get_bind()

        def record(*args: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            together = {
                by: await metrics.figures(session, since=since, until=UNTIL, by=by)
                for by in metrics.GROUPINGS
            }
            together_samples = await metrics.samples(session, since=since, until=UNTIL)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert together == alone
    assert together_samples == alone_samples
    assert statements == []


async def test_samples(history: SessionFactory) -> None:
    async with history() as session:
        found = await metrics.samples(session, since=SINCE, until=UNTIL)
        empty = await metrics.samples(session, since=at(200), until=at(201))
    assert sorted(found[False].seconds_to_action) == [600.0, 1200.0, 1800.0, 7200.0]
    assert sorted(found[False].ratings) == [2, 4, 5, 5]
    assert sorted(found[True].seconds_to_action) == [300.0, 3000.0, 4000.0]
    assert sorted(found[True].ratings) == [1, 3]
    assert empty == {False: metrics.Samples(), True: metrics.Samples()}


async def test_source_labels(history: SessionFactory) -> None:
    async with history() as session:
        assert await metrics.source_labels(session) == {S1: "ads-1", S2: "ads-2", S3: "ads-3"}


async def test_link_funnel(history: SessionFactory) -> None:
    async with history() as session:
        found = await metrics.link_funnel(session, since=SINCE, until=UNTIL)
    assert found == [
        # Starts: c1 (at since), c2, c7's second; c7's first was before the period.
        LinkFunnel(S1, "ads-1", "spring", 3, 4, 3, 1800.0, 170.0),
        # Starts: c3, c5, c8; c6's invalid touch does not count.
        LinkFunnel(S2, "ads-2", "summer", 3, 3, 2, 5600.0, 200.0),
        # Direct: no starts; S3 had neither a start nor a dialog in the period.
        LinkFunnel(None, None, None, 0, 4, 2, 750.0, 105.5),
    ]


# -- the activity heatmap ----------------------------------------------------------------

# Sunday 2026-03-01 and Monday 2026-03-02, UTC: (direction, status, created)
MESSAGES = [
    ("in", "received", datetime(2026, 3, 1, 0, 10, tzinfo=UTC)),  # m8: Sun 00:10
    ("in", "received", datetime(2026, 3, 1, 22, 30, tzinfo=UTC)),  # m1: Sun 22:30
    ("in", "received", datetime(2026, 3, 2, 10, 15, tzinfo=UTC)),  # m2: Mon 10:15
    ("in", "received", datetime(2026, 3, 2, 10, 50, tzinfo=UTC)),  # m3: Mon 10:50
    ("out", "sent", datetime(2026, 3, 2, 10, 20, tzinfo=UTC)),  # the bot's: out
    ("in", "command", datetime(2026, 3, 2, 10, 25, tzinfo=UTC)),  # a command: out
    ("in", "received", datetime(2026, 2, 20, 10, 0, tzinfo=UTC)),  # Fri, before the week
    ("in", "received", datetime(2026, 3, 8, 0, 0, tzinfo=UTC)),  # at `until`: out
]
WEEK = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC))


def cells(grid: list[list[int]]) -> dict[tuple[int, int], int]:
    assert len(grid) == 7 and all(len(row) == 24 for row in grid)
    return {(day, hour): n for day, row in enumerate(grid) for hour, n in enumerate(row) if n}


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        # UTC: Sun 00:10 → Sun 0h; Sun 22:30 → Sun 22h; Mon 10:15 and 10:50 → Mon 10h.
        (0, {(6, 0): 1, (6, 22): 1, (0, 10): 2}),
        # UTC+3: Sun 03:10; Sun 22:30 crosses midnight to Mon 01:30; Mon 13:15, 13:50.
        (180, {(6, 3): 1, (0, 1): 1, (0, 13): 2}),
        # UTC+5:30: Sun 05:40; Mon 04:00; Mon 15:45; Mon 16:20 (the hour split at :30).
        (330, {(6, 5): 1, (0, 4): 1, (0, 15): 1, (0, 16): 1}),
        # UTC−1:30: Sat 22:40 (back across the week's start); Sun 21:00; Mon 08:45, 09:20.
        (-90, {(5, 22): 1, (6, 21): 1, (0, 8): 1, (0, 9): 1}),
    ],
)
async def test_heatmap(
    session_factory: SessionFactory, offset: int, expected: dict[tuple[int, int], int]
) -> None:
    rows: list[Any] = [Customer(id=1, external_id="1", created_at=WEEK[0])]
    rows += [
        Message(
            id=i,
            customer_id=1,
            direction=direction,
            status=status,
            text="hi",
            chars=2,
            created_at=created,
        )
        for i, (direction, status, created) in enumerate(MESSAGES, 1)
    ]
    await plant(session_factory, rows)
    async with session_factory() as session:
        grid = await activity.heatmap(
            session, since=WEEK[0], until=WEEK[1], utc_offset_minutes=offset
        )
        all_time = await activity.heatmap(
            session, since=None, until=WEEK[1], utc_offset_minutes=offset
        )
    assert cells(grid) == expected
    assert sum(map(sum, all_time)) == 5  # + Friday's message before the week
