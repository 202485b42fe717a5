"""Pieces every analytics query shares: the period filter, the customer's segment as one SQL
CASE expression, and the two bits of date arithmetic the databases spell differently.

Everything here renders to SQL that SQLite (aiosqlite) and PostgreSQL (asyncpg) answer the
same way; the two custom constructs below are the only places with per-dialect SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Float, String, and_, case, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from storage.models import Profile

# The segments in the order that breaks ties: a customer whose largest values are equal
# belongs to the earlier one. The names are `profiling.assess.segments.Segment`'s values (a
# test checks they match); they are spelled out here so a reordered enum cannot silently
# change the tie-break of stored figures.
SEGMENTS: tuple[str, ...] = (
    "urgent",
    "researcher",
    "doubting_buyer",
    "returning_with_problem",
    "irritated",
    "price_sensitive",
)
NO_SEGMENT = "none"
# A segment value at or above this makes the customer "in" the segment.
SEGMENT_THRESHOLD = 0.5
_THRESHOLD_SQL = literal_column(repr(SEGMENT_THRESHOLD), Float)  # inline, see `_constant`

ProfileLike = Any  # the Profile class or an alias of it


def in_period(column: Any, since: datetime | None, until: datetime) -> ColumnElement[bool]:
    """`since <= column < until`; no lower bound when `since` is None (all time)."""
    upper: ColumnElement[bool] = column < until
    return upper if since is None else and_(column >= since, upper)


def segment_expression(profile: ProfileLike = Profile) -> ColumnElement[str]:
    """The customer's segment from their profile row: the largest value if it reaches the
    threshold, ties to the earlier segment in `SEGMENTS`, else "none".

    Each branch asks "at least the threshold and at least every other value"; because CASE
    takes the first true branch, an equal value of an earlier segment has already won, which
    is exactly the tie order. Over a LEFT JOIN with no profile every comparison is NULL, so
    the customer falls to "none" too.
    """
    values = {name: getattr(profile, name) for name in SEGMENTS}
    whens = [
        (
            and_(
                value >= _THRESHOLD_SQL,
                *(value >= other for key, other in values.items() if key != name),
            ),
            _constant(name),
        )
        for name, value in values.items()
    ]
    return case(*whens, else_=_constant(NO_SEGMENT))


def _constant(name: str) -> ColumnElement[str]:
    # Inline SQL text, not a bound parameter: PostgreSQL matches a GROUP BY or PARTITION BY
    # expression to the selected one only when they are the same, and two renderings of one
    # CASE would carry different parameters ($1… and $7…). The names are our own constants.
    assert name.isidentifier(), name
    return literal_column(f"'{name}'", String)


class seconds_between(FunctionElement[float]):
    """`later − earlier` in seconds, as a number both databases compare alike.

    PostgreSQL: the epoch of the interval, exact to the microsecond. SQLite keeps timestamps
    as text; `julianday` is its cheapest date function (one tenth of a `strftime` with a
    modifier, which matters over 100,000 customers) but returns days as a float, so the
    difference is rounded to milliseconds (SQLite's own date precision): a gap of exactly
    30 days then compares equal to 30 × 86,400 instead of a few microseconds above it.
    """

    type = Float()
    inherit_cache = True


@compiles(seconds_between)
def _seconds_default(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"round((julianday({later}) - julianday({earlier})) * 86400.0, 3)"


class utc_wall_clock(FunctionElement[datetime]):
    """The timestamp as UTC wall-clock time, for EXTRACT of weekday and hour: PostgreSQL
    extracts from a timestamptz in the session's time zone, so it is converted to UTC first;
    SQLite's text is UTC already."""

    type = DateTime()
    inherit_cache = True


@compiles(utc_wall_clock)
def _utc_default(element: utc_wall_clock, compiler: SQLCompiler, **kw: Any) -> str:
    (argument,) = element.clauses
    return f"timezone('UTC', {compiler.process(argument, **kw)})"


@compiles(utc_wall_clock, "sqlite")
def _utc_sqlite(element: utc_wall_clock, compiler: SQLCompiler, **kw: Any) -> str:
    (argument,) = element.clauses
    return compiler.process(argument, **kw)
