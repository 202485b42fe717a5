"""The retention job on the production application's database: old texts and site events
go, batch by batch; the profile stays; a second run deletes nothing; customers without
consent keep no history past a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Application
from bot.privacy.retention import run_retention
from storage.models import Dialog, ErasureLog, Message, Profile, Survey
from storage.models.customer import Customer
from tests.factories import ManualClock, TelegramCustomer, feed, stored_rows

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


async def _consent(app: Application, user_id: int, version: str | None) -> None:
    async with app.session_factory() as session:
        customer = (
            await session.execute(
                Customer.__table__.select().where(Customer.external_id == str(user_id))  # type: ignore[attr-defined]
            )
        ).first()
        assert customer is not None
        row = await session.get(Customer, customer.id)
        assert row is not None
        row.consent, row.consent_version = (True, version) if version else (None, None)
        await session.commit()


async def test_old_texts_go_in_batches_the_profile_stays_and_a_second_run_deletes_nothing(
    app: Application, clock: ManualClock
) -> None:
    old, recent = TelegramCustomer(8101, "Анна", "ru"), TelegramCustomer(8102, "Олег", "ru")
    clock.now = NOW - timedelta(days=120)
    for n in range(5):
        clock.advance(60)
        await feed(app, old.message(f"старое сообщение {n}", clock()))
    clock.now = NOW - timedelta(days=10)
    await feed(app, recent.message("свежее сообщение", clock()))
    for user in (8101, 8102):
        await _consent(app, user, "1")
    await app.reply_log.flush()
    await app.profiles.flush()
    profiles_before = await stored_rows(app, Profile)

    result = await run_retention(
        app.session_factory,
        now=NOW,
        message_days=90,
        event_days=180,
        consent_version="1",
        opt_in=True,
        batch=3,
    )
    assert result.messages == 10  # five messages and five replies, in batches of three
    texts = [m.text for m in await stored_rows(app, Message)]
    assert texts and not any("старое" in text for text in texts)
    assert any("свежее" in text for text in texts)
    assert len(await stored_rows(app, Profile)) == len(profiles_before)
    [entry] = await stored_rows(app, ErasureLog)
    assert entry.rows_deleted == {"message": 10, "site_event": 0, "survey_comment": 0}
    assert entry.subject_hash is None

    again = await run_retention(
        app.session_factory,
        now=NOW,
        message_days=90,
        event_days=180,
        consent_version="1",
        opt_in=True,
    )
    assert (again.messages, again.site_events, again.unconsented) == (0, 0, 0)


async def test_survey_comments_are_cleared_like_texts_and_the_rating_stays(
    app: Application, clock: ManualClock
) -> None:
    """A low rating's comment is the customer's words: it goes with the texts' retention
    (or after a day without consent); the rating, a number, stays for the figures."""
    old, anon = TelegramCustomer(8105, "Нина", "ru"), TelegramCustomer(8106, "Лев", "ru")
    clock.now = NOW - timedelta(days=100)
    await feed(app, old.message("давний вопрос", clock()))
    clock.now = NOW - timedelta(days=2)
    await feed(app, anon.message("вопрос без согласия", clock()))
    await _consent(app, 8105, "1")
    await _consent(app, 8106, None)
    customers = {c.external_id: c for c in await stored_rows(app, Customer)}
    dialogs = {d.customer_id: d for d in await stored_rows(app, Dialog)}
    async with app.session_factory() as session:
        for external, days in (("8105", 100), ("8106", 2)):
            customer = customers[external]
            at = NOW - timedelta(days=days)
            session.add(
                Survey(
                    customer_id=customer.id,
                    dialog_id=dialogs[customer.id].id,
                    trigger="inactivity",
                    asked_at=at,
                    rating=1,
                    rated_at=at,
                    comment="курьер нагрубил",
                    commented_at=at,
                )
            )
        await session.commit()
    result = await run_retention(
        app.session_factory,
        now=NOW,
        message_days=90,
        event_days=180,
        consent_version="1",
        opt_in=True,
    )
    assert result.survey_comments == 2
    surveys = await stored_rows(app, Survey)
    assert [(s.rating, s.comment) for s in surveys] == [(1, None), (1, None)]


async def test_without_consent_nothing_is_kept_past_a_day(
    app: Application, clock: ManualClock
) -> None:
    anon, agreed = TelegramCustomer(8103, "Вера", "ru"), TelegramCustomer(8104, "Ира", "ru")
    clock.now = NOW - timedelta(days=2)
    await feed(app, anon.message("вопрос без согласия", clock()))
    await feed(app, agreed.message("вопрос с согласием", clock()))
    await _consent(app, 8103, None)  # the notice recorded at first contact, withdrawn
    await _consent(app, 8104, "1")
    await app.reply_log.flush()
    result = await run_retention(
        app.session_factory,
        now=NOW,
        message_days=90,
        event_days=180,
        consent_version="1",
        opt_in=True,
    )
    assert result.unconsented == 2  # the question and the bot's reply
    texts = [m.text for m in await stored_rows(app, Message)]
    assert "вопрос с согласием" in texts and "вопрос без согласия" not in texts
