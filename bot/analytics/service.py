"""The admins' analytics: what /stats, /stats ab, /segments, /sources, /export and /customer
read, each in one short read-only session, and the charts drawn off the event loop.

The numbers come from SQL in `storage/queries/` (the metric definitions are there and in
README.md); the intervals and verdicts from `bot.analytics.verdict`; the words from
`bot.analytics.render`. Nothing here writes, except the daily segment snapshot.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.analytics import charts
from bot.analytics.csv_files import CsvWriter
from bot.analytics.periods import period_bounds
from bot.analytics.stats import Interval
from bot.analytics.verdict import (
    CHECKIN_REPLY,
    CONVERSION,
    CSAT,
    ESCALATION,
    RATE_METRICS,
    RETENTION_30,
    TIME_TO_ACTION,
    Comparison,
    compare_means,
    compare_medians,
    compare_rate,
)
from bot.clock import Clock, as_utc
from bot.conversation.pipeline import MessagePipeline
from bot.handoff.card import CardFacts
from bot.handoff.facts import gather
from profiling.engine import Assessment
from storage.db import SessionFactory
from storage.models import Checkin, Customer, Survey
from storage.queries import activity, export, lookup, metrics, segments
from storage.queries.metrics import Figures, LinkFunnel

log = logging.getLogger(__name__)

# Rows of the customer CSV fetched and written at a time.
EXPORT_CHUNK = 5000
# The figures' independent statements run side by side on this many extra connections:
# SQLite answers each in its own thread, PostgreSQL in its own backend.
PARALLEL_STATEMENTS = max(2, min(4, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class StatsReport:
    period: str
    since: datetime | None
    until: datetime
    total: Figures
    by_source: dict[int | None, Figures]
    by_segment: dict[str, Figures]
    source_labels: dict[int, str]


@dataclass(frozen=True, slots=True)
class AbReport:
    period: str
    adaptive: Figures
    holdout: Figures
    comparisons: tuple[Comparison, ...]


@dataclass(frozen=True, slots=True)
class SegmentsReport:
    period: str
    now: segments.Distribution
    before: segments.Distribution | None
    before_day: date | None
    examples: dict[str, list[segments.Example]]


@dataclass(frozen=True, slots=True)
class CustomerCard:
    customer: Customer
    assessment: Assessment | None
    pinned: frozenset[str]  # segments an admin corrected (the profile's overrides)
    facts: CardFacts
    totals: lookup.CustomerTotals
    checkins: tuple[Checkin, ...]
    surveys: tuple[Survey, ...]


@dataclass(frozen=True, slots=True)
class ExportFiles:
    customers: Path
    customer_rows: int
    dialogs: Path
    dialog_rows: int
    directory: Path


class AnalyticsService:
    def __init__(
        self,
        session_factory: SessionFactory,
        clock: Clock,
        pipeline: MessagePipeline,
        *,
        utc_offset_minutes: int,
        holdout_percent: float,
        currency: str = "RUB",
    ) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.pipeline = pipeline
        self.utc_offset_minutes = utc_offset_minutes
        self.holdout_percent = holdout_percent
        self.currency = currency
        # One report's statements at a time: each takes PARALLEL_STATEMENTS + 1 connections,
        # and customers' messages must never wait for the pool behind admins' taps.
        self._reports = asyncio.Semaphore(1)

    def _local_day(self, moment: datetime) -> date:
        """The shop's calendar day of a moment (snapshots are filed by it)."""
        return (as_utc(moment) + timedelta(minutes=self.utc_offset_minutes)).date()

    def bounds(self, period: str) -> tuple[datetime | None, datetime]:
        return period_bounds(period, as_utc(self.clock()), self.utc_offset_minutes)

    # -- /stats ---------------------------------------------------------------------------

    @asynccontextmanager
    async def _reading(
        self, since: datetime | None, until: datetime
    ) -> AsyncIterator[AsyncSession]:
        """A session whose transaction already holds every statement of the period, run
        side by side on helper connections (`metrics.prefetch`)."""
        async with (
            self._reports,
            self.session_factory() as session,
            AsyncExitStack() as stack,
        ):
            helpers = [
                await stack.enter_async_context(self.session_factory())
                for _ in range(PARALLEL_STATEMENTS)
            ]
            await metrics.prefetch(session, helpers, since=since, until=until)
            yield session

    async def stats(self, period: str) -> StatsReport:
        since, until = self.bounds(period)
        async with self._reading(since, until) as session:
            total = await metrics.figures(session, since=since, until=until, by="total")
            by_source = await metrics.figures(session, since=since, until=until, by="source")
            by_segment = await metrics.figures(session, since=since, until=until, by="segment")
            labels = await metrics.source_labels(session)
        return StatsReport(
            period=period,
            since=since,
            until=until,
            total=total.get(None, Figures()),
            by_source=by_source,
            by_segment=by_segment,
            source_labels=labels,
        )

    async def ab(self, period: str) -> AbReport:
        since, until = self.bounds(period)
        async with self._reading(since, until) as session:
            groups = await metrics.figures(session, since=since, until=until, by="holdout")
            samples = await metrics.samples(session, since=since, until=until)
        adaptive, holdout = groups.get(False, Figures()), groups.get(True, Figures())
        a_samples, h_samples = samples.get(False), samples.get(True)
        a_seconds = a_samples.seconds_to_action if a_samples else []
        h_seconds = h_samples.seconds_to_action if h_samples else []
        a_ratings = [float(r) for r in (a_samples.ratings if a_samples else [])]
        h_ratings = [float(r) for r in (h_samples.ratings if h_samples else [])]
        a30, h30 = _retention(adaptive, 30), _retention(holdout, 30)
        comparisons = (
            compare_rate(
                CONVERSION,
                adaptive.converted,
                adaptive.dialogs,
                holdout.converted,
                holdout.dialogs,
            ),
            compare_medians(TIME_TO_ACTION, a_seconds, h_seconds, higher_is_better=False),
            compare_means(CSAT, a_ratings, h_ratings),
            compare_rate(
                ESCALATION,
                adaptive.escalated,
                adaptive.dialogs,
                holdout.escalated,
                holdout.dialogs,
                higher_is_better=False,
            ),
            compare_rate(RETENTION_30, a30[0], a30[1], h30[0], h30[1]),
            compare_rate(
                CHECKIN_REPLY,
                adaptive.checkins_replied,
                adaptive.checkins_sent,
                holdout.checkins_replied,
                holdout.checkins_sent,
            ),
        )
        return AbReport(period, adaptive, holdout, comparisons)

    # -- /segments -----------------------------------------------------------------------

    async def segments(self, period: str, *, examples: int = 3) -> SegmentsReport:
        since, _until = self.bounds(period)
        now = as_utc(self.clock())
        async with self.session_factory() as session:
            current = await segments.distribution(session)
            # The snapshot taken at the end of the day before the period began (for all
            # time: the first one).
            wanted = self._local_day(since) - timedelta(days=1) if since is not None else None
            day = await lookup.snapshot_day(session, on_or_before=wanted)
            before = await segments.snapshot_at(session, day) if day is not None else None
            shown = {
                name: await segments.examples(session, name, limit=examples)
                for name, count in current.segments.items()
                if count and name != "none"
            }
            # Today's counts are kept too, so the history grows even between daily runs.
            await segments.take_snapshot(
                session, now=now, utc_offset_minutes=self.utc_offset_minutes
            )
            await session.commit()
        return SegmentsReport(period, current, before, day if before else None, shown)

    async def snapshot(self) -> int:
        """The daily job: today's segment and band counts (a repeated run overwrites)."""
        async with self.session_factory() as session:
            written = await segments.take_snapshot(
                session, now=as_utc(self.clock()), utc_offset_minutes=self.utc_offset_minutes
            )
            await session.commit()
        return written

    # -- /sources ------------------------------------------------------------------------

    async def sources(self, period: str) -> list[LinkFunnel]:
        since, until = self.bounds(period)
        async with self.session_factory() as session:
            rows = await metrics.link_funnel(session, since=since, until=until)
        return sorted(rows, key=lambda row: (-row.dialogs, -row.starts, row.payload or ""))

    # -- charts ----------------------------------------------------------------------------

    async def funnel_chart(
        self, period: str, *, title: str, stages: tuple[str, str, str], direct: str, empty: str
    ) -> bytes:
        rows = await self.sources(period)
        funnel = [
            charts.FunnelRow(row.payload or direct, row.starts, row.dialogs, row.conversions)
            for row in rows[:12]
        ]
        return await asyncio.to_thread(
            charts.funnel_chart, funnel, title=title, stage_labels=stages, empty=empty
        )

    async def segments_chart(
        self,
        report: SegmentsReport,
        names: dict[str, str],
        *,
        title: str,
        empty: str,
        now_label: str,
        previous_label: str,
    ) -> bytes:
        counts = [(names.get(key, key), n) for key, n in report.now.segments.items()]
        previous = (
            [
                (names.get(key, key), report.before.segments.get(key, 0))
                for key in report.now.segments
            ]
            if report.before is not None
            else None
        )
        return await asyncio.to_thread(
            charts.segments_chart,
            counts,
            title=title,
            empty=empty,
            previous=previous,
            previous_label=previous_label,
            now_label=now_label,
        )

    async def heatmap_chart(
        self, period: str, *, title: str, weekdays: Sequence[str], empty: str
    ) -> bytes:
        since, until = self.bounds(period)
        async with self.session_factory() as session:
            grid = await activity.heatmap(
                session, since=since, until=until, utc_offset_minutes=self.utc_offset_minutes
            )
        return await asyncio.to_thread(
            charts.heatmap_chart, grid, title=title, weekdays=weekdays, empty=empty
        )

    async def ab_chart(
        self,
        report: AbReport,
        labels: dict[str, str],
        *,
        title: str,
        groups: tuple[str, str],
        empty: str,
    ) -> bytes:
        rows = [
            _ab_row(labels.get(c.metric, c.metric), c)
            for c in report.comparisons
            if c.adaptive is not None or c.holdout is not None
        ]
        return await asyncio.to_thread(
            charts.ab_chart, rows, title=title, group_labels=groups, empty=empty
        )

    # -- /export ---------------------------------------------------------------------------

    async def export(self, period: str) -> ExportFiles:
        """Both CSV files in a new temporary directory (the caller sends, then removes it),
        written a chunk at a time: 100,000 customers never sit in memory at once."""
        since, until = self.bounds(period)
        directory = Path(tempfile.mkdtemp(prefix="barista-export-"))
        stamp = as_utc(self.clock()).strftime("%Y%m%d-%H%M")
        customers_path = directory / f"customers-{stamp}.csv"
        dialogs_path = directory / f"dialogs-{period}-{stamp}.csv"
        try:
            async with self.session_factory() as session:
                customer_rows = await _write_csv(
                    customers_path, export.CUSTOMER_COLUMNS, export.customer_rows(session)
                )
                dialog_rows = await _write_csv(
                    dialogs_path,
                    export.DIALOG_COLUMNS,
                    export.dialog_rows(session, since=since, until=until),
                )
        except BaseException:
            # A half-written file of personal data must not stay behind.
            await asyncio.to_thread(shutil.rmtree, directory, True)
            raise
        return ExportFiles(customers_path, customer_rows, dialogs_path, dialog_rows, directory)

    # -- /customer -------------------------------------------------------------------------

    async def find_customer(self, query: str) -> int | None:
        async with self.session_factory() as session:
            return await lookup.find_customer(session, query)

    async def customer_card(self, customer_id: int) -> CustomerCard | None:
        pipeline = self.pipeline
        async with self.session_factory() as session:
            customer = await session.get(Customer, customer_id)
            if customer is None:
                return None
            assessment: Assessment | None = None
            pinned: frozenset[str] = frozenset()
            if pipeline.profiling_allowed(customer):
                state = await pipeline.profiles.peek(session, customer_id)
                if state is not None:
                    now = as_utc(self.clock()).timestamp()
                    assessment = pipeline.engine.assess(state, max(now, state.at))
                    pinned = frozenset(state.overrides)
            facts = await gather(session, customer, reason="", why="", assessment=assessment)
            totals = await lookup.totals(session, customer_id)
            checkins = tuple(await lookup.recent_checkins(session, customer_id))
            surveys = tuple(await lookup.recent_surveys(session, customer_id))
            session.expunge_all()  # plain values for the renderer, after the session ends
        return CustomerCard(customer, assessment, pinned, facts, totals, checkins, surveys)


def _ab_row(label: str, c: Comparison) -> charts.AbRow:
    scale = 100.0 if c.metric in RATE_METRICS else 1.0

    def value(x: float | None) -> float | None:
        return None if x is None else x * scale

    def interval(i: Interval | None) -> Interval | None:
        return None if i is None else Interval(i.low * scale, i.high * scale)

    unit = f"{label}, %" if c.metric in RATE_METRICS else label
    return charts.AbRow(
        unit,
        value(c.adaptive),
        interval(c.adaptive_interval),
        value(c.holdout),
        interval(c.holdout_interval),
    )


def _retention(figures: Figures, days: int) -> tuple[int, int]:
    for span, kept, eligible in figures.retention:
        if span == days:
            return kept, eligible
    return 0, 0


async def _write_csv(path: Path, header: Sequence[str], rows: AsyncIterator[Any]) -> int:
    """Rows from the database into a CSV file, each chunk written off the event loop."""
    writer = await asyncio.to_thread(CsvWriter, path, header)
    written = 0
    chunk: list[Sequence[str]] = []
    try:
        async for row in rows:
            chunk.append(row)
            if len(chunk) >= EXPORT_CHUNK:
                await asyncio.to_thread(writer.write_rows, chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            await asyncio.to_thread(writer.write_rows, chunk)
            written += len(chunk)
    finally:
        await asyncio.to_thread(writer.close)
    return written
