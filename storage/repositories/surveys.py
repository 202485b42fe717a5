"""CSAT surveys: the sweep's candidates, asking once per dialog, ratings and comments.

Once per dialog is the database's rule: `survey.dialog_id` is unique and a survey is created
with INSERT … ON CONFLICT DO NOTHING, so of two processes asking about the same dialog at once
exactly one wins and only the winner sends.

The first rating wins: a press on another button of the same question (or the same press
delivered twice) changes nothing and is answered "already rated". A rating is a statement
about the dialog as it was; letting a second press overwrite it would let a stray tap on the
old message change the figure days later, and would make the `customer.unhappy` signal of a
low rating undoable. The update is guarded by `rating IS NULL`, so two presses racing in two
processes cannot both count.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, false, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Customer, Dialog, Handoff, Message, Survey
from storage.models.analytics import MAX_COMMENT_CHARS, SURVEY_TRIGGERS
from storage.models.handoff import OPEN_STATUSES
from storage.repositories.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class Candidate:
    """A customer whose latest dialog ended a while ago and has no survey yet."""

    customer_id: int
    channel: str
    external_id: str
    dialog_id: int


def _conversational(customer_id: object) -> list[object]:
    """The customer's own conversational messages (not commands, not failures)."""
    return [
        col(Message.customer_id) == customer_id,
        col(Message.direction) == "in",
        col(Message.status) == "received",
    ]


async def candidates(
    session: AsyncSession,
    *,
    now: datetime,
    after: timedelta,
    max_age: timedelta,
    min_messages: int,
    limit: int,
    min_gap: timedelta = timedelta(0),
) -> list[Candidate]:
    """Customers to ask about their latest dialog: it ended (their last conversational
    message is at least `after` old), not longer than `max_age` ago, it had at least
    `min_messages` of their messages, and it has no survey.

    Customers who can never be asked (blocked, opted out of check-ins, consent declined, no
    address) and those a person is talking with are left out here, so the `limit` is spent
    on customers the core will really ask (it checks again, in the customer's turn).

    The scan starts from `ix_customer_last_seen`: only customers seen between `now - max_age`
    and `now - after` are looked at (`last_seen_at` is written coarsely, so it follows their
    last message only to within a few minutes: the exact test is on the messages).
    Each of them costs a few index lookups: the latest dialog (`ix_dialog_customer_started`),
    its survey (the unique dialog id), an open handoff (`uq_handoff_customer_open`), and
    their messages since the dialog began (`ix_message_customer_created`) — never a scan of
    all dialogs or messages, so a sweep costs what the last day's customers cost, however
    long the history.
    """
    oldest, newest = now - max_age, now - after

    def latest(column: Any) -> Any:
        # The customer's latest dialog, by ix_dialog_customer_started: a lookup per customer
        # (a join would let the planner hash every dialog ever held).
        return (
            select(column)
            .where(col(Dialog.customer_id) == col(Customer.id))
            .order_by(col(Dialog.started_at).desc(), col(Dialog.id).desc())
            .limit(1)
            .correlate(Customer)
            .scalar_subquery()
        )

    # In steps, each computed once per customer (PostgreSQL would otherwise inline the steps
    # and repeat the lookups): the customers seen in the window who may be asked at all,
    # with their latest dialog; those whose dialog has no survey and who are with nobody;
    # those whose dialog ended in the window and was long enough.
    seen = (
        select(
            col(Customer.id).label("customer_id"),
            Customer.channel,
            Customer.external_id,
            Customer.last_seen_at,
            latest(Dialog.id).label("dialog_id"),
            latest(Dialog.started_at).label("started_at"),
        )
        .where(
            col(Customer.last_seen_at) >= oldest,
            col(Customer.last_seen_at) <= newest,
            col(Customer.blocked) == false(),
            col(Customer.checkins_opt_out) == false(),
            or_(col(Customer.consent).is_(None), col(Customer.consent) == true()),
            col(Customer.address).is_not(None),
        )
        .cte("seen")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    unasked = (
        select(seen)
        .where(
            col(seen.c.dialog_id).is_not(None),
            # Scalar lookups, not NOT EXISTS: an anti-join may hash the whole survey table.
            select(Survey.id)
            .where(col(Survey.dialog_id) == seen.c.dialog_id)
            .scalar_subquery()
            .is_(None),
            select(Handoff.id)
            .where(
                col(Handoff.customer_id) == seen.c.customer_id,
                col(Handoff.status).in_(OPEN_STATUSES),
            )
            .limit(1)
            .scalar_subquery()
            .is_(None),
            # Not asked lately (ix_survey_customer_asked): no survey fatigue.
            select(Survey.id)
            .where(
                col(Survey.customer_id) == seen.c.customer_id,
                col(Survey.asked_at) > now - min_gap,
            )
            .limit(1)
            .scalar_subquery()
            .is_(None),
        )
        .cte("unasked")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    in_dialog = and_(
        *_conversational(unasked.c.customer_id), col(Message.created_at) >= unasked.c.started_at
    )
    said = select(func.count()).where(in_dialog).scalar_subquery()
    last_said = select(func.max(Message.created_at)).where(in_dialog).scalar_subquery()
    query = (
        select(unasked.c.customer_id, unasked.c.channel, unasked.c.external_id, unasked.c.dialog_id)
        .where(said >= min_messages, last_said.between(oldest, newest))
        .order_by(unasked.c.last_seen_at, unasked.c.customer_id)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [Candidate(*row) for row in rows]


async def asked_since(session: AsyncSession, customer_id: int, since: datetime) -> bool:
    """Whether the customer was asked for a rating after `since`."""
    result = await session.execute(
        select(Survey.id)
        .where(col(Survey.customer_id) == customer_id, col(Survey.asked_at) > since)
        .limit(1)
    )
    return result.first() is not None


async def dialog_messages(session: AsyncSession, customer_id: int, dialog: Dialog) -> int:
    """The customer's conversational messages since `dialog` began."""
    result = await session.execute(
        select(func.count()).where(
            *_conversational(customer_id), col(Message.created_at) >= dialog.started_at
        )
    )
    return int(result.scalar_one())


async def create(
    session: AsyncSession, *, customer_id: int, dialog_id: int, trigger: str, asked_at: datetime
) -> int | None:
    """Ask about a dialog: the new survey's id, or None when the dialog has one already
    (asked before, or by another process a moment ago — then that one sends, not us)."""
    if trigger not in SURVEY_TRIGGERS:
        raise ValueError(f"unknown survey trigger {trigger!r}")
    won = await insert_ignore(
        session,
        Survey,
        {
            "customer_id": customer_id,
            "dialog_id": dialog_id,
            "trigger": trigger,
            "asked_at": asked_at,
        },
        ["dialog_id"],
    )
    if not won:
        return None
    result = await session.execute(select(Survey.id).where(col(Survey.dialog_id) == dialog_id))
    return int(result.scalar_one())


async def for_dialog(session: AsyncSession, dialog_id: int) -> Survey | None:
    result = await session.execute(select(Survey).where(col(Survey.dialog_id) == dialog_id))
    return result.scalar_one_or_none()


async def get(session: AsyncSession, survey_id: int) -> Survey | None:
    return await session.get(Survey, survey_id)


async def set_message(session: AsyncSession, survey_id: int, message_id: str | None) -> None:
    """The channel's id of the message that asked (None: it did not go out)."""
    await session.execute(
        update(Survey)
        .where(col(Survey.id) == survey_id)
        .values(message_id=message_id[:64] if message_id else None),
        execution_options={"synchronize_session": False},
    )


async def record_rating(
    session: AsyncSession,
    survey_id: int,
    *,
    customer_id: int,
    rating: int,
    at: datetime,
    follow_up_until: datetime | None = None,
) -> bool:
    """The customer's rating (1-5), if it is the first; False when the survey is rated
    already, is not this customer's, or is gone. `follow_up_until` opens the "what went
    wrong?" question (a low rating) in the same statement."""
    if not 1 <= rating <= 5:
        raise ValueError(f"a rating is 1-5, got {rating}")
    result = await session.execute(
        update(Survey)
        .where(
            col(Survey.id) == survey_id,
            col(Survey.customer_id) == customer_id,
            col(Survey.rating).is_(None),
        )
        .values(rating=rating, rated_at=at, follow_up_until=follow_up_until),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


async def record_comment(session: AsyncSession, survey_id: int, text: str, at: datetime) -> bool:
    """The customer's answer to "what went wrong?" while the question is open (the first
    answer only; long ones cut at MAX_COMMENT_CHARS); False when it is closed or answered."""
    result = await session.execute(
        update(Survey)
        .where(
            col(Survey.id) == survey_id,
            col(Survey.comment).is_(None),
            col(Survey.follow_up_until) >= at,
        )
        .values(comment=text[:MAX_COMMENT_CHARS], commented_at=at),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


async def open_follow_up(session: AsyncSession, customer_id: int, now: datetime) -> Survey | None:
    """The customer's survey whose "what went wrong?" question still waits for an answer."""
    result = await session.execute(
        select(Survey)
        .where(
            col(Survey.customer_id) == customer_id,
            col(Survey.follow_up_until) >= now,
            col(Survey.comment).is_(None),
        )
        .order_by(col(Survey.asked_at).desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def open_follow_ups(session: AsyncSession, now: datetime) -> list[tuple[int, int, datetime]]:
    """(customer id, survey id, open until) of every open follow-up question, newest asked
    first (read once by a process that starts: there are only a few at any time)."""
    result = await session.execute(
        select(Survey.customer_id, Survey.id, Survey.follow_up_until)
        .where(col(Survey.follow_up_until) >= now, col(Survey.comment).is_(None))
        .order_by(col(Survey.asked_at).desc())
    )
    return [(c, s, u) for c, s, u in result.all() if u is not None]
