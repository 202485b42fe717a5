"""/export's row generators (`storage.queries.export`) on SQLite and on the machine's real
PostgreSQL: the header, every field of chosen rows worked out by hand, the row counts, and
the batching (a few rows per statement here, so the pages' edges are crossed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage.db import SessionFactory
from storage.models import (
    AdSource,
    Conversion,
    Customer,
    Dialog,
    Handoff,
    Profile,
    Survey,
)
from storage.queries import export

JAN = datetime(2026, 1, 1, tzinfo=UTC)
FEB = datetime(2026, 2, 1, tzinfo=UTC)


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return JAN + timedelta(days=day, hours=hour, minutes=minute)


def _rows() -> list[Any]:
    rows: list[Any] = [AdSource(id=1, payload="ads-1", campaign="spring", created_at=at(-9))]
    rows += [
        Customer(
            id=1,
            external_id="101",
            username="ann",
            first_name="Ann",
            language="en",
            first_source_id=1,
            consent=True,
            checkins_opt_out=True,
            created_at=at(0, 9),
            last_seen_at=at(4, 10),
        ),
        Customer(id=2, external_id="102", holdout=True, blocked=True, created_at=at(1)),
        Customer(id=3, external_id="103", username="cee", consent=False, created_at=at(2)),
        *(Customer(id=i, external_id=str(100 + i), created_at=at(3)) for i in range(4, 8)),
        Profile(
            customer_id=1,
            version=1,
            state={},
            urgent=0.12345,
            researcher=0.8,
            doubting_buyer=0.1,
            irritated=1 / 3,
            price_sensitive=2 / 3,
            hotness=55,
            churn=12,
            updated_at=at(4),
        ),
        Dialog(id=1, customer_id=1, started_at=at(1, 10), source_id=1),
        Dialog(id=2, customer_id=1, started_at=at(3, 10)),
        Dialog(id=3, customer_id=2, started_at=at(2, 12), source_id=1),
        Dialog(id=4, customer_id=2, started_at=FEB, source_id=1),  # at `until`: not exported
        # d1: a lead after 120 s, then an order after 900 s; d3: an order after 60 s.
        Conversion(
            id=1,
            customer_id=1,
            kind="lead",
            ref="l1",
            at=at(1, 10, 2),
            dialog_id=1,
            seconds_from_dialog_start=120,
        ),
        Conversion(
            id=2,
            customer_id=1,
            kind="order",
            ref="o1",
            at=at(1, 10, 15),
            dialog_id=1,
            seconds_from_dialog_start=900,
            revenue=99.99,
        ),
        Conversion(
            id=3,
            customer_id=2,
            kind="order",
            ref="o2",
            at=at(2, 12, 1),
            dialog_id=3,
            seconds_from_dialog_start=60,
            revenue=10.0,
        ),
        Handoff(
            id=1,
            customer_id=1,
            status="closed",
            reason="asked",
            requested_at=at(1, 10, 5),
            deadline_at=at(1, 10, 15),
        ),
    ]
    for survey_id, customer_id, dialog_id, rating in [
        (1, 1, 1, 4),
        (2, 1, 2, None),
        (3, 2, 3, 2),
        (4, 2, 4, 5),
    ]:
        rows.append(
            Survey(
                id=survey_id,
                customer_id=customer_id,
                dialog_id=dialog_id,
                trigger="inactivity",
                asked_at=at(5),
                rating=rating,
            )
        )
    return rows


CUSTOMER_INDEX = {name: i for i, name in enumerate(export.CUSTOMER_COLUMNS)}


@pytest.fixture
async def shop(
    session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[SessionFactory]:
    monkeypatch.setattr(export, "BATCH", 3)  # 7 customers: pages of 3, 3 and 1
    async with session_factory() as session:
        for kind in (AdSource, Customer, Profile, Dialog, Conversion, Handoff, Survey):
            session.add_all([row for row in _rows() if type(row) is kind])
            await session.flush()
        await session.commit()
    yield session_factory


async def test_customer_rows(shop: SessionFactory) -> None:
    async with shop() as session:
        rows = [row async for row in export.customer_rows(session)]
    assert len(export.CUSTOMER_COLUMNS) == 27
    assert all(len(row) == len(export.CUSTOMER_COLUMNS) for row in rows)
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert dict(zip(export.CUSTOMER_COLUMNS, rows[0], strict=True)) == {
        "id": "1",
        "channel": "telegram",
        "username": "ann",
        "first_name": "Ann",
        "language": "en",
        "holdout": "0",
        "created_at": "2026-01-01T09:00:00+00:00",
        "last_seen_at": "2026-01-05T10:00:00+00:00",
        "first_source": "ads-1",
        "last_source": "",
        "consent": "1",
        "profiling_opt_out": "0",
        "checkins_opt_out": "1",
        "blocked": "0",
        "segment": "researcher",  # 0.8 is the largest value
        "urgent": "0.123",
        "researcher": "0.8",
        "doubting_buyer": "0.1",
        "returning_with_problem": "0.0",
        "irritated": "0.333",
        "price_sensitive": "0.667",
        "hotness": "55",
        "churn": "12",
        "dialogs": "2",
        "conversions": "2",
        "revenue": "99.99",  # the lead had none
        "csat_mean": "4.0",  # d2's survey was not answered
    }
    assert dict(zip(export.CUSTOMER_COLUMNS, rows[1], strict=True)) == {
        "id": "2",
        "channel": "telegram",
        "username": "",
        "first_name": "",
        "language": "ru",
        "holdout": "1",
        "created_at": "2026-01-02T00:00:00+00:00",
        "last_seen_at": "",
        "first_source": "",
        "last_source": "",
        "consent": "",  # never asked
        "profiling_opt_out": "0",
        "checkins_opt_out": "0",
        "blocked": "1",
        "segment": "none",  # no profile
        **dict.fromkeys(
            (
                "urgent",
                "researcher",
                "doubting_buyer",
                "returning_with_problem",
                "irritated",
                "price_sensitive",
                "hotness",
                "churn",
            ),
            "",
        ),
        "dialogs": "2",  # all time, so February's too
        "conversions": "1",
        "revenue": "10.0",
        "csat_mean": "3.5",  # (2 + 5) / 2
    }
    assert rows[2][CUSTOMER_INDEX["consent"]] == "0"
    assert rows[2][CUSTOMER_INDEX["dialogs"]] == "0"
    assert rows[2][CUSTOMER_INDEX["revenue"]] == "0.0"
    assert rows[2][CUSTOMER_INDEX["csat_mean"]] == ""


async def test_dialog_rows(shop: SessionFactory) -> None:
    async with shop() as session:
        january = [row async for row in export.dialog_rows(session, since=JAN, until=FEB)]
        everything = [row async for row in export.dialog_rows(session, since=None, until=at(99))]
        nothing = [row async for row in export.dialog_rows(session, since=FEB, until=FEB)]
    assert export.DIALOG_COLUMNS == (
        "dialog_id",
        "customer_id",
        "started_at",
        "source",
        "group",
        "segment",
        "converted",
        "conversion_kind",
        "seconds_to_action",
        "revenue",
        "escalated",
        "csat",
    )
    assert january == [
        # The earliest conversion's kind and seconds; the revenue of both; handed over.
        ("1", "1", "2026-01-02T10:00:00+00:00", "ads-1", "adaptive", "researcher", "1", "lead",
         "120.0", "99.99", "1", "4"),
        # Direct, not converted, not escalated (the handoff was d1's), survey unanswered.
        ("2", "1", "2026-01-04T10:00:00+00:00", "", "adaptive", "researcher", "0", "", "", "",
         "0", ""),
        ("3", "2", "2026-01-03T12:00:00+00:00", "ads-1", "holdout", "none", "1", "order",
         "60.0", "10.0", "0", "2"),
    ]  # fmt: skip
    assert [row[0] for row in everything] == ["1", "2", "3", "4"]  # batches of 3 and 1
    assert everything[3][-1] == "5"
    assert nothing == []


def test_text() -> None:
    assert export.text(None) == ""
    assert export.text(True) == "1" and export.text(False) == "0"
    assert export.text(datetime(2026, 1, 1, 3, tzinfo=UTC)) == "2026-01-01T03:00:00+00:00"
    assert export.text(2 / 3) == "0.667" and export.text(12.345, places=2) == "12.35"
    assert export.text(7) == "7" and export.text("x") == "x"
