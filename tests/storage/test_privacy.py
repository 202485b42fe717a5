"""The privacy repository on SQLite and on the machine's real PostgreSQL: consent history, the
data export (every table's rows about the customer, nothing of anyone else), erasure (a scan
of every table finds none of the customer's ids, names, phone or texts afterwards; the other
customer is untouched), the shop's erasure request, the erasure log, and retention in
batches."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, func, insert, select
from sqlmodel import SQLModel

from bot.signals.events import SignalType
from storage.db import SessionFactory
from storage.models import (
    AdSource,
    Customer,
    Message,
    Profile,
    SegmentFeedback,
    ShopCustomer,
    ShopOrder,
    SiteEvent,
    Survey,
)
from storage.repositories import (
    checkins,
    customers,
    dialogs,
    handoffs,
    messages,
    outbox,
    shop,
    sources,
)
from storage.repositories import privacy as repository
from storage.repositories.customers import CustomerIdentity
from storage.repositories.messages import Outgoing

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
KEY = b"test-erasure-key"
# Tables that hold no row about any one customer: the log of erasures.
# Aggregates about nobody in particular: the erasure log, the daily segment counts.
NOT_PERSONAL = {"erasure_log", "segment_snapshot"}


@dataclass
class Person:
    n: int
    external_id: str
    username: str
    first_name: str
    last_name: str
    phone: str
    email: str
    texts: list[str]
    customer_id: int = 0
    shop_customer_id: int = 0
    handoff_id: int = 0
    ids: dict[str, Any] = field(default_factory=dict)

    @property
    def needles(self) -> list[str]:
        return [
            self.external_id,
            self.username,
            self.first_name,
            self.last_name,
            self.phone,
            self.phone.lstrip("+"),
            self.email,
            f"shop-{self.n}",
            f"visitor-{self.external_id}",
            *self.texts,
        ]


def anna() -> Person:
    return Person(
        n=1,
        external_id="100000001",
        username="anna_p",
        first_name="Анна",
        last_name="Петрова",
        phone="+79161234567",
        email="anna@example.com",
        texts=[
            "Здравствуйте! Сколько стоит доставка в Казань?",
            "Хочу ЧАЙНИК Bosch TWK 3A011, есть в наличии?",
            "Мой номер +7 916 123-45-67, перезвоните после шести",
        ],
    )


def boris() -> Person:
    return Person(
        n=2,
        external_id="200000002",
        username="boris_k",
        first_name="Борис",
        last_name="Кузнецов",
        phone="+79997654321",
        email="boris@example.com",
        texts=["Где мой заказ? Жду уже неделю", "Верните деньги за утюг Philips"],
    )


async def seed(factory: SessionFactory, person: Person) -> Person:
    """One customer with rows in every table, through the repositories where they exist."""
    at = NOW - 2 * DAY
    who = CustomerIdentity(
        "telegram",
        person.external_id,
        address=person.external_id,
        username=person.username,
        first_name=person.first_name,
        last_name=person.last_name,
        language="ru",
    )
    async with factory() as session:
        customer, _ = await customers.load_or_create(session, who, now=at, default_language="ru")
        cid = customer.id
        assert cid is not None
        shared = await sources.get_or_create(
            session,
            payload="c-spring_a-banner",
            campaign="spring",
            ad="banner",
            creative=None,
            now=at,
        )
        own = await sources.get_or_create(
            session,
            payload=f"c-autumn{person.n}",
            campaign=f"autumn{person.n}",
            ad=None,
            creative=None,
            now=at,
        )
        await sources.record_touch(
            session, customer, shared, raw_payload="c-spring_a-banner", valid=True, now=at
        )
        await sources.record_touch(  # the website's "chat with us" link, with a campaign
            session,
            customer,
            own,
            raw_payload=f"c-autumn{person.n}_v-visitor-{person.external_id}",
            valid=True,
            now=at,
        )
        await repository.record_consent(
            session, customer, version="2026-01", accepted=True, mode="opt_in", at=at
        )
        for i, text in enumerate(person.texts):
            await messages.insert_incoming_once(
                session,
                customer_id=cid,
                text=text,
                at=at + timedelta(minutes=i),
                gap_s=None,
                latency_s=None,
                external_id=f"{person.n}-{i}",
                features={"said": text},
            )
        await messages.insert_outgoing(
            session,
            [Outgoing(cid, f"{person.first_name}, доставка 300 ₽", at + timedelta(minutes=5))],
        )
        session.add(
            Profile(
                customer_id=cid,
                version=1,
                state={"last_question": person.texts[0]},
                messages_total=len(person.texts),
                dialog={"asked": person.texts[1], "name": person.first_name},
                updated_at=at,
            )
        )
        dialogs.start(session, cid, at, shared.id)
        await session.flush()
        dialog = await dialogs.latest_before(session, cid, at)
        assert dialog is not None
        await dialogs.add_conversion(
            session,
            {
                "customer_id": cid,
                "kind": "order",
                "ref": f"order-{person.n}",
                "at": at + DAY,
                "dialog_id": dialog.id,
                "seconds_from_dialog_start": 86_400.0,
                "first_source_id": shared.id,
                "last_source_id": own.id,
                "revenue": 1990.5,
            },
        )
        linked = ShopCustomer(
            shop_id=f"shop-{person.n}",
            name=f"{person.first_name} {person.last_name}",
            phone=person.phone,
            email=person.email,
            link_token=f"{person.n:024x}",
            customer_id=cid,
            linked_at=at,
            linked_by="phone",
            created_at=at,
            updated_at=at,
        )
        session.add(linked)
        await session.flush()
        assert linked.id is not None
        session.add(
            ShopOrder(
                shop_id=f"order-{person.n}",
                shop_customer_id=linked.id,
                status="paid",
                total=1990.5,
                currency="RUB",
                items=[{"name": "Чайник", "recipient": f"{person.first_name} {person.last_name}"}],
                history=[{"status": "paid", "at": at.isoformat()}],
                ordered_at=at,
                created_at=at,
                updated_at=at,
            )
        )
        visitor_id = f"visitor-{person.external_id}"
        await shop.link_visitor(session, visitor_id, cid, at)
        for key, owner in ((f"ev-{person.n}-a", cid), (f"ev-{person.n}-b", None)):
            # One claimed by the chat, one the shop reported for its customer only.
            session.add(
                SiteEvent(
                    event_key=key,
                    type="product_view",
                    at=at,
                    shop_customer_id=linked.id,
                    visitor_id=visitor_id,
                    customer_id=owner,
                    url=f"https://shop.example/p/1?utm_term={person.username}",
                    product={"name": "Чайник", "viewer": person.first_name},
                    source={"campaign": "spring"},
                    received_at=at,
                )
            )
        await outbox.add(
            session,
            webhook_id=f"msg_{person.n:026d}",
            event_type="lead.hot",
            customer_id=cid,
            payload={
                "type": "lead.hot",
                "timestamp": at.isoformat(),
                "data": {
                    "customer": {
                        "id": cid,
                        "username": person.username,
                        "first_name": person.first_name,
                        "shop_customer_id": f"shop-{person.n}",
                    }
                },
            },
            now=at,
        )
        await outbox.set_signal(
            session, customer_id=cid, key="lead.hot", active=True, value=81.0, now=at
        )
        handoff, _ = await handoffs.start(
            session,
            customer_id=cid,
            reason="asked",
            detail=f"{person.first_name}: {person.texts[-1]}",
            at=at,
            deadline_at=at + timedelta(minutes=10),
        )
        assert handoff.id is not None
        await handoffs.set_card(session, handoff.id, "-100123", 500 + person.n, None)
        await handoffs.add_post(session, handoff.id, "-100123", 600 + person.n)
        await checkins.plan(
            session,
            customer_id=cid,
            trigger="delivered",
            due_at=at + DAY,
            slot_reason=f"{person.first_name} usually writes around 10:00",
            detail={"order": f"order-{person.n}", "item": person.texts[1]},
            now=at,
        )
        # The rating of the dialog with a comment in the customer's words, and an admin's
        # correction of their segment.
        session.add(
            Survey(
                customer_id=cid,
                dialog_id=dialog.id,
                trigger="inactivity",
                asked_at=at,
                rating=2,
                rated_at=at,
                comment=f"{person.first_name}: {person.texts[0]}",
                commented_at=at,
            )
        )
        session.add(SegmentFeedback(customer_id=cid, segment="urgent", value=1.0, by="7001", at=at))
        await session.commit()
    person.customer_id = cid
    person.shop_customer_id = linked.id
    person.handoff_id = handoff.id
    return person


async def seeded(factory: SessionFactory) -> tuple[Person, Person]:
    return await seed(factory, anna()), await seed(factory, boris())


async def export(factory: SessionFactory, customer_id: int) -> dict[str, list[dict[str, Any]]]:
    async with factory() as session:
        return await repository.export_customer(session, customer_id)


async def scan(factory: SessionFactory, person: Person) -> tuple[dict[str, int], dict[str, int]]:
    """Rows holding the person's strings, by table; rows holding their ids, by column."""
    async with factory() as session:
        texts = await repository.scan_for(session, person.needles)
        ids = await repository.scan_ids(
            session,
            {"customer_id": person.customer_id, "shop_customer_id": person.shop_customer_id},
        )
    return texts, ids


def hits(counts: dict[str, int]) -> dict[str, int]:
    return {name: n for name, n in counts.items() if n}


def customer_id_tables() -> set[str]:
    return {t.name for t in SQLModel.metadata.sorted_tables if "customer_id" in t.c}


def subject_hash(channel: str, external_id: str) -> str:
    return hmac.new(KEY, f"{channel}:{external_id}".encode(), hashlib.sha256).hexdigest()


# -- export ------------------------------------------------------------------------------


async def test_export_holds_every_tables_rows_of_the_customer_and_nobody_elses(
    session_factory: SessionFactory,
) -> None:
    one, two = await seeded(session_factory)
    data = await export(session_factory, one.customer_id)

    # Every table but the erasure log has rows of the seeded customer: a new table fails
    # here until the seed writes to it (so the scans below cover it too).
    assert {name for name, rows in data.items() if rows} == set(
        SQLModel.metadata.tables
    ) - NOT_PERSONAL
    assert customer_id_tables() <= set(data)
    json.dumps(data)  # JSON-ready as it is

    [row] = data["customer"]
    assert row["id"] == one.customer_id and row["username"] == one.username
    assert row["created_at"] == (NOW - 2 * DAY).isoformat()
    assert row["consent"] is True and row["consent_version"] == "2026-01"
    for name, rows in data.items():
        for item in rows:
            if "customer_id" in item and item["customer_id"] is not None:
                assert item["customer_id"] == one.customer_id, name
    assert {r["shop_customer_id"] for r in data["shop_order"]} == {one.shop_customer_id}
    assert {r["handoff_id"] for r in data["handoff_post"]} == {one.handoff_id}
    assert len(data["site_event"]) == 2  # the chat's, and the linked shop customer's
    assert sorted(r["text"] for r in data["message"] if r["direction"] == "in") == sorted(one.texts)
    assert data["profile"][0]["dialog"]["asked"] == one.texts[1]  # JSON columns as they are
    assert data["shop_order"][0]["items"][0]["name"] == "Чайник"
    assert data["outbox_event"][0]["payload"]["data"]["customer"]["id"] == one.customer_id
    assert {r["payload"] for r in data["ad_source"]} == {"c-spring_a-banner", "c-autumn1"}

    text = json.dumps(data, ensure_ascii=False).casefold()
    assert all(needle.casefold() not in text for needle in two.needles)
    assert "c-autumn2" not in text


async def test_export_of_an_unknown_customer_is_empty(session_factory: SessionFactory) -> None:
    await seeded(session_factory)
    data = await export(session_factory, 999)
    assert data and not any(data.values())


# -- erasure -----------------------------------------------------------------------------


async def test_erase_leaves_nothing_of_the_customer_and_everything_of_the_other(
    session_factory: SessionFactory,
) -> None:
    one, two = await seeded(session_factory)
    before_texts, before_ids = await scan(session_factory, one)
    # The scan sees what it must: Cyrillic in JSON columns, any case, every kind of column.
    assert {"customer", "message", "profile", "handoff", "outbox_event", "shop_customer"} <= set(
        hits(before_texts)
    )
    assert {"shop_order", "site_event", "site_visitor", "source_touch"} <= set(hits(before_texts))
    assert {"customer.id", "outbox_event.customer_id", "shop_order.shop_customer_id"} <= set(
        hits(before_ids)
    )
    exported = await export(session_factory, one.customer_id)
    other_before = await export(session_factory, two.customer_id)

    async with session_factory() as session:
        customer = await session.get(Customer, one.customer_id)
        assert customer is not None
        assert await repository.linked_shop_ids(session, one.customer_id) == ["shop-1"]
        deleted = await repository.erase_customer(session, one.customer_id)
        # The session no longer holds the erased customer.
        assert await session.get(Customer, one.customer_id) is None
        await repository.add_erasure_log(
            session,
            at=NOW,
            channel="telegram",
            reason=repository.REASON_CUSTOMER_REQUEST,
            requested_by=repository.BY_CUSTOMER,
            subject_hash=subject_hash("telegram", one.external_id),
            rows_deleted=deleted,
        )
        await session.commit()

    # Exactly what the export listed went (the shared ad sources stay).
    assert deleted == {
        name: len(rows) for name, rows in exported.items() if rows and name != "ad_source"
    }
    assert set(deleted) >= customer_id_tables()
    texts, ids = await scan(session_factory, one)
    assert hits(texts) == {}, "personal strings left behind"
    assert hits(ids) == {}, "the customer's ids left behind"
    assert {"customer.id", "message.customer_id", "outbox_event.customer_id"} <= set(ids)
    assert {"shop_customer.id", "site_event.shop_customer_id"} <= set(ids)

    assert await export(session_factory, two.customer_id) == other_before
    other_texts, _ = await scan(session_factory, two)
    assert other_texts["message"] == len(two.texts) + 1
    async with session_factory() as session:
        shared = await session.execute(select(func.count()).select_from(AdSource))
        assert shared.scalar_one() == 3
        [log] = await repository.erasures_of(session, subject_hash("telegram", one.external_id))
    assert log.rows_deleted == deleted and log.reason == "customer_request"


async def test_erase_can_keep_the_shops_records_unlinked(session_factory: SessionFactory) -> None:
    one, two = await seeded(session_factory)
    async with session_factory() as session:
        deleted = await repository.erase_customer(session, one.customer_id, keep_shop_records=True)
        await session.commit()
    assert "shop_customer" not in deleted and "shop_order" not in deleted
    assert deleted["site_event"] == 2  # the site data goes either way

    async with session_factory() as session:
        kept = await session.get(ShopCustomer, one.shop_customer_id)
        assert kept is not None
        assert (kept.customer_id, kept.linked_at, kept.linked_by) == (None, None, None)
        assert len(await shop.orders_of(session, one.shop_customer_id)) == 1
        ids = await repository.scan_ids(session, {"customer_id": one.customer_id})
    assert hits(ids) == {}
    texts, _ = await scan(session_factory, one)
    assert set(hits(texts)) == {"shop_customer", "shop_order"}  # the shop's own records only
    assert len((await export(session_factory, two.customer_id))["site_event"]) == 2


async def test_erase_shop_customer_takes_the_linked_chats_with_it(
    session_factory: SessionFactory,
) -> None:
    one, two = await seeded(session_factory)
    async with session_factory() as session:
        # The same chat is linked to a second shop customer (same phone, another account),
        # and the shop has a customer without a chat.
        for n, chat in ((11, one.customer_id), (12, None)):
            session.add(
                ShopCustomer(
                    shop_id=f"other-{n}",
                    name="Другой аккаунт",
                    phone=one.phone if chat else None,
                    link_token=f"{n:024x}",
                    customer_id=chat,
                    linked_at=NOW if chat else None,
                    linked_by="phone" if chat else None,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        await session.commit()
    other_before = await export(session_factory, two.customer_id)

    async with session_factory() as session:
        deleted = await repository.erase_shop_customer(session, one.shop_customer_id)
        await session.commit()
    assert deleted["customer"] == 1 and deleted["shop_customer"] == 1
    assert deleted["shop_order"] == 1 and deleted["site_event"] == 2
    assert deleted["message"] == len(one.texts) + 1

    async with session_factory() as session:
        ids = await repository.scan_ids(
            session,
            {"customer_id": one.customer_id, "shop_customer_id": one.shop_customer_id},
        )
        assert hits(ids) == {}
        left = {row.shop_id: row for row in (await session.execute(select(ShopCustomer))).scalars()}
    # The shop asked about one of its customers: the chat's other shop account stays,
    # unlinked; the unrelated one is untouched.
    assert set(left) == {"shop-2", "other-11", "other-12"}
    assert left["other-11"].customer_id is None and left["other-11"].linked_by is None
    assert await export(session_factory, two.customer_id) == other_before

    async with session_factory() as session:  # a shop customer with no chat at all
        deleted = await repository.erase_shop_customer(session, left["other-12"].id or 0)
        await session.commit()
    assert deleted == {"shop_customer": 1}


async def test_erasure_notices_are_neither_exported_nor_erased(
    session_factory: SessionFactory,
) -> None:
    assert SignalType.CUSTOMER_ERASED.value == repository.ERASURE_NOTICE_EVENT
    one, _ = await seeded(session_factory)
    async with session_factory() as session:
        # An earlier erasure's notice, still pending, whose id SQLite gave to this customer.
        await outbox.add(
            session,
            webhook_id="msg_notice",
            event_type=SignalType.CUSTOMER_ERASED.value,
            customer_id=one.customer_id,
            payload={"type": "customer.erased", "data": {"customer": {"id": one.customer_id}}},
            now=NOW,
        )
        await session.commit()
    data = await export(session_factory, one.customer_id)
    assert [r["event_type"] for r in data["outbox_event"]] == ["lead.hot"]
    async with session_factory() as session:
        deleted = await repository.erase_customer(session, one.customer_id)
        await session.commit()
    assert deleted["outbox_event"] == 1
    async with session_factory() as session:
        notice = await outbox.get(session, "msg_notice")
    assert notice is not None and notice.status == "pending"


# -- a table added later -----------------------------------------------------------------


@pytest.fixture
def probe_tables() -> Iterator[tuple[Table, Table]]:
    """Two tables as a later migration might add them: one with a `customer_id`, one that
    only points to the first. Registered on the models' metadata for one test."""
    probe = Table(
        "zz_probe",
        SQLModel.metadata,
        Column("id", Integer, primary_key=True),
        Column("customer_id", ForeignKey("customer.id", ondelete="CASCADE"), nullable=False),
        Column("note", Text),
    )
    tag = Table(
        "zz_probe_tag",
        SQLModel.metadata,
        Column("id", Integer, primary_key=True),
        Column("probe_id", ForeignKey("zz_probe.id"), nullable=False),
        Column("label", String(32)),
    )
    try:
        yield probe, tag
    finally:
        SQLModel.metadata.remove(tag)
        SQLModel.metadata.remove(probe)


async def test_a_new_table_is_exported_and_erased_without_code_changes(
    session_factory: SessionFactory, probe_tables: tuple[Table, Table]
) -> None:
    probe, tag = probe_tables
    one, two = await seeded(session_factory)
    async with session_factory() as session:
        connection = await session.connection()
        await connection.run_sync(lambda c: SQLModel.metadata.create_all(c, [probe, tag]))
        for person in (one, two):
            await session.execute(
                insert(probe).values(id=person.n, customer_id=person.customer_id, note="x")
            )
            await session.execute(
                insert(tag).values(probe_id=person.n, label=f"tag of {person.first_name}")
            )
        await session.commit()

    data = await export(session_factory, one.customer_id)
    assert [r["note"] for r in data["zz_probe"]] == ["x"]
    assert [r["label"] for r in data["zz_probe_tag"]] == ["tag of Анна"]
    async with session_factory() as session:
        deleted = await repository.erase_customer(session, one.customer_id)
        await session.commit()
    assert deleted["zz_probe"] == 1 and deleted["zz_probe_tag"] == 1
    texts, ids = await scan(session_factory, one)
    assert hits(texts) == {} and hits(ids) == {}
    assert "zz_probe.customer_id" in ids
    assert [r["label"] for r in (await export(session_factory, two.customer_id))["zz_probe_tag"]]


# -- consent -----------------------------------------------------------------------------


async def test_consent_history_and_the_latest_decision(session_factory: SessionFactory) -> None:
    async with session_factory() as session:
        customer, _ = await customers.load_or_create(
            session, CustomerIdentity("telegram", "5"), now=NOW, default_language="ru"
        )
        assert customer.consent is None and customer.consent_version is None
        decisions = [
            ("2026-01", True, "opt_in", NOW),  # accepted
            ("2026-01", False, "opt_in", NOW + DAY),  # withdrawn
            ("2026-02", True, "notice", NOW + 2 * DAY),  # a new text, accepted again
        ]
        for version, accepted, mode, at in decisions:
            await repository.record_consent(
                session, customer, version=version, accepted=accepted, mode=mode, at=at
            )
        await session.commit()
        customer_id = customer.id
        assert customer_id is not None

    async with session_factory() as session:
        stored = await session.get(Customer, customer_id)
        assert stored is not None
        assert (stored.consent, stored.consent_version, stored.consent_mode) == (
            True,
            "2026-02",
            "notice",
        )
        assert stored.consent_at == NOW + 2 * DAY
        history = await repository.consent_history(session, customer_id)
    assert [(c.version, c.accepted, c.mode, c.at) for c in history] == decisions
    data = await export(session_factory, customer_id)
    assert [r["accepted"] for r in data["consent"]] == [True, False, True]


# -- the erasure log ---------------------------------------------------------------------


async def test_erasure_log_recognises_a_repeated_request_without_personal_data(
    session_factory: SessionFactory,
) -> None:
    digest = subject_hash("telegram", "100000001")
    async with session_factory() as session:
        for at, by in ((NOW, "customer"), (NOW + DAY, "shop_api")):
            await repository.add_erasure_log(
                session,
                at=at,
                channel="telegram",
                reason="customer_request" if by == "customer" else "shop_request",
                requested_by=by,
                subject_hash=digest,
                rows_deleted={"message": 3, "customer": 1},
            )
        await repository.add_erasure_log(
            session,
            at=NOW,
            channel="telegram",
            reason=repository.REASON_RETENTION,
            requested_by=repository.BY_ADMIN,
            subject_hash=None,
            rows_deleted={"message": 1000},
        )
        await session.commit()
    async with session_factory() as session:
        earlier = await repository.erasures_of(session, digest)
        assert await repository.erasures_of(session, subject_hash("telegram", "7")) == []
        texts = await repository.scan_for(session, ["100000001", "telegram:100000001"])
    assert [(e.at, e.requested_by) for e in earlier] == [(NOW, "customer"), (NOW + DAY, "shop_api")]
    assert earlier[0].rows_deleted == {"message": 3, "customer": 1}
    assert len(digest) == 64 and hits(texts) == {}


# -- retention ---------------------------------------------------------------------------


async def drain(factory: SessionFactory, delete: Any, before: datetime) -> list[int]:
    """Call a batched retention delete with batch=2, one transaction per batch, until 0."""
    sizes: list[int] = []
    while True:
        async with factory() as session:
            deleted = await delete(session, before, batch=2)
            await session.commit()
        sizes.append(deleted)
        if deleted == 0 or len(sizes) > 20:
            return sizes


async def message_times(factory: SessionFactory) -> list[datetime]:
    async with factory() as session:
        result = await session.execute(select(Message.created_at).order_by(Message.created_at))
        return list(result.scalars())


async def test_message_retention_deletes_old_messages_in_batches_and_keeps_profiles(
    session_factory: SessionFactory,
) -> None:
    one, two = await seeded(session_factory)  # their messages are two days old
    async with session_factory() as session:
        for person, ages in ((one, (40, 35, 31, 29)), (two, (50, 1))):
            for i, age in enumerate(ages):
                at = NOW - age * DAY
                await messages.insert_incoming_once(
                    session,
                    customer_id=person.customer_id,
                    text=f"old {i}",
                    at=at,
                    gap_s=None,
                    latency_s=None,
                    external_id=f"r{i}",
                    features=None,
                )
                await messages.insert_outgoing(session, [Outgoing(person.customer_id, "ok", at)])
        profiles_before = [
            p.model_dump() for p in (await session.execute(select(Profile))).scalars()
        ]
        await session.commit()
    cutoff = NOW - 30 * DAY
    old = [t for t in await message_times(session_factory) if t < cutoff]
    assert len(old) == 8

    sizes = await drain(session_factory, repository.delete_old_message_texts, cutoff)
    assert sizes == [2, 2, 2, 2, 0]
    assert all(t >= cutoff for t in await message_times(session_factory))
    seeded_messages = len(one.texts) + 1 + len(two.texts) + 1
    assert len(await message_times(session_factory)) == seeded_messages + 2 + 2
    assert await drain(session_factory, repository.delete_old_message_texts, cutoff) == [0]
    async with session_factory() as session:
        profiles_after = [
            p.model_dump() for p in (await session.execute(select(Profile))).scalars()
        ]
    assert profiles_after == profiles_before


async def test_site_event_retention_deletes_old_events_in_batches(
    session_factory: SessionFactory,
) -> None:
    one, _ = await seeded(session_factory)  # four events, two days old
    async with session_factory() as session:
        for i, age in enumerate((100, 91, 90.5, 3)):
            session.add(
                SiteEvent(
                    type="page_view",
                    at=NOW - age * DAY,
                    customer_id=one.customer_id,
                    url=f"https://shop.example/{i}",
                    received_at=NOW,
                )
            )
        await session.commit()
    cutoff = NOW - 90 * DAY
    sizes = await drain(session_factory, repository.delete_old_site_events, cutoff)
    assert sizes == [2, 1, 0]
    assert await drain(session_factory, repository.delete_old_site_events, cutoff) == [0]
    async with session_factory() as session:
        left = list((await session.execute(select(SiteEvent.at))).scalars())
    assert len(left) == 5 and min(left) >= cutoff


async def test_without_consent_only_the_current_dialog_is_kept(
    session_factory: SessionFactory,
) -> None:
    one, two = await seeded(session_factory)  # seeded messages are two days old
    started = NOW - timedelta(minutes=15)
    async with session_factory() as session:
        for person in (one, two):
            for minutes in (180, 120, 10, 5):
                await messages.insert_incoming_once(
                    session,
                    customer_id=person.customer_id,
                    text=f"{minutes} min ago",
                    at=NOW - timedelta(minutes=minutes),
                    gap_s=None,
                    latency_s=None,
                    external_id=f"m{minutes}",
                    features=None,
                )
        await session.commit()
    async with session_factory() as session:
        deleted = await repository.delete_messages_outside_dialog(session, one.customer_id, started)
        await session.commit()
        assert deleted == len(one.texts) + 1 + 2  # the seeded ones and two from hours ago
        mine = await messages.recent(session, one.customer_id, limit=100)
        theirs = await messages.recent(session, two.customer_id, limit=100)
    assert [m.text for m in mine] == ["10 min ago", "5 min ago"]
    assert len(theirs) == len(two.texts) + 1 + 4
