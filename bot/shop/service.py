"""The shop integration's service: what the HTTP API asks of the bot (`ShopApi`).

Every write is one unit of work of the conversation core (`Conversation.on_shop`): it holds
the turns of every customer it concerns — the linked chat customer's, or the shop customer's
or visitor's own while they have no chat — records its rows, feeds the profiles through the
core and commits all of it or nothing. The turn keys are read first and checked again inside
the unit; if a link was made in between, the unit is rolled back and planned again.
"""

from __future__ import annotations

import logging
import secrets
import statistics
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.clock import Clock, as_utc
from bot.conversation.core import Conversation
from bot.conversation.deeplinks import build_payload, personal_payload, start_link
from bot.conversation.work import OrderFact, Work
from bot.shop.errors import InvalidField, NotFound
from bot.shop.feeding import feed_events, order_conversion
from bot.shop.keys import ordered, shop_key, visitor_key
from bot.shop.phones import normalize_phone
from bot.shop.schemas import (
    CustomerIn,
    CustomerOut,
    ErasureOut,
    EventsOut,
    LinkIn,
    LinkOut,
    LinksOut,
    LinkStatsOut,
    OrderIn,
    OrderOut,
    ProfileOut,
    SiteEventIn,
)
from bot.shop.views import order_out, profile_out
from storage.db import SessionFactory
from storage.models import AdSource, Customer, ShopCustomer, ShopOrder
from storage.models import SiteEvent as SiteEventRow
from storage.repositories import dialogs, shop, sources

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_REPLANS = 5
LINK_CACHE_SIZE = 50_000
CREATE_CUSTOMER_FIRST = "create it with PUT /api/v1/customers/{id}"
ChatKey = tuple[str, str]


class _Moved(Exception):
    """A link was made between planning a unit and taking its turns: plan again."""


@dataclass
class _Plan:
    """Who a unit concerns, as read before taking turns: shop id or visitor id → the chat
    customer's id (None: no chat yet)."""

    shop_links: dict[str, int | None] = field(default_factory=dict)
    visitor_links: dict[str, int | None] = field(default_factory=dict)
    chat_keys: dict[int, ChatKey] = field(default_factory=dict)

    def keys(self) -> list[Hashable]:
        keys: list[ChatKey] = []
        for shop_id, customer_id in self.shop_links.items():
            keys.append(self.chat_keys[customer_id] if customer_id else shop_key(shop_id))
        for visitor_id, customer_id in self.visitor_links.items():
            keys.append(self.chat_keys[customer_id] if customer_id else visitor_key(visitor_id))
        return ordered(keys)


class ShopService:
    def __init__(
        self,
        *,
        conversation: Conversation,
        session_factory: SessionFactory,
        bot_username: Callable[[], Awaitable[str]],
        clock: Clock,
        phone_region: str = "RU",
    ) -> None:
        self.conversation = conversation
        self.session_factory = session_factory
        self.bot_username = bot_username
        self.clock = clock
        self.phone_region = phone_region
        # shop customer id → the chat customer it is linked to (None: none yet), as last seen
        self._links: OrderedDict[str, int | None] = OrderedDict()
        self._chat_keys: dict[int, ChatKey] = {}

    # -- planning ------------------------------------------------------------------------

    async def _read_links(
        self,
        session: AsyncSession,
        shop_ids: Sequence[str],
        visitor_ids: Sequence[str],
        *,
        require: bool,
        lock: bool = False,
    ) -> tuple[_Plan, dict[str, ShopCustomer]]:
        """Who the unit concerns, as the database says now (the rows, too; with `lock`,
        locked until the unit ends, so another process's link or order waits)."""
        found = await shop.customers_by_shop_ids(session, shop_ids, lock=lock)
        if require:
            for shop_id in shop_ids:
                if shop_id not in found:
                    raise NotFound("customer", shop_id, hint=CREATE_CUSTOMER_FIRST)
        # A shop id not found yet is planned under its own key: the unit may create it.
        plan = _Plan(
            shop_links={sid: (found[sid].customer_id if sid in found else None) for sid in shop_ids}
        )
        joined = await shop.visitors(session, visitor_ids)
        plan.visitor_links = {
            vid: (joined[vid].customer_id if vid in joined else None) for vid in visitor_ids
        }
        return plan, found

    async def _plan(
        self, shop_ids: Sequence[str], visitor_ids: Sequence[str], *, require: bool, fresh: bool
    ) -> _Plan:
        """The turns to take, from what this process last saw (no query) unless `fresh` or
        unknown; the unit checks them against the database before it writes anything."""
        links = self._links
        if not fresh and all(sid in links for sid in shop_ids) and not visitor_ids:
            plan = _Plan(shop_links={sid: links[sid] for sid in shop_ids})
        else:
            async with self.session_factory() as session:
                plan, _ = await self._read_links(session, shop_ids, visitor_ids, require=require)
        missing = {
            cid
            for cid in [*plan.shop_links.values(), *plan.visitor_links.values()]
            if cid and cid not in self._chat_keys
        }
        if missing:
            async with self.session_factory() as session:
                rows = await session.execute(
                    select(Customer.id, Customer.channel, Customer.external_id).where(
                        col(Customer.id).in_(sorted(missing))
                    )
                )
                # (channel, external id) never changes: kept while there is room.
                if len(self._chat_keys) > LINK_CACHE_SIZE:
                    self._chat_keys.clear()
                self._chat_keys.update({cid: (ch, ext) for cid, ch, ext in rows.all()})
        plan.chat_keys = self._chat_keys
        return plan

    def _remember(self, plan: _Plan) -> None:
        """After a commit: these links are true (a link made later by another process is
        caught by the next unit's check)."""
        links = self._links
        for shop_id, customer_id in plan.shop_links.items():
            links[shop_id] = customer_id
            links.move_to_end(shop_id)
        while len(links) > LINK_CACHE_SIZE:
            links.popitem(last=False)

    async def _unit(
        self,
        shop_ids: Iterable[str],
        visitor_ids: Iterable[str],
        work: Callable[..., Awaitable[T]],
        *,
        require: bool = True,
        verify: bool = True,
    ) -> T:
        """Plan the turns, then run `work` in the core's unit holding them; again, from the
        database, if a link moved in between or another instance created the same row.

        With `verify`, the unit first reads the links again and `work(unit, plan, rows)`
        gets them; without, `work(unit, plan)` reads its rows itself and raises `_Moved`
        when a link is not what `plan` says (one query instead of two)."""
        shops = sorted(set(shop_ids))
        visitors = sorted(set(visitor_ids))
        fresh = False
        for _ in range(MAX_REPLANS):
            plan = await self._plan(shops, visitors, require=require, fresh=fresh)

            async def checked(unit: Work, plan: _Plan = plan) -> T:
                if not verify:
                    return await work(unit, plan)
                now, found = await self._read_links(
                    unit.session, shops, visitors, require=require, lock=True
                )
                if (now.shop_links, now.visitor_links) != (plan.shop_links, plan.visitor_links):
                    raise _Moved
                now.chat_keys = plan.chat_keys
                return await work(unit, now, found)

            try:
                result = await self.conversation.on_shop(plan.keys(), checked)
            except (_Moved, IntegrityError):
                log.info("a link or a row changed while a shop update was planned; again")
                for shop_id in shops:
                    self._links.pop(shop_id, None)
                fresh = True
                continue
            self._remember(plan)
            return result
        raise RuntimeError("links kept changing while a shop update was planned")

    # -- customers -----------------------------------------------------------------------

    async def put_customer(self, shop_customer_id: str, body: CustomerIn) -> CustomerOut:
        phone: str | None = None
        if body.phone is not None:
            phone = normalize_phone(body.phone, self.phone_region)
            if phone is None:
                raise InvalidField("phone", f"{body.phone!r} is not a valid phone number")
        given = body.model_fields_set
        username = await self.bot_username()

        async def work(unit: Work, plan: _Plan, found: dict[str, ShopCustomer]) -> CustomerOut:
            now = unit.now
            current = found.get(shop_customer_id)
            created = current is None
            if current is None:
                values = {
                    "shop_id": shop_customer_id,
                    "name": body.name,
                    "phone": phone,
                    "email": body.email,
                    "link_token": secrets.token_hex(12),
                    "customer_id": None,
                    "created_at": now,
                    "updated_at": now,
                }
                # Another instance creating the same id at once makes this flush fail: the
                # unit is rolled back and planned again, and then updates that row.
                current = ShopCustomer(**values)
                unit.session.add(current)
                await unit.session.flush()
            else:
                changed = False
                for name, value in (("name", body.name), ("phone", phone), ("email", body.email)):
                    if name in given and getattr(current, name) != value:
                        setattr(current, name, value)
                        changed = True
                if changed:
                    current.updated_at = now
            return self._customer_out(current, username, created=created)

        return await self._unit([shop_customer_id], [], work, require=False)

    async def erase_customer(self, shop_customer_id: str) -> ErasureOut:
        """The shop's erasure request: in the turns of the shop customer and its chat, the
        core erases everything (`Conversation.erase_for_shop`)."""

        async def work(unit: Work, plan: _Plan, found: dict[str, ShopCustomer]) -> ErasureOut:
            row = found[shop_customer_id]  # `require`: an unknown id is NotFound
            chats, rows = await self.conversation.erase_for_shop(unit.session, row)
            return ErasureOut(
                shop_customer_id=shop_customer_id,
                erased=True,
                chats_erased=chats,
                rows_deleted=rows,
            )

        result = await self._unit([shop_customer_id], [], work)
        self._links.pop(shop_customer_id, None)
        return result

    async def get_customer(self, shop_customer_id: str) -> CustomerOut:
        username = await self.bot_username()
        async with self.session_factory() as session:
            current = await self._shop_customer(session, shop_customer_id)
        return self._customer_out(current, username, created=False)

    def _customer_out(self, row: ShopCustomer, username: str, *, created: bool) -> CustomerOut:
        return CustomerOut(
            shop_customer_id=row.shop_id,
            name=row.name,
            phone=row.phone,
            email=row.email,
            linked=row.customer_id is not None,
            linked_at=as_utc(row.linked_at) if row.linked_at else None,
            deep_link=start_link(username, personal_payload(row.link_token)),
            created=created,
        )

    @staticmethod
    async def _shop_customer(session: AsyncSession, shop_customer_id: str) -> ShopCustomer:
        row = await shop.customer_by_shop_id(session, shop_customer_id)
        if row is None:
            raise NotFound("customer", shop_customer_id)
        return row

    # -- orders --------------------------------------------------------------------------

    async def put_order(self, shop_order_id: str, body: OrderIn) -> OrderOut:
        items = [item.model_dump(mode="json", exclude_none=True) for item in body.items]

        async def work(unit: Work, plan: _Plan) -> OrderOut:
            session, now = unit.session, unit.now
            owner, order = await shop.customer_and_order(session, body.customer_id, shop_order_id)
            if owner is None:
                raise NotFound("customer", body.customer_id, hint=CREATE_CUSTOMER_FIRST)
            if owner.customer_id != plan.shop_links[body.customer_id]:
                raise _Moved
            linked = owner.customer_id is not None
            created = order is None
            if order is None:
                at = as_utc(body.created_at) if body.created_at else now
                order = ShopOrder(
                    shop_id=shop_order_id,
                    shop_customer_id=owner.id,  # type: ignore[arg-type]
                    status=body.status,
                    total=body.total,
                    currency=body.currency,
                    items=items,
                    history=[_status(body.status, at)],
                    statuses=1,
                    applied=1 if linked else 0,
                    ordered_at=at,
                    created_at=now,
                    updated_at=now,
                )
                # Another instance creating the same order at once makes the commit fail:
                # the unit is rolled back and planned again, and then updates that row.
                session.add(order)
                changed, at_status = True, at
            else:
                changed = order.status != body.status or not order.history
                at_status = now
                if changed:
                    order.history = [*order.history, _status(body.status, now)]
                    order.statuses = len(order.history)
                    if linked:
                        order.applied = order.statuses
                _update_order(order, owner, body, items, now)
            if linked and changed:
                customer = await unit.customer(owner.customer_id)  # type: ignore[arg-type]
                if customer is not None:
                    fact = OrderFact(
                        at=at_status,
                        status=body.status,
                        new_order=created,
                        order_id=shop_order_id,
                        items=tuple(item.name for item in body.items if item.name),
                    )
                    await unit.feed(customer, [fact])
                    if created:
                        await order_conversion(unit, customer, order)
            return order_out(order, owner.shop_id, created=created, linked=linked)

        return await self._unit([body.customer_id], [], work, verify=False)

    async def get_order(self, shop_order_id: str) -> OrderOut:
        async with self.session_factory() as session:
            order = await shop.order_by_shop_id(session, shop_order_id)
            if order is None:
                raise NotFound("order", shop_order_id)
            owner = await session.get(ShopCustomer, order.shop_customer_id)
            assert owner is not None
        return order_out(order, owner.shop_id, created=False, linked=owner.customer_id is not None)

    # -- site events ---------------------------------------------------------------------

    async def record_events(self, events: Sequence[SiteEventIn]) -> EventsOut:
        shop_ids = sorted({e.customer_id for e in events if e.customer_id})
        visitor_ids = sorted({e.visitor_id for e in events if e.visitor_id})

        async def work(unit: Work, plan: _Plan, found: dict[str, ShopCustomer]) -> EventsOut:
            session, now = unit.session, unit.now
            known = await shop.existing_event_keys(session, (e.id for e in events if e.id))
            rows: list[SiteEventRow] = []
            duplicates = 0
            for event in events:
                if event.id is not None:
                    if event.id in known:
                        duplicates += 1
                        continue
                    known.add(event.id)
                owner = found.get(event.customer_id) if event.customer_id else None
                chat = (
                    owner.customer_id
                    if owner is not None
                    else plan.visitor_links.get(event.visitor_id or "")
                )
                rows.append(_event_row(event, owner, chat, now))
            session.add_all(rows)
            await session.flush()
            by_customer: dict[int, list[SiteEventRow]] = {}
            for row in rows:
                if row.customer_id is not None:
                    by_customer.setdefault(row.customer_id, []).append(row)
            for customer_id, mine in by_customer.items():
                customer = await unit.customer(customer_id)
                if customer is not None:
                    await feed_events(unit, customer, mine)
            linked = sum(len(mine) for mine in by_customer.values())
            return EventsOut(accepted=len(rows), duplicates=duplicates, linked=linked)

        return await self._unit(shop_ids, visitor_ids, work)

    # -- links ---------------------------------------------------------------------------

    async def create_link(self, body: LinkIn) -> LinkOut:
        try:
            payload = build_payload(body.campaign, body.ad, body.creative)
        except ValueError as exc:
            raise InvalidField("campaign", str(exc)) from None
        username = await self.bot_username()

        async def work(unit: Work) -> AdSource:
            return await sources.get_or_create(
                unit.session,
                payload=payload,
                campaign=body.campaign,
                ad=body.ad,
                creative=body.creative,
                now=unit.now,
                origin="api",
            )

        source = await self.conversation.on_shop([], work)
        return _link_out(source, username)

    async def list_links(self) -> LinksOut:
        username = await self.bot_username()
        async with self.session_factory() as session:
            figures = await dialogs.link_figures(session)
        return LinksOut(
            links=[
                LinkStatsOut(
                    **_link_out(f.source, username).model_dump(),
                    starts=f.starts,
                    dialogs=f.dialogs,
                    conversions=f.conversions,
                    first_touch_conversions=f.first_touch_conversions,
                    median_seconds_to_conversion=(
                        statistics.median(f.seconds_to_conversion)
                        if f.seconds_to_conversion
                        else None
                    ),
                    revenue=f.revenue,
                )
                for f in figures
            ]
        )

    # -- the profile ---------------------------------------------------------------------

    async def customer_profile(self, shop_customer_id: str) -> ProfileOut:
        async with self.session_factory() as session:
            row = await self._shop_customer(session, shop_customer_id)
            orders = await shop.orders_of(session, row.id)  # type: ignore[arg-type]
            customer = await session.get(Customer, row.customer_id) if row.customer_id else None
            source = await sources.get(session, customer.first_source_id) if customer else None
        assessment = None
        if customer is not None and not customer.profiling_opt_out:
            looked = await self.conversation.profile(customer.channel, customer.external_id)
            assessment = looked.assessment if looked else None
        return profile_out(
            shop_customer_id,
            linked=customer is not None,
            language=customer.language if customer else None,
            assessment=assessment,
            orders=orders,
            source=source,
        )


def _update_order(
    order: ShopOrder, owner: ShopCustomer, body: OrderIn, items: list[dict], now: datetime
) -> None:
    values = {
        "shop_customer_id": owner.id,
        "status": body.status,
        "total": body.total,
        "currency": body.currency,
        "items": items,
    }
    if body.created_at is not None:
        values["ordered_at"] = as_utc(body.created_at)
    changed = False
    for name, value in values.items():
        if getattr(order, name) != value:
            setattr(order, name, value)
            changed = True
    if changed:
        order.updated_at = now


def _status(status: str, at: datetime) -> dict[str, str]:
    return {"status": status, "at": as_utc(at).isoformat()}


def _event_row(
    event: SiteEventIn, owner: ShopCustomer | None, chat: int | None, now: datetime
) -> SiteEventRow:
    return SiteEventRow(
        event_key=event.id,
        type=event.type,
        at=as_utc(event.at) if event.at else now,
        shop_customer_id=owner.id if owner is not None else None,
        visitor_id=event.visitor_id,
        customer_id=chat,
        url=event.url,
        page=event.page,
        product=event.product.model_dump(exclude_none=True) if event.product else None,
        device=event.device,
        source=event.source.model_dump(exclude_none=True) if event.source else None,
        applied=False,
        received_at=now,
    )


def _link_out(source: AdSource, username: str) -> LinkOut:
    return LinkOut(
        url=start_link(username, source.payload),
        payload=source.payload,
        campaign=source.campaign,
        ad=source.ad,
        creative=source.creative,
        created_at=as_utc(source.created_at),
    )
