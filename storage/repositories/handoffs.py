"""Human handoffs and the bot's posts in the operator chat.

A customer has at most one open handoff (waiting or active) — a partial unique index holds
that even when two processes start one at once. Status changes are guarded updates (only from
the status they leave), so an operator's answer, an operator's /done, the customer and the
timeout sweeper can race and each change happens once: the caller learns from the returned
flag whether its call made it. The sweeper *claims* expired waiting handoffs in one atomic
statement that also marks them timed out, so two sweepers never both tell the customer.

Status changes go through ORM-enabled UPDATE statements, so a `Handoff` the session already
holds shows the new values. Functions take the caller's session and never commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Handoff, HandoffPost
from storage.models.handoff import (
    ACTIVE,
    BY_CUSTOMER,
    BY_ERASURE,
    BY_OPERATOR,
    BY_TIMEOUT,
    CLOSED,
    ENDED_STATUSES,
    MAX_DETAIL_CHARS,
    OPEN_STATUSES,
    OPEN_WHERE,
    REASON_ASKED,
    REASON_FAILED_TWICE,
    REASON_HOT_LEAD,
    REASON_IRRITATION,
    TIMED_OUT,
    WAITING,
)
from storage.repositories.upsert import insert_ignore

__all__ = [
    "ACTIVE",
    "BY_CUSTOMER",
    "BY_ERASURE",
    "BY_OPERATOR",
    "BY_TIMEOUT",
    "CLOSED",
    "OPEN_STATUSES",
    "REASON_ASKED",
    "REASON_FAILED_TWICE",
    "REASON_HOT_LEAD",
    "REASON_IRRITATION",
    "TIMED_OUT",
    "WAITING",
    "add_post",
    "by_post",
    "claim_expired",
    "close",
    "count_by_reason",
    "history",
    "open_by_thread",
    "open_for",
    "set_card",
    "start",
    "take",
]

_OPEN = col(Handoff.status).in_(OPEN_STATUSES)


def _clip(detail: str | None) -> str | None:
    if detail is None or len(detail) <= MAX_DETAIL_CHARS:
        return detail
    return detail[: MAX_DETAIL_CHARS - 1] + "…"


# -- opening -----------------------------------------------------------------------------


async def open_for(session: AsyncSession, customer_id: int) -> Handoff | None:
    """The customer's open handoff (waiting or active), if any."""
    result = await session.execute(
        select(Handoff).where(col(Handoff.customer_id) == customer_id, _OPEN)
    )
    return result.scalar_one_or_none()


async def start(
    session: AsyncSession,
    *,
    customer_id: int,
    reason: str,
    detail: str | None,
    at: datetime,
    deadline_at: datetime,
) -> tuple[Handoff, bool]:
    """Open a waiting handoff for the customer; return it and whether this call created it.

    When the customer has an open handoff already, that one is returned (unchanged) with
    False. Two callers racing for the same customer meet on the partial unique index: the
    loser's insert does nothing (ON CONFLICT on the index's columns and predicate, no
    savepoint) and it reads the winner's row. `detail` is clipped to 500 characters.
    """
    insert_ = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = (
        insert_(Handoff)
        .values(
            customer_id=customer_id,
            status=WAITING,
            reason=reason,
            detail=_clip(detail),
            requested_at=at,
            deadline_at=deadline_at,
        )
        .on_conflict_do_nothing(index_elements=["customer_id"], index_where=OPEN_WHERE)
        .returning(Handoff)
    )
    # The loser of a race reads the winner's row; should that row have ended between the
    # two statements (READ COMMITTED), the insert is simply tried again.
    for _ in range(3):
        created = (await session.execute(statement)).scalar_one_or_none()
        if created is not None:
            return created, True
        existing = await open_for(session, customer_id)
        if existing is not None:
            return existing, False
    raise RuntimeError(f"could not open a handoff for customer {customer_id}")


# -- the operator chat -------------------------------------------------------------------


async def add_post(session: AsyncSession, handoff_id: int, chat_id: str, message_id: int) -> bool:
    """Remember a message the bot posted in the operator chat for the handoff (the card or a
    relayed customer message). False when that message was recorded already."""
    return await insert_ignore(
        session,
        HandoffPost,
        {"handoff_id": handoff_id, "chat_id": chat_id, "message_id": message_id},
        ["chat_id", "message_id"],
    )


async def set_card(
    session: AsyncSession,
    handoff_id: int,
    chat_id: str,
    message_id: int,
    thread_id: int | None,
) -> None:
    """Record where the handoff's card went (chat, forum topic, message) and add the card
    as one of its posts."""
    await session.execute(
        update(Handoff)
        .where(col(Handoff.id) == handoff_id)
        .values(chat_id=chat_id, card_message_id=message_id, thread_id=thread_id)
    )
    await add_post(session, handoff_id, chat_id, message_id)


async def by_post(session: AsyncSession, chat_id: str, message_id: int) -> Handoff | None:
    """The handoff a message the bot posted in the operator chat belongs to, whatever its
    status (the caller decides what a reply to an ended handoff means)."""
    result = await session.execute(
        select(Handoff)
        .join(HandoffPost, col(HandoffPost.handoff_id) == col(Handoff.id))
        .where(col(HandoffPost.chat_id) == chat_id, col(HandoffPost.message_id) == message_id)
    )
    return result.scalar_one_or_none()


async def open_by_thread(session: AsyncSession, chat_id: str, thread_id: int) -> Handoff | None:
    """The open handoff whose card is in that forum topic of the operator chat (the newest,
    should a topic ever hold two)."""
    result = await session.execute(
        select(Handoff)
        .where(col(Handoff.chat_id) == chat_id, col(Handoff.thread_id) == thread_id, _OPEN)
        .order_by(col(Handoff.id).desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


# -- status changes ----------------------------------------------------------------------


async def take(
    session: AsyncSession,
    handoff_id: int,
    *,
    operator_id: str,
    operator_name: str | None,
    at: datetime,
) -> bool:
    """An operator answered: waiting → active, with who and when. Only a waiting handoff is
    taken, so of two operators answering at once one wins; True when this call took it (an
    active handoff stays with its operator, an ended one stays ended)."""
    result = await session.execute(
        update(Handoff)
        .where(col(Handoff.id) == handoff_id, col(Handoff.status) == WAITING)
        .values(status=ACTIVE, operator_id=operator_id, operator_name=operator_name, taken_at=at)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


async def close(
    session: AsyncSession,
    handoff_id: int,
    *,
    at: datetime,
    by: str,
    status: str = CLOSED,
) -> bool:
    """End an open handoff (waiting or active) with `status` ("closed" or "timed_out"),
    when and by whom ("operator", "timeout", "customer", "erasure"). True when this call
    ended it; an ended handoff is left as it is."""
    if status not in ENDED_STATUSES:
        raise ValueError(f"a handoff ends as one of {ENDED_STATUSES}, not {status!r}")
    result = await session.execute(
        update(Handoff)
        .where(col(Handoff.id) == handoff_id, _OPEN)
        .values(status=status, closed_at=at, closed_by=by)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


async def claim_expired(session: AsyncSession, now: datetime, limit: int = 100) -> list[Handoff]:
    """Waiting handoffs whose deadline passed (`deadline_at <= now`), up to `limit`, oldest
    deadline first: atomically marked timed out (closed at `now` by "timeout") and returned.

    The claim is the status change itself, so a handoff is returned once, to one sweeper.
    PostgreSQL: the expired rows are locked with `FOR UPDATE SKIP LOCKED` in a CTE and
    updated in the same statement, so two sweepers get disjoint rows without waiting for each
    other (and a row an operator is taking at that moment is skipped, then re-checked by the
    next sweep). SQLite: `UPDATE … WHERE id IN (SELECT …) RETURNING`, one write statement;
    SQLite runs one writer at a time.
    """
    expired = (col(Handoff.status) == WAITING, col(Handoff.deadline_at) <= now)
    values = {"status": TIMED_OUT, "closed_at": now, "closed_by": BY_TIMEOUT}
    order = (col(Handoff.deadline_at), col(Handoff.id))
    if session.get_bind().dialect.name == "postgresql":
        due = (
            select(col(Handoff.id))
            .where(*expired)
            .order_by(*order)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("expired")
        )
        statement = update(Handoff).where(col(Handoff.id) == due.c.id)
    else:
        due_ids = select(col(Handoff.id)).where(*expired).order_by(*order).limit(limit)
        statement = update(Handoff).where(col(Handoff.id).in_(due_ids.scalar_subquery()))
    result = await session.execute(
        statement.values(values).returning(Handoff),
        execution_options={"synchronize_session": "fetch"},
    )
    claimed = list(result.scalars())
    # RETURNING does not promise an order.
    claimed.sort(key=lambda handoff: (handoff.deadline_at, handoff.id or 0))
    return claimed


# -- reading -----------------------------------------------------------------------------


async def history(session: AsyncSession, customer_id: int) -> list[Handoff]:
    """Every handoff of the customer, newest first (for the customer's data export)."""
    result = await session.execute(
        select(Handoff)
        .where(col(Handoff.customer_id) == customer_id)
        .order_by(col(Handoff.requested_at).desc(), col(Handoff.id).desc())
    )
    return list(result.scalars())


async def count_by_reason(session: AsyncSession, since: datetime) -> dict[str, int]:
    """How many handoffs were requested at or after `since`, by reason."""
    result = await session.execute(
        select(Handoff.reason, func.count())
        .where(col(Handoff.requested_at) >= since)
        .group_by(col(Handoff.reason))
    )
    return {reason: int(n) for reason, n in result.all()}
