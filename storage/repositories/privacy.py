"""Privacy (152-FZ, GDPR): consent decisions, a customer's data export (`/mydata`), erasure
(`/forget`, and the shop's own erasure request), the erasure log, and retention.

What "concerns a customer" is read from the schema itself, so a new table is covered without
touching this module: the customer's row; every row of every table with a `customer_id`
column (a foreign key or not — the outbox has none on purpose) or any other foreign key to
`customer.id`; and, following foreign keys from parent to child, every row that points to one
of those rows (a handoff's posts, a linked shop customer's orders and site events, a
conversion's dialog). Ad sources are shared campaign links, not personal: the export lists the
ones the customer's rows refer to, and erasure leaves them.

Outbox events are matched by their `customer_id` column, which every enqueued event about a
customer carries (its payload's `data.customer` block names the same customer). The one
exception is `customer.erased` (`ERASURE_NOTICE_EVENT`): the notice of an earlier erasure is
about a subject that no longer exists and must reach the CRM, so neither the export nor the
erasure of a customer touches it — even when SQLite hands the erased id to a new customer.
The caller erases first and enqueues its own `customer.erased` event afterwards.

Functions take the caller's session and never commit. Retention deletes one batch per call,
so the caller commits between batches and no lock is held long.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, Table, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col
from sqlmodel.main import default_registry

from storage.models import (
    Consent,
    Customer,
    ErasureLog,
    Message,
    Profile,
    ShopCustomer,
    SiteEvent,
    Survey,
)
from storage.models.privacy import (
    BY_ADMIN,
    BY_CUSTOMER,
    BY_SHOP_API,
    MODE_NOTICE,
    MODE_OPT_IN,
    REASON_CUSTOMER_REQUEST,
    REASON_RETENTION,
    REASON_SHOP_REQUEST,
)

__all__ = [
    "BY_ADMIN",
    "BY_CUSTOMER",
    "BY_SHOP_API",
    "ERASURE_NOTICE_EVENT",
    "MODE_NOTICE",
    "MODE_OPT_IN",
    "REASON_CUSTOMER_REQUEST",
    "REASON_RETENTION",
    "REASON_SHOP_REQUEST",
    "SHOP_RECORDS",
    "add_erasure_log",
    "clear_old_survey_comments",
    "consent_history",
    "delete_messages_outside_dialog",
    "delete_old_message_texts",
    "delete_old_site_events",
    "erase_customer",
    "erase_shop_customer",
    "erasures_of",
    "export_customer",
    "linked_shop_ids",
    "record_consent",
    "scan_for",
    "scan_ids",
]

# Must equal `bot.signals.events.SignalType.CUSTOMER_ERASED` (a test checks it).
ERASURE_NOTICE_EVENT = "customer.erased"
# The shop's own records of a customer, kept (only unlinked) by `keep_shop_records=True`.
SHOP_RECORDS = ("shop_customer", "shop_order")

_CUSTOMER_TABLE = "customer"
_SHOP_CUSTOMER_TABLE = "shop_customer"
_SHARED_TABLE = "ad_source"

# Rows a root's predicate would match but that are not about it (see the module docstring).
_NOT_ABOUT: dict[str, Callable[[Table], ColumnElement[bool]]] = {
    "outbox_event": lambda table: table.c.event_type != ERASURE_NOTICE_EVENT,
}


# -- consent -----------------------------------------------------------------------------


async def record_consent(
    session: AsyncSession,
    customer: Customer,
    *,
    version: str,
    accepted: bool,
    mode: str,
    at: datetime,
) -> Consent:
    """A consent decision (accept, decline, withdraw) for `version` of the consent text: the
    customer's latest-decision fields change and a history row is appended."""
    if customer.id is None:
        raise ValueError("record_consent needs a stored customer")
    customer.consent = accepted
    customer.consent_version = version
    customer.consent_at = at
    customer.consent_mode = mode
    row = Consent(customer_id=customer.id, version=version, accepted=accepted, mode=mode, at=at)
    session.add(row)
    return row


async def consent_history(session: AsyncSession, customer_id: int) -> list[Consent]:
    """Every consent decision of the customer, oldest first."""
    result = await session.execute(
        select(Consent)
        .where(col(Consent.customer_id) == customer_id)
        .order_by(col(Consent.at), col(Consent.id))
    )
    return list(result.scalars())


# -- what concerns a customer ------------------------------------------------------------


def _tables() -> list[Table]:
    """Every table, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _rows_about(root: str, root_id: int) -> dict[str, ColumnElement[bool]]:
    """For each table holding rows about one row of `root` (a customer, a shop customer), the
    condition that picks them, parents before children.

    A row is about the root when a column named `<root>_id` or a foreign key to the root holds
    its id, or when a foreign key points to a row already about it.
    """
    root_table = _table(root)
    id_name = f"{root}_id"
    about: dict[str, ColumnElement[bool]] = {root: root_table.c.id == root_id}
    for table in _tables():
        if table.name == root:
            continue
        conditions: list[ColumnElement[bool]] = []
        for column in table.columns:
            targets = [fk.column for fk in column.foreign_keys]
            if column.name == id_name or any(t.table is root_table for t in targets):
                conditions.append(column == root_id)
                continue
            for target in targets:
                parent = about.get(target.table.name)
                if parent is not None and target.table is not table:
                    conditions.append(column.in_(select(target).where(parent)))
        if conditions:
            condition = or_(*conditions)
            if root == _CUSTOMER_TABLE and (narrow := _NOT_ABOUT.get(table.name)) is not None:
                condition = and_(condition, narrow(table))
            about[table.name] = condition
    return about


def _plain(value: Any) -> Any:
    """A column value as JSON: datetimes in ISO 8601, Decimals as strings (exact); JSON
    columns and plain values as they are."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


async def _select_rows(
    session: AsyncSession, table: Table, condition: ColumnElement[bool]
) -> list[dict[str, Any]]:
    result = await session.execute(
        select(table).where(condition).order_by(*table.primary_key.columns)
    )
    return [{key: _plain(value) for key, value in row.items()} for row in result.mappings()]


async def export_customer(session: AsyncSession, customer_id: int) -> dict[str, list[dict]]:
    """Everything stored about the customer, table by table (every covered table is a key,
    empty when nothing is stored), JSON-ready: the customer row, every row about them (see
    the module docstring) and the ad sources those rows refer to."""
    about = _rows_about(_CUSTOMER_TABLE, customer_id)
    export: dict[str, list[dict]] = {}
    for name, condition in about.items():
        export[name] = await _select_rows(session, _table(name), condition)
    export[_SHARED_TABLE] = await _select_rows(
        session, _table(_SHARED_TABLE), _table(_SHARED_TABLE).c.id.in_(_referenced_sources(export))
    )
    return export


def _referenced_sources(export: dict[str, list[dict]]) -> list[int]:
    """The ids of the ad sources the exported rows point to, by their foreign keys."""
    ids: set[int] = set()
    for name, rows in export.items():
        for column in _table(name).columns:
            if any(fk.column.table.name == _SHARED_TABLE for fk in column.foreign_keys):
                ids.update(row[column.name] for row in rows if row[column.name] is not None)
    return sorted(ids)


# -- erasure -----------------------------------------------------------------------------


def _mapped() -> dict[str, type]:
    return {mapper.local_table.name: mapper.class_ for mapper in default_registry.mappers}


async def _delete(session: AsyncSession, name: str, condition: ColumnElement[bool]) -> int:
    """One set-based DELETE. Through the ORM where the table is mapped, so objects the
    session holds for those rows are dropped from it too (no stale customer left behind)."""
    mapped = _mapped().get(name)
    if mapped is None:
        result = await session.execute(delete(_table(name)).where(condition))
    else:
        result = await session.execute(
            delete(mapped).where(condition), execution_options={"synchronize_session": "fetch"}
        )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def _erase(
    session: AsyncSession, about: dict[str, ColumnElement[bool]], *, keep: Iterable[str] = ()
) -> dict[str, int]:
    """Delete the rows of `about`, children before parents; tables in `keep` are skipped."""
    kept = set(keep)
    deleted: dict[str, int] = {}
    for table in reversed(_tables()):
        condition = about.get(table.name)
        if condition is None or table.name in kept:
            continue
        count = await _delete(session, table.name, condition)
        if count:
            deleted[table.name] = count
    return deleted


async def linked_shop_ids(session: AsyncSession, customer_id: int) -> list[str]:
    """The shop's own ids of the shop customers linked to a chat customer (read them before
    erasing, for the `customer.erased` event)."""
    table = _table(_SHOP_CUSTOMER_TABLE)
    result = await session.execute(
        select(table.c.shop_id).where(table.c.customer_id == customer_id).order_by(table.c.id)
    )
    return list(result.scalars())


async def erase_customer(
    session: AsyncSession, customer_id: int, *, keep_shop_records: bool = False
) -> dict[str, int]:
    """Delete everything about a chat customer, the customer row last; returns table → rows
    deleted (tables with none left out).

    Covers what `export_customer` lists except the shared ad sources, and except the outbox's
    `customer.erased` notices: the caller enqueues its own notice after this call.

    Shop customers linked to the chat are the bot's copy of the shop's records of the same
    person (name, phone, e-mail, orders). By default they go too, with their orders and site
    events — the shop's own system keeps what the law makes it keep and learns of the
    erasure from the `customer.erased` event (read `linked_shop_ids` first). With
    `keep_shop_records`, the shop customers and their orders stay, only unlinked (no chat, no
    link time or method); their site events go either way, as the visitor's site data.
    """
    await session.flush()  # pending changes land before the set-based deletes
    about = _rows_about(_CUSTOMER_TABLE, customer_id)
    if not keep_shop_records:
        return await _erase(session, about)
    # Everything but the shop's records and the customer row (site events, found through
    # the link too, go while it exists); then cut the link; then the customer row.
    deleted = await _erase(session, about, keep=(*SHOP_RECORDS, _CUSTOMER_TABLE))
    await session.execute(
        update(ShopCustomer)
        .where(col(ShopCustomer.customer_id) == customer_id)
        .values(customer_id=None, linked_at=None, linked_by=None),
        execution_options={"synchronize_session": "fetch"},
    )
    if count := await _delete(session, _CUSTOMER_TABLE, about[_CUSTOMER_TABLE]):
        deleted[_CUSTOMER_TABLE] = count
    return deleted


async def erase_shop_customer(session: AsyncSession, shop_customer_id: int) -> dict[str, int]:
    """The shop asked to erase one of its customers (by the row id): every chat customer
    linked to it is erased entirely (`erase_customer`), other shop customers linked to those
    chats are only unlinked (the shop did not ask to erase them), then the shop customer goes
    with its orders and site events. Returns table → rows deleted."""
    await session.flush()
    table = _table(_SHOP_CUSTOMER_TABLE)
    chats = (
        await session.execute(
            select(table.c.customer_id).where(
                table.c.id == shop_customer_id, table.c.customer_id.is_not(None)
            )
        )
    ).scalars()
    parts = [
        await erase_customer(session, customer_id, keep_shop_records=True)
        for customer_id in list(chats)
    ]
    parts.append(await _erase(session, _rows_about(_SHOP_CUSTOMER_TABLE, shop_customer_id)))
    deleted: dict[str, int] = {}
    for part in parts:
        for name, count in part.items():
            deleted[name] = deleted.get(name, 0) + count
    return deleted


# -- the erasure log ---------------------------------------------------------------------


async def add_erasure_log(
    session: AsyncSession,
    *,
    at: datetime,
    channel: str,
    reason: str,
    requested_by: str,
    subject_hash: str | None,
    rows_deleted: dict[str, int],
) -> ErasureLog:
    """Log an erasure. `subject_hash` is the caller's HMAC-SHA256 hex digest of
    "channel:external_id" under its secret key (or None for a retention run); no personal
    data goes in here."""
    row = ErasureLog(
        at=at,
        channel=channel,
        reason=reason,
        requested_by=requested_by,
        subject_hash=subject_hash,
        rows_deleted=dict(rows_deleted),
    )
    session.add(row)
    return row


async def erasures_of(session: AsyncSession, subject_hash: str) -> list[ErasureLog]:
    """Earlier erasures of the same subject, oldest first (a repeated request)."""
    result = await session.execute(
        select(ErasureLog)
        .where(col(ErasureLog.subject_hash) == subject_hash)
        .order_by(col(ErasureLog.at), col(ErasureLog.id))
    )
    return list(result.scalars())


# -- retention ---------------------------------------------------------------------------


async def _delete_batch(
    session: AsyncSession, table: Table, older: ColumnElement[bool], batch: int
) -> int:
    """Delete at most `batch` rows matching `older`: one short statement. On PostgreSQL rows
    another transaction holds are skipped (the next run takes them), so the job never waits
    on the bot's own work."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    ids = select(table.c.id).where(older).limit(batch).with_for_update(skip_locked=True)
    result = await session.execute(delete(table).where(table.c.id.in_(ids)))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def delete_old_message_texts(
    session: AsyncSession, before: datetime, batch: int = 1000
) -> int:
    """Delete up to `batch` messages (both directions) created before `before`; returns how
    many. The caller loops, committing after each call, until it returns 0. Profiles (the
    aggregate the messages were folded into) are not touched."""
    table = Message.__table__  # type: ignore[attr-defined]
    return await _delete_batch(session, table, table.c.created_at < before, batch)


async def delete_old_site_events(session: AsyncSession, before: datetime, batch: int = 1000) -> int:
    """Delete up to `batch` site events that happened (`at`) before `before`; as above."""
    table = SiteEvent.__table__  # type: ignore[attr-defined]
    return await _delete_batch(session, table, table.c.at < before, batch)


def _without_consent(version: str, *, opt_in: bool) -> Any:
    """The ids of customers whose history may not be kept: without consent to `version` of
    the text in opt-in mode, or who declined in notice mode."""
    customers = Customer.__table__  # type: ignore[attr-defined]
    if opt_in:
        no_consent = or_(
            customers.c.consent.is_not(True),
            customers.c.consent_version.is_(None),
            customers.c.consent_version != version,
        )
    else:
        no_consent = customers.c.consent.is_(False)
    return select(customers.c.id).where(no_consent)


async def delete_unconsented_history(
    session: AsyncSession, before: datetime, *, version: str, opt_in: bool, batch: int = 1000
) -> int:
    """Delete up to `batch` messages older than `before` (the end of any dialog they could
    belong to) of customers whose history may not be kept: without consent to `version` of
    the text in opt-in mode, or who declined in notice mode."""
    messages = Message.__table__  # type: ignore[attr-defined]
    who = _without_consent(version, opt_in=opt_in)
    return await _delete_batch(
        session,
        messages,
        and_(messages.c.created_at < before, messages.c.customer_id.in_(who)),
        batch,
    )


async def clear_old_survey_comments(
    session: AsyncSession,
    before: datetime,
    *,
    unconsented_before: datetime,
    version: str,
    opt_in: bool,
) -> int:
    """A low rating's comment is the customer's words like any message: cleared (the rating
    stays, it is a number) once older than `before`, or older than `unconsented_before` for
    a customer whose history may not be kept. Comments are few: one statement."""
    surveys = Survey.__table__  # type: ignore[attr-defined]
    who = _without_consent(version, opt_in=opt_in)
    result = await session.execute(
        update(surveys)
        .where(
            surveys.c.comment.is_not(None),
            or_(
                surveys.c.commented_at < before,
                and_(
                    surveys.c.commented_at < unconsented_before,
                    surveys.c.customer_id.in_(who),
                ),
            ),
        )
        .values(comment=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def delete_messages_outside_dialog(
    session: AsyncSession, customer_id: int, dialog_started_at: datetime
) -> int:
    """A customer who did not consent keeps no history beyond the current dialog: delete
    their messages created before it began; returns how many."""
    table = Message.__table__  # type: ignore[attr-defined]
    result = await session.execute(
        delete(table).where(
            table.c.customer_id == customer_id, table.c.created_at < dialog_started_at
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# -- verification (tests, audits) --------------------------------------------------------


def _text_columns(table: Table) -> list[Any]:
    """String, text and JSON columns, also behind a type decorator (sqlmodel's AutoString)."""
    return [
        column
        for column in table.columns
        if isinstance(getattr(column.type, "impl_instance", column.type), String | JSON)
    ]


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


async def scan_for(session: AsyncSession, needles: list[str]) -> dict[str, int]:
    """For every table with text or JSON columns: how many rows contain any of `needles` in
    any of them, case-insensitively. Reads every such column of every row — a verification
    tool for tests and audits, not for the hot path.

    The comparison is made here rather than with LIKE/ILIKE: SQLite folds only ASCII case,
    and JSON is stored with non-ASCII characters escaped (`\\u0410`), so a database-side
    match would silently miss a Cyrillic name in a JSON column.
    """
    wanted = [needle.casefold() for needle in needles if needle]
    counts: dict[str, int] = {}
    for table in _tables():
        columns = _text_columns(table)
        if not columns:
            continue
        hits = 0
        if wanted:
            rows = await session.stream(
                select(*columns).execution_options(yield_per=500)  # type: ignore[call-overload]
            )
            async for row in rows:
                text = "\n".join(_as_text(value) for value in row if value is not None)
                folded = text.casefold()
                hits += any(needle in folded for needle in wanted)
        counts[table.name] = hits
    return counts


async def scan_ids(session: AsyncSession, column_values: dict[str, int]) -> dict[str, int]:
    """How many rows hold one of the given ids, per "table.column": a column whose name is
    a key (`customer_id`, `shop_customer_id`), a foreign key to `<table>.id` for a key
    `<table>_id`, and the `id` of that table itself."""
    counts: dict[str, int] = {}
    for table in _tables():
        for column in table.columns:
            key = column.name
            if key not in column_values:
                key = next(
                    (
                        f"{fk.column.table.name}_id"
                        for fk in column.foreign_keys
                        if f"{fk.column.table.name}_id" in column_values
                    ),
                    key,
                )
            if key not in column_values and column.name == "id":
                key = f"{table.name}_id"
            if key not in column_values:
                continue
            result = await session.execute(
                select(func.count()).select_from(table).where(column == column_values[key])
            )
            counts[f"{table.name}.{column.name}"] = int(result.scalar_one())
    return counts


async def erase_profile(session: AsyncSession, customer_id: int) -> int:
    """An objection to profiling (or a refused consent): delete the behavioural profile and
    the per-message analysis kept with the messages (the texts stay: the service needs
    them). Returns the profile rows deleted."""
    profiles = Profile.__table__  # type: ignore[attr-defined]
    messages = Message.__table__  # type: ignore[attr-defined]
    result = await session.execute(delete(profiles).where(profiles.c.customer_id == customer_id))
    await session.execute(
        update(messages)
        .where(messages.c.customer_id == customer_id, messages.c.direction == "in")
        .values(features=None, gap_s=None, latency_s=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
