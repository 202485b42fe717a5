"""The application's APScheduler: the daily retention job, its policy, and that running it
deletes what is past retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Application
from bot.runtime.scheduler import RETENTION_GRACE_S, build_scheduler
from storage.models import Message, SegmentSnapshot
from tests.factories import ManualClock, TelegramCustomer, feed, stored_rows


async def test_retention_runs_daily_at_the_configured_local_hour(app: Application) -> None:
    settings = app.settings.model_copy(update={"retention_hour": 3, "timezone_offset_minutes": 180})
    scheduler = build_scheduler(settings, app.session_factory, app.clock)
    scheduler.start()
    try:
        job = scheduler.get_job("retention")
        assert job is not None and job.max_instances == 1 and job.coalesce
        assert job.misfire_grace_time == RETENTION_GRACE_S
        after = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # 13:00 at UTC+3
        upcoming = job.trigger.get_next_fire_time(None, after)
        assert upcoming is not None
        assert upcoming.astimezone(UTC) == datetime(2026, 12, 3, 0, 0, tzinfo=UTC)  # 03:00 +3
    finally:
        scheduler.shutdown(wait=False)


async def test_the_job_deletes_old_texts(app: Application, clock: ManualClock) -> None:
    old = TelegramCustomer(8301, "Ян", "ru")
    await feed(app, old.message("очень старое сообщение", clock()))
    await app.reply_log.flush()
    clock.now = clock.now + timedelta(days=200)
    scheduler = build_scheduler(app.settings, app.session_factory, app.clock)
    job = scheduler.get_job("retention")
    assert job is not None
    await job.func()
    assert not await stored_rows(app, Message)


async def test_the_segment_snapshot_runs_at_the_end_of_the_shops_day(
    app: Application, clock: ManualClock
) -> None:
    """/segments compares with the counts kept each evening; the job keeps them."""
    await feed(app, TelegramCustomer(8302, "Ия", "ru").message("Срочно! Где заказ?", clock()))
    await app.profiles.flush()
    settings = app.settings.model_copy(update={"timezone_offset_minutes": 180})
    scheduler = build_scheduler(settings, app.session_factory, app.clock)
    job = scheduler.get_job("segment_snapshot")
    assert job is not None
    after = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    upcoming = job.trigger.get_next_fire_time(None, after)
    assert upcoming is not None
    assert upcoming.astimezone(UTC) == datetime(2026, 12, 2, 20, 50, tzinfo=UTC)  # 23:50 +3
    await job.func()
    rows = await stored_rows(app, SegmentSnapshot)
    assert {row.kind for row in rows} == {"segment", "hotness", "churn"}
    assert sum(row.customers for row in rows if row.kind == "hotness") == 1
    assert {row.day for row in rows} == {clock().date()}
