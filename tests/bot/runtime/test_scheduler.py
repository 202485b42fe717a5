"""The application's APScheduler: the daily retention job, its policy, and that running it
deletes what is past retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Application
from bot.runtime.scheduler import RETENTION_GRACE_S, build_scheduler
from storage.models import Message
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
