"""How fast the admin analytics answer over a big database (issue #12: /stats over 1,000,000
messages and 100,000 customers in ≤ 1 s on SQLite and on PostgreSQL; a chart in ≤ 1 s).

    .venv/bin/python bench/analytics_stats.py [--url sqlite+aiosqlite:////tmp/analytics_100k.db]
        [--build [--customers 100000] [--messages 1000000] [--seed 7]] [--repeat 5] [--json]

The database is one made by `bench/analytics_db.py` (`--build` makes it first, afresh). Every
step runs `--repeat` times after one untimed warm-up (its time is shown as "first": the cold
run, with SQL compiled and the caches empty) in a fresh session; the table gives min, median
and max in ms and the median over the baseline's, a bare `SELECT COUNT(*) FROM dialog` timed
in the same run (the cheapest full pass over the dialogs), so a slow or busy machine shows
as a slow baseline rather than as slow analytics.

* **queries** (`storage.queries`): "stats <period>" is what one /stats needs for a period —
  `metrics.figures` for the four groupings (total, source, segment, holdout) and
  `metrics.samples`; then each of those alone for all time; "sources" is
  `metrics.link_funnel`, "segments" `segments.distribution`, "heatmap"
  `activity.heatmap` over 30 days;
* **commands** (`bot.analytics.service.AnalyticsService` plus the text, all but the sending):
  /stats, /stats ab, /sources and /segments (which also stores today's segment snapshot, as
  the command does: a repeated run overwrites it);
* **charts**: drawing each chart (`bot.analytics.charts`) from data fetched beforehand, and a
  chart button end to end (`handlers.telegram.admin.charts.draw`: the query and the drawing).

"Now" is the generator's fixed moment (`--now`), so the periods cover the planted history.
A module or function that is not there yet is skipped with a line saying which.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import platform
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bench.analytics_db import NOW, build
from storage.db import SessionFactory, create_engine, create_session_factory, safe_url

GOAL_MS = 1000.0
UTC_OFFSET_MINUTES = 180
HOLDOUT_PERCENT = 10
PERIODS = ("7d", "30d", "all")
GROUPINGS = ("total", "source", "segment", "holdout")
COUNTED = ("customer", "message", "dialog", "conversion", "survey", "handoff", "checkin")


@dataclass(slots=True)
class Step:
    section: str
    name: str
    run: Callable[[], Awaitable[Any]]
    first_ms: float = 0.0
    times_ms: list[float] = field(default_factory=list)
    error: str | None = None


def _lookup(module: str, *names: str) -> tuple[Any, ...] | str:
    """The named attributes of a module, or why they cannot be had (yet)."""
    try:
        found = importlib.import_module(module)
    except ImportError as exc:
        return f"{module} is not there yet ({exc})"
    missing = [name for name in names if not hasattr(found, name)]
    if missing:
        return f"{module} has no {', '.join(missing)} yet"
    return tuple(getattr(found, name) for name in names)


def _bounds(period: str, now: datetime) -> tuple[datetime | None, datetime]:
    days = {"7d": 7, "30d": 30}.get(period)
    return (None if days is None else now - timedelta(days=days)), now


class Bench:
    def __init__(self, factory: SessionFactory, now: datetime) -> None:
        self.factory = factory
        self.now = now
        self.steps: list[Step] = []
        self.skipped: list[str] = []

    def add(self, section: str, name: str, run: Callable[[], Awaitable[Any]]) -> None:
        self.steps.append(Step(section, name, run))

    def skip(self, what: str, why: str) -> None:
        self.skipped.append(f"{what}: skipped, {why}")

    def in_session(self, work: Callable[[Any], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        async def run() -> Any:
            async with self.factory() as session:
                return await work(session)

        return run

    # ---------------------------------------------------------------------- steps
    def baseline(self) -> None:
        async def count(session: Any) -> int:
            return int((await session.execute(text("SELECT COUNT(*) FROM dialog"))).scalar_one())

        self.add("baseline", "SELECT COUNT(*) FROM dialog", self.in_session(count))

    def queries(self) -> None:
        found = _lookup("storage.queries.metrics", "figures", "samples", "link_funnel")
        if isinstance(found, str):
            self.skip("stats, sources", found)
        else:
            figures, samples, link_funnel = found
            for period in PERIODS:
                since, until = _bounds(period, self.now)

                async def stats(session: Any, since: Any = since, until: Any = until) -> None:
                    for by in GROUPINGS:
                        await figures(session, since=since, until=until, by=by)
                    await samples(session, since=since, until=until)

                self.add("queries", f"stats {period} (4 figures + samples)", self.in_session(stats))
            for by in GROUPINGS:

                async def one(session: Any, by: str = by) -> None:
                    await figures(session, since=None, until=self.now, by=by)

                self.add("queries", f"  figures by {by}, all", self.in_session(one))

            async def all_samples(session: Any) -> None:
                await samples(session, since=None, until=self.now)

            async def funnel(session: Any) -> None:
                await link_funnel(session, since=None, until=self.now)

            self.add("queries", "  samples, all", self.in_session(all_samples))
            self.add("queries", "sources all (link_funnel)", self.in_session(funnel))
        found = _lookup("storage.queries.segments", "distribution")
        if isinstance(found, str):
            self.skip("segments", found)
        else:
            (distribution,) = found
            self.add("queries", "segments (distribution)", self.in_session(distribution))
        found = _lookup("storage.queries.activity", "heatmap")
        if isinstance(found, str):
            self.skip("heatmap", found)
        else:
            (heatmap,) = found

            async def grid(session: Any) -> Any:
                return await heatmap(
                    session,
                    since=self.now - timedelta(days=30),
                    until=self.now,
                    utc_offset_minutes=UTC_OFFSET_MINUTES,
                )

            self.add("queries", "heatmap 30d", self.in_session(grid))

    def service(self) -> Any:
        found = _lookup("bot.analytics.service", "AnalyticsService")
        if isinstance(found, str):
            self.skip("commands", found)
            return None
        (service_class,) = found
        # The pipeline is only read by the customer card, which is not timed here.
        return service_class(
            self.factory,
            lambda: self.now,
            None,
            utc_offset_minutes=UTC_OFFSET_MINUTES,
            holdout_percent=HOLDOUT_PERCENT,
        )

    def commands(self, analytics: Any) -> None:
        found = _lookup(
            "bot.analytics.render", "render_stats", "render_ab", "render_sources", "render_segments"
        )
        if isinstance(found, str):
            self.skip("commands", found)
            return
        render_stats, render_ab, render_sources, render_segments = found
        lang = _ru()
        currency = analytics.currency
        for period in PERIODS:

            async def stats(period: str = period) -> str:
                return render_stats(await analytics.stats(period), lang, currency=currency)

            self.add("commands", f"/stats {period}", stats)

        async def ab() -> str:
            report = await analytics.ab("all")
            return render_ab(report, lang, holdout_percent=analytics.holdout_percent)

        async def sources() -> str:
            rows = await analytics.sources("all")
            return render_sources(rows, lang, period="all", currency=currency)

        async def segments() -> str:
            return render_segments(await analytics.segments("30d"), lang, period="30d")

        self.add("commands", "/stats ab all", ab)
        self.add("commands", "/sources all", sources)
        self.add("commands", "/segments 30d (+ today's snapshot)", segments)

    async def charts(self, analytics: Any) -> None:
        found = _lookup(
            "bot.analytics.charts",
            "funnel_chart",
            "segments_chart",
            "heatmap_chart",
            "ab_chart",
            "FunnelRow",
        )
        if isinstance(found, str):
            self.skip("charts", found)
            return
        funnel_chart, segments_chart, heatmap_chart, ab_chart, funnel_row = found
        inputs = await self.chart_inputs(analytics, funnel_row)
        weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        drawings: dict[str, Callable[[], bytes]] = {}
        if "funnel" in inputs:
            drawings["funnel"] = lambda: funnel_chart(
                inputs["funnel"],
                title="Sources, all time",
                stage_labels=("starts", "dialogs", "conversions"),
                empty="no data",
            )
        if "segments" in inputs:
            now, before = inputs["segments"]
            drawings["segments"] = lambda: segments_chart(
                now,
                title="Segments",
                empty="no data",
                previous=before,
                previous_label="30 days ago",
                now_label="now",
            )
        if "heatmap" in inputs:
            drawings["heatmap"] = lambda: heatmap_chart(
                inputs["heatmap"], title="Activity, 30 days", weekdays=weekdays, empty="no data"
            )
        if "ab" in inputs:
            drawings["ab"] = lambda: ab_chart(
                inputs["ab"],
                title="Adaptive vs holdout",
                group_labels=("adaptive", "holdout"),
                empty="no data",
            )
        for name, draw in drawings.items():

            async def render(draw: Callable[[], bytes] = draw) -> int:
                return len(draw())

            self.add("charts", f"draw {name}", render)
        found = _lookup("handlers.telegram.admin.charts", "draw", "CHARTS")
        if isinstance(found, str):
            self.skip("chart buttons", found)
            return
        button, kinds = found
        for kind in kinds:

            async def press(kind: str = kind) -> int:
                return len(await button(analytics, kind, "30d", _ru()))

            self.add("charts", f"{kind} chart 30d, end to end", press)

    async def chart_inputs(self, analytics: Any, funnel_row: Any) -> dict[str, Any]:
        """The data each chart is drawn from, fetched once the way the service does."""
        inputs: dict[str, Any] = {}
        try:
            rows = await analytics.sources("all")
            inputs["funnel"] = [
                funnel_row(r.payload or "direct", r.starts, r.dialogs, r.conversions)
                for r in rows[:12]
            ]
        except Exception as exc:  # the service is being written: say what failed, go on
            self.skip("draw funnel", f"the service's sources failed: {exc!r}")
        found = _lookup("storage.queries.segments", "distribution")
        if isinstance(found, str):
            self.skip("draw segments", found)
        else:
            async with self.factory() as session:
                now = await found[0](session)
            counts = list(now.segments.items())
            inputs["segments"] = (counts, [(k, round(n * 0.9)) for k, n in counts])
        found = _lookup("storage.queries.activity", "heatmap")
        if isinstance(found, str):
            self.skip("draw heatmap", found)
        else:
            async with self.factory() as session:
                inputs["heatmap"] = await found[0](
                    session,
                    since=self.now - timedelta(days=30),
                    until=self.now,
                    utc_offset_minutes=UTC_OFFSET_MINUTES,
                )
        ab_row = _lookup("bot.analytics.service", "_ab_row")
        try:
            report = await analytics.ab("all")
            if isinstance(ab_row, str):
                raise LookupError(ab_row)
            inputs["ab"] = [ab_row[0](c.metric, c) for c in report.comparisons]
        except Exception as exc:
            self.skip("draw ab", f"the A/B rows could not be made: {exc!r}")
        return inputs

    # ---------------------------------------------------------------------- timing
    async def run(self, repeat: int) -> None:
        for step in self.steps:
            try:
                started = time.perf_counter()
                await step.run()
                step.first_ms = (time.perf_counter() - started) * 1000
                for _ in range(repeat):
                    started = time.perf_counter()
                    await step.run()
                    step.times_ms.append((time.perf_counter() - started) * 1000)
            except Exception as exc:
                step.error = f"{type(exc).__name__}: {exc}"[:300]


class StatementClock:
    """When each SQL statement began, from the engine's own events: a statement's time is
    from its start to the next one's (or the end of the call), so fetching and turning its
    rows into Python counts too."""

    def __init__(self, engine: Any) -> None:
        self.marks: list[tuple[float, str]] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._mark)

    def _mark(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.marks.append((time.perf_counter(), statement))

    async def spans(self, call: Callable[[], Awaitable[Any]]) -> list[tuple[str, float]]:
        self.marks.clear()
        await call()
        ends = [t for t, _ in self.marks[1:]] + [time.perf_counter()]
        return [
            (_tables(sql), (end - t) * 1000) for (t, sql), end in zip(self.marks, ends, strict=True)
        ]


def _tables(sql: str) -> str:
    """A statement's name for the detail table: the tables it reads, in order."""
    names: list[str] = []
    for name in re.findall(r'\b(?:FROM|JOIN)\s+"?([a-z_]+)"?', sql):
        if name not in names and not name.startswith("anon"):
            names.append(name)
    return ", ".join(names[:5]) or sql.split()[0]


async def detail(bench: Bench, clock: StatementClock, repeat: int) -> list[dict[str, Any]]:
    """Each statement behind `metrics.figures` for every grouping, all time (`--detail`)."""
    found = _lookup("storage.queries.metrics", "figures")
    if isinstance(found, str):
        bench.skip("detail", found)
        return []
    (figures,) = found
    rows = []
    for by in GROUPINGS:

        async def one(by: str = by) -> None:
            async with bench.factory() as session:
                await figures(session, since=None, until=bench.now, by=by)

        await one()  # warm-up
        runs = [await clock.spans(one) for _ in range(repeat)]
        for i, (label, _) in enumerate(runs[0]):
            times = [run[i][1] for run in runs if i < len(run)]
            rows.append(
                {
                    "by": by,
                    "statement": i + 1,
                    "reads": label,
                    "median_ms": statistics.median(times),
                }
            )
    return rows


def _ru() -> Any:
    from profiling.types import Lang

    return Lang.RU


async def _counts(factory: SessionFactory) -> dict[str, int]:
    counts = {}
    async with factory() as session:
        for table in COUNTED:
            counts[table] = int(
                (await session.execute(text(f"SELECT COUNT(*) FROM {table}"))).scalar_one()
            )
    return counts


def _report(bench: Bench, backend: str, url: str, counts: dict[str, int], repeat: int) -> dict:
    baseline = next((s for s in bench.steps if s.section == "baseline"), None)
    base_ms = statistics.median(baseline.times_ms) if baseline and baseline.times_ms else None
    print(f"### Analytics over {backend} ({datetime.now(UTC):%Y-%m-%d})\n")
    print(f"CPython {platform.python_version()}; {url}")
    print(", ".join(f"{n:,} {t}" for t, n in counts.items()))
    print(f"each step: 1 untimed warm-up ('first'), then {repeat} timed runs; goal <= 1000 ms\n")
    print("| step | first ms | min ms | median ms | max ms | x baseline | goal |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    steps: dict[str, Any] = {}
    section = None
    for step in bench.steps:
        if step.section != section:
            section = step.section
            print(f"| **{section}** | | | | | | |")
        if step.error is not None:
            print(f"| {step.name} | failed: {step.error} | | | | | |")
            steps[step.name] = {"section": step.section, "error": step.error}
            continue
        low, mid, high = min(step.times_ms), statistics.median(step.times_ms), max(step.times_ms)
        ratio = f"{mid / base_ms:.1f}" if base_ms else "-"
        goal = (
            ""
            if step.section == "baseline" or step.name.startswith("  ")
            else ("ok" if mid <= GOAL_MS else "OVER")
        )
        print(
            f"| {step.name} | {step.first_ms:.1f} | {low:.1f} | {mid:.1f} | {high:.1f} "
            f"| {ratio} | {goal} |"
        )
        steps[step.name.strip()] = {
            "section": step.section,
            "first_ms": round(step.first_ms, 2),
            "min_ms": round(low, 2),
            "median_ms": round(mid, 2),
            "max_ms": round(high, 2),
            "x_baseline": round(mid / base_ms, 2) if base_ms else None,
        }
    if bench.skipped:
        print()
    for line in bench.skipped:
        print(line)
    return {
        "backend": backend,
        "url": url,
        "rows": counts,
        "repeat": repeat,
        "baseline_median_ms": round(base_ms, 2) if base_ms else None,
        "steps": steps,
        "skipped": bench.skipped,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="sqlite+aiosqlite:////tmp/analytics_100k.db")
    parser.add_argument("--build", action="store_true", help="make the database first, afresh")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", type=datetime.fromisoformat, default=NOW)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--detail", action="store_true", help="also time each SQL statement behind the figures"
    )
    parser.add_argument("--json", action="store_true", help="end with the results as one line")
    args = parser.parse_args()
    now = args.now if args.now.tzinfo else args.now.replace(tzinfo=UTC)
    if args.build:
        await build(
            args.url,
            customers=args.customers,
            messages=args.messages,
            seed=args.seed,
            now=now,
            fresh=True,
        )
        print()
    backend = "SQLite" if make_url(args.url).get_backend_name() == "sqlite" else "PostgreSQL"
    engine = create_engine(args.url)
    try:
        factory = create_session_factory(engine)
        counts = await _counts(factory)
        bench = Bench(factory, now)
        bench.baseline()
        bench.queries()
        analytics = bench.service()
        if analytics is not None:
            bench.commands(analytics)
            await bench.charts(analytics)
        clock = StatementClock(engine)
        await bench.run(args.repeat)
        statements = await detail(bench, clock, args.repeat) if args.detail else []
    finally:
        await engine.dispose()
    result = _report(bench, backend, safe_url(args.url), counts, args.repeat)
    if statements:
        print("\nThe statements behind `figures`, all time (median ms of the runs above):\n")
        print("| by | # | reads | median ms |")
        print("| --- | ---: | --- | ---: |")
        for row in statements:
            print(f"| {row['by']} | {row['statement']} | {row['reads']} | {row['median_ms']:.1f} |")
        result["detail"] = statements
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
