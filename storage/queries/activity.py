"""When customers write: the weekly heatmap of incoming conversational messages (the chart
behind the admin's activity button), by the shop's local weekday and hour."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, extract, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Message
from storage.queries.common import in_period, utc_wall_clock

WEEK_HOURS = 7 * 24


async def heatmap(
    session: AsyncSession, *, since: datetime | None, until: datetime, utc_offset_minutes: int
) -> list[list[int]]:
    """7 × 24 counts — [weekday][hour], Monday = 0 — of the customers' conversational
    messages (incoming, status "received": not commands, not failed ones) created in the
    period, by the shop's local time (UTC + `utc_offset_minutes`).

    The database groups by UTC weekday and hour (EXTRACT works alike on both; dow 0 is
    Sunday on both), and the 168 cells are moved by the offset here. An offset that is not
    a whole number of hours splits each UTC hour at the minute where the local hour turns,
    so that split is grouped by too.
    """
    shift_hours, minutes = divmod(utc_offset_minutes, 60)  # minutes in 0..59, also if < 0
    wall = utc_wall_clock(Message.created_at)
    groups = [extract("dow", wall), extract("hour", wall)]
    if minutes:
        # Inline, not bound: PostgreSQL matches the GROUP BY expression to the selected one
        # only if they are identical, and each bound parameter gets its own number.
        turn = literal_column(str(60 - minutes))
        groups.append(case((extract("minute", wall) >= turn, 1), else_=0))
    rows = await session.execute(
        select(*groups, func.count())
        .where(
            col(Message.direction) == "in",
            col(Message.status) == "received",
            in_period(col(Message.created_at), since, until),
        )
        .group_by(*groups)
    )
    grid = [[0] * 24 for _ in range(7)]
    for row in rows.all():
        dow, hour, count = int(row[0]), int(row[1]), int(row[-1])
        late = int(row[2]) if minutes else 0
        monday_based = (dow + 6) % 7
        cell = (monday_based * 24 + hour + shift_hours + late) % WEEK_HOURS
        grid[cell // 24][cell % 24] += count
    return grid
