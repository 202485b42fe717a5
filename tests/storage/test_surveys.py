"""The CSAT survey repository on SQLite and on the machine's real PostgreSQL: the sweep's
candidates (ended, not too old, long enough, no survey yet, nobody who can't be asked), one
survey per dialog (also with two processes asking at once on PostgreSQL), the first rating
wins, the follow-up question and its comment, and the cascade with the customer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from storage.db import SessionFactory
from storage.models import Customer, Dialog, Handoff, Message, Survey
from storage.models.analytics import MAX_COMMENT_CHARS, SURVEY_HANDBACK, SURVEY_INACTIVITY
from storage.repositories import surveys
from storage.repositories.surveys import Candidate

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
AFTER = timedelta(minutes=30)
MAX_AGE = timedelta(hours=24)
_ids = iter(range(1, 10**6))


async def talked(
    factory: SessionFactory,
    *,
    ended: timedelta = 40 * MINUTE,
    said: int = 3,
    commands: int = 0,
    address: str | None = "x",
    **fields: object,
) -> tuple[int, int]:
    """A customer whose dialog of `said` messages (a minute apart) ended `ended` before NOW;
    returns (customer id, dialog id)."""
    number = next(_ids)
    last = NOW - ended
    first = last - (said - 1) * MINUTE
    async with factory() as session:
        customer = Customer(
            external_id=str(number),
            address=str(number) if address else None,
            created_at=first,
            last_seen_at=last,
            **fields,
        )
        session.add(customer)
        await session.flush()
        assert customer.id is not None
        dialog = Dialog(customer_id=customer.id, started_at=first)
        session.add(dialog)
        for n in range(said):
            session.add(
                Message(
                    customer_id=customer.id,
                    direction="in",
                    text=f"message {n}",
                    chars=9,
                    created_at=first + n * MINUTE,
                )
            )
        for n in range(commands):
            session.add(
                Message(
                    customer_id=customer.id,
                    direction="in",
                    text="/help",
                    chars=5,
                    created_at=last + (n + 1) * MINUTE,
                    status="command",
                )
            )
        await session.flush()
        assert dialog.id is not None
        ids = (customer.id, dialog.id)
        await session.commit()
    return ids


async def found(
    factory: SessionFactory,
    *,
    limit: int = 100,
    min_messages: int = 2,
    min_gap: timedelta = timedelta(0),
) -> list[int]:
    async with factory() as session:
        rows = await surveys.candidates(
            session,
            now=NOW,
            after=AFTER,
            max_age=MAX_AGE,
            min_messages=min_messages,
            limit=limit,
            min_gap=min_gap,
        )
    return [row.customer_id for row in rows]


async def ask(factory: SessionFactory, customer_id: int, dialog_id: int) -> int | None:
    async with factory() as session:
        survey_id = await surveys.create(
            session,
            customer_id=customer_id,
            dialog_id=dialog_id,
            trigger=SURVEY_INACTIVITY,
            asked_at=NOW,
        )
        await session.commit()
    return survey_id


async def fetch(factory: SessionFactory, survey_id: int) -> Survey:
    async with factory() as session:
        survey = await surveys.get(session, survey_id)
    assert survey is not None
    return survey


async def test_candidates_are_ended_recent_long_enough_dialogs_without_a_survey(
    session_factory: SessionFactory,
) -> None:
    ended, dialog = await talked(session_factory)
    talking, _ = await talked(session_factory, ended=10 * MINUTE)
    old, _ = await talked(session_factory, ended=25 * HOUR)
    short, _ = await talked(session_factory, said=1)
    # Commands after the dialog do not keep it going, nor count as its messages.
    with_commands, _ = await talked(session_factory, said=1, commands=3)
    async with session_factory() as session:
        [row] = await surveys.candidates(
            session, now=NOW, after=AFTER, max_age=MAX_AGE, min_messages=2, limit=10
        )
    assert row == Candidate(ended, "telegram", str(row.external_id), dialog)
    assert await found(session_factory, min_messages=1) == [ended, short, with_commands]
    assert talking not in await found(session_factory, min_messages=1)
    assert old not in await found(session_factory, min_messages=1)


async def test_customers_who_cannot_be_asked_are_not_candidates(
    session_factory: SessionFactory,
) -> None:
    fine, _ = await talked(session_factory)
    await talked(session_factory, blocked=True)
    await talked(session_factory, checkins_opt_out=True)
    await talked(session_factory, consent=False)
    consented, _ = await talked(session_factory, consent=True)
    objected, _ = await talked(session_factory, profiling_opt_out=True)
    holdout, _ = await talked(session_factory, holdout=True)
    await talked(session_factory, address=None)
    held, _ = await talked(session_factory)
    async with session_factory() as session:
        session.add(
            Handoff(
                customer_id=held,
                status="active",
                reason="asked",
                requested_at=NOW - HOUR,
                deadline_at=NOW,
            )
        )
        await session.commit()
    assert await found(session_factory) == [fine, consented, objected, holdout]


async def test_a_surveyed_dialog_is_not_a_candidate_but_the_next_one_is(
    session_factory: SessionFactory,
) -> None:
    customer_id, dialog_id = await talked(session_factory, ended=3 * HOUR)
    assert await ask(session_factory, customer_id, dialog_id) is not None
    assert await found(session_factory) == []
    async with session_factory() as session:  # a new dialog later
        started = NOW - HOUR
        session.add(Dialog(customer_id=customer_id, started_at=started))
        for n in range(2):
            session.add(
                Message(
                    customer_id=customer_id,
                    direction="in",
                    text="again",
                    chars=5,
                    created_at=started + n * MINUTE,
                )
            )
        customer = await session.get(Customer, customer_id)
        assert customer is not None
        customer.last_seen_at = started + MINUTE
        await session.commit()
    assert await found(session_factory) == [customer_id]
    # Unless the previous survey was too recent (CSAT_MIN_GAP_HOURS): it was asked at NOW.
    assert await found(session_factory, min_gap=timedelta(hours=72)) == []
    assert await found(session_factory, min_gap=timedelta(seconds=0)) == [customer_id]
    async with session_factory() as session:
        assert await surveys.asked_since(session, customer_id, NOW - timedelta(hours=1))
        assert not await surveys.asked_since(session, customer_id, NOW)


async def test_the_limit_takes_those_who_fell_silent_first(
    session_factory: SessionFactory,
) -> None:
    late, _ = await talked(session_factory, ended=2 * HOUR)
    early, _ = await talked(session_factory, ended=5 * HOUR)
    assert await found(session_factory, limit=1) == [early]
    assert await found(session_factory) == [early, late]


async def test_one_survey_per_dialog(session_factory: SessionFactory) -> None:
    customer_id, dialog_id = await talked(session_factory)
    first = await ask(session_factory, customer_id, dialog_id)
    assert first is not None
    assert await ask(session_factory, customer_id, dialog_id) is None
    async with session_factory() as session:
        with pytest.raises(ValueError):
            await surveys.create(
                session, customer_id=customer_id, dialog_id=dialog_id, trigger="x", asked_at=NOW
            )
        await surveys.set_message(session, first, "42:17")
        await session.commit()
        survey = await surveys.for_dialog(session, dialog_id)
    assert survey is not None and survey.id == first
    assert (survey.trigger, survey.message_id, survey.rating) == (SURVEY_INACTIVITY, "42:17", None)


async def test_the_first_rating_wins_and_only_the_customers_own(
    session_factory: SessionFactory,
) -> None:
    customer_id, dialog_id = await talked(session_factory)
    other, _ = await talked(session_factory)
    survey_id = await ask(session_factory, customer_id, dialog_id)
    assert survey_id is not None
    async with session_factory() as session:
        assert not await surveys.record_rating(
            session, survey_id, customer_id=other, rating=1, at=NOW
        )
        assert await surveys.record_rating(
            session, survey_id, customer_id=customer_id, rating=4, at=NOW
        )
        assert not await surveys.record_rating(
            session, survey_id, customer_id=customer_id, rating=1, at=NOW + MINUTE
        )
        with pytest.raises(ValueError):
            await surveys.record_rating(
                session, survey_id, customer_id=customer_id, rating=6, at=NOW
            )
        await session.commit()
    survey = await fetch(session_factory, survey_id)
    assert (survey.rating, survey.follow_up_until) == (4, None)
    assert survey.rated_at is not None and survey.rated_at.astimezone(UTC) == NOW


async def test_a_low_rating_opens_the_follow_up_and_its_first_answer_is_the_comment(
    session_factory: SessionFactory,
) -> None:
    customer_id, dialog_id = await talked(session_factory)
    survey_id = await ask(session_factory, customer_id, dialog_id)
    assert survey_id is not None
    until = NOW + 30 * MINUTE
    async with session_factory() as session:
        assert await surveys.open_follow_up(session, customer_id, NOW) is None
        await surveys.record_rating(
            session, survey_id, customer_id=customer_id, rating=1, at=NOW, follow_up_until=until
        )
        await session.commit()
        waiting = await surveys.open_follow_up(session, customer_id, NOW + MINUTE)
        assert waiting is not None and waiting.id == survey_id
        assert await surveys.open_follow_ups(session, NOW) == [(customer_id, survey_id, until)]
        assert await surveys.open_follow_ups(session, until + MINUTE) == []
        # Too late: closed.
        assert not await surveys.record_comment(session, survey_id, "late", until + MINUTE)
        long = "Долго ждал ответа. " * 200
        assert await surveys.record_comment(session, survey_id, long, NOW + 2 * MINUTE)
        assert not await surveys.record_comment(session, survey_id, "again", NOW + 3 * MINUTE)
        await session.commit()
        assert await surveys.open_follow_up(session, customer_id, NOW + 4 * MINUTE) is None
        assert await surveys.open_follow_ups(session, NOW) == []
    survey = await fetch(session_factory, survey_id)
    assert survey.comment == long[:MAX_COMMENT_CHARS]
    assert survey.commented_at is not None


async def test_the_dialogs_customer_messages_are_counted(
    session_factory: SessionFactory,
) -> None:
    customer_id, dialog_id = await talked(session_factory, said=4, commands=2)
    async with session_factory() as session:
        dialog = await session.get(Dialog, dialog_id)
        assert dialog is not None
        assert await surveys.dialog_messages(session, customer_id, dialog) == 4


async def test_surveys_go_with_the_customer(session_factory: SessionFactory) -> None:
    customer_id, dialog_id = await talked(session_factory)
    await ask(session_factory, customer_id, dialog_id)
    async with session_factory() as session:
        await session.execute(delete(Message).where(Message.customer_id == customer_id))  # type: ignore[arg-type]
        await session.execute(delete(Dialog).where(Dialog.customer_id == customer_id))  # type: ignore[arg-type]
        await session.execute(delete(Customer).where(Customer.id == customer_id))  # type: ignore[arg-type]
        await session.commit()
        assert (await session.execute(select(Survey))).scalars().all() == []


async def test_two_processes_asking_about_one_dialog_on_postgresql_one_wins(
    postgres_factory: SessionFactory,
) -> None:
    customer_id, dialog_id = await talked(postgres_factory)
    # The first asker's row is not committed yet: the second waits for it, then loses.
    async with postgres_factory() as first, postgres_factory() as second:
        won = await surveys.create(
            first,
            customer_id=customer_id,
            dialog_id=dialog_id,
            trigger=SURVEY_HANDBACK,
            asked_at=NOW,
        )
        racing = asyncio.create_task(
            surveys.create(
                second,
                customer_id=customer_id,
                dialog_id=dialog_id,
                trigger=SURVEY_INACTIVITY,
                asked_at=NOW,
            )
        )
        await asyncio.sleep(0.2)
        assert not racing.done()  # blocked on the unique index
        await first.commit()
        assert won is not None and await racing is None
        await second.commit()
    # Many at once: exactly one of them.
    other, other_dialog = await talked(postgres_factory)
    results = await asyncio.gather(*(ask(postgres_factory, other, other_dialog) for _ in range(8)))
    assert len([r for r in results if r is not None]) == 1
    async with postgres_factory() as session:
        rows = (await session.execute(select(Survey))).scalars().all()
    assert sorted(row.trigger for row in rows) == [SURVEY_HANDBACK, SURVEY_INACTIVITY]
