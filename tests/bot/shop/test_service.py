"""The shop integration through the production application: the service the HTTP API calls,
linking on /start and by phone through the real Dispatcher, profile feeding, conversions."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col

from bot.app import Application
from bot.shop.errors import InvalidField, NotFound
from bot.shop.schemas import CustomerIn, LinkIn, OrderIn, SiteEventIn
from profiling.assess.segments import Segment
from storage.models import (
    AdSource,
    Conversion,
    Dialog,
    ShopCustomer,
    ShopOrder,
    SiteEvent,
    SourceTouch,
)
from storage.models import Customer as CustomerRow
from storage.models.outbox import OutboxEvent
from tests.factories import ManualClock, TelegramCustomer, feed, stored_rows
from tests.fakes.bot_api import FakeBotApi

TOKEN = re.compile(r"start=l-([0-9a-f]{24})$")


def order(customer: str = "c-1", status: str = "created", **extra: Any) -> OrderIn:
    body: dict[str, Any] = {
        "customer_id": customer,
        "status": status,
        "total": 1990,
        "currency": "RUB",
        "items": [
            {"sku": "KT-1", "name": "Чайник", "qty": 1, "price": 1990, "category": "kettles"}
        ],
    }
    return OrderIn.model_validate({**body, **extra})


def event(**fields: Any) -> SiteEventIn:
    return SiteEventIn.model_validate(fields)


async def chat_customer(app: Application, user_id: int) -> CustomerRow:
    rows = await stored_rows(app, CustomerRow, CustomerRow.external_id == str(user_id))
    assert len(rows) == 1
    return rows[0]


async def state_of(app: Application, user_id: int) -> Any:
    customer = await chat_customer(app, user_id)
    async with app.session_factory() as session:
        state = await app.profiles.load(session, customer.id)  # type: ignore[arg-type]
    assert state is not None
    return state


async def link_by_start(
    app: Application, who: TelegramCustomer, deep_link: str, clock: ManualClock
) -> None:
    payload = deep_link.rsplit("start=", 1)[1]
    await feed(app, who.message(f"/start {payload}", clock()))


# -- customers ---------------------------------------------------------------------------


async def test_put_customer_creates_then_updates_with_a_personal_link(app: Application) -> None:
    created = await app.shop.put_customer(
        "c-1", CustomerIn(name="Анна", phone="8 (999) 123-45-67", email="anna@example.com")
    )
    assert created.created and not created.linked
    assert created.phone == "+79991234567"
    assert created.deep_link.startswith("https://t.me/barista_test_bot?start=l-")
    assert TOKEN.search(created.deep_link)

    again = await app.shop.put_customer("c-1", CustomerIn(email="anna@shop.example"))
    assert not again.created
    assert again.deep_link == created.deep_link  # the same person keeps the same link
    assert (again.name, again.phone, again.email) == ("Анна", "+79991234567", "anna@shop.example")
    assert (await app.shop.get_customer("c-1")).email == "anna@shop.example"

    other = await app.shop.put_customer("c-2", CustomerIn())
    assert other.deep_link != created.deep_link  # one token per customer


async def test_put_customer_refuses_an_impossible_phone_and_stores_nothing(
    app: Application,
) -> None:
    with pytest.raises(InvalidField) as raised:
        await app.shop.put_customer("c-9", CustomerIn(phone="12345"))
    assert raised.value.field == "phone"
    assert await stored_rows(app, ShopCustomer) == []
    with pytest.raises(NotFound):
        await app.shop.get_customer("c-9")


# -- orders ------------------------------------------------------------------------------


async def test_orders_are_idempotent_and_keep_their_status_history(
    app: Application, clock: ManualClock
) -> None:
    with pytest.raises(NotFound, match="customer 'c-1'"):
        await app.shop.put_order("A-1", order())
    await app.shop.put_customer("c-1", CustomerIn(name="Анна"))

    first = await app.shop.put_order("A-1", order())
    assert first.created and first.status == "created" and not first.linked
    repeat = await app.shop.put_order("A-1", order())
    assert not repeat.created and len(repeat.status_history) == 1

    clock.advance(3600)
    paid = await app.shop.put_order("A-1", order(status="paid", total=1890))
    assert [c.status for c in paid.status_history] == ["created", "paid"]
    assert paid.total == 1890
    fetched = await app.shop.get_order("A-1")
    assert fetched.model_dump(exclude={"created"}) == paid.model_dump(exclude={"created"})
    with pytest.raises(NotFound, match="order 'nope'"):
        await app.shop.get_order("nope")


async def test_an_order_placed_before_it_was_reported_keeps_its_own_time(
    app: Application, clock: ManualClock
) -> None:
    await app.shop.put_customer("c-1", CustomerIn())
    placed = clock() - timedelta(days=2)
    out = await app.shop.put_order("A-2", order(created_at=placed.isoformat()))
    assert out.created_at == placed
    assert out.status_history[0].at == placed


# -- linking -----------------------------------------------------------------------------


async def test_personal_link_joins_the_chat_and_replays_what_the_shop_reported(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    shop_customer = await app.shop.put_customer("c-1", CustomerIn(name="Анна"))
    await app.shop.put_order("A-1", order(status="delivered"))
    await app.shop.record_events([event(type="page_view", customer_id="c-1", page="returns")])

    anna = TelegramCustomer(1001, "Anna", "ru")
    await link_by_start(app, anna, shop_customer.deep_link, clock)

    reply = bot_api.sent_messages(1001)[-1]["text"]
    assert "вижу ваши заказы" in reply
    assert (await app.shop.get_customer("c-1")).linked
    orders = await stored_rows(app, ShopOrder)
    assert [(o.applied, o.statuses) for o in orders] == [(1, 1)]
    events = await stored_rows(app, SiteEvent)
    customer = await chat_customer(app, 1001)
    assert [(e.customer_id, e.applied) for e in events] == [(customer.id, True)]
    state = await state_of(app, 1001)
    assert state.orders_total == 1
    # The token opens orders: it is not kept in the touch log.
    touches = await stored_rows(app, SourceTouch)
    assert all("l-" not in (t.raw_payload or "") or "*" in t.raw_payload for t in touches)
    assert all(TOKEN.search(f"start={t.raw_payload}") is None for t in touches)

    # From now on orders reach the profile as they come.
    clock.advance(60)
    await app.shop.put_order("A-2", order())
    assert (await state_of(app, 1001)).orders_total == 2
    assert all(o.applied == o.statuses for o in await stored_rows(app, ShopOrder))

    # Opening the link again is harmless.
    await link_by_start(app, anna, shop_customer.deep_link, clock)
    assert "уже связаны" in bot_api.sent_messages(1001)[-1]["text"]


async def test_a_forwarded_personal_link_does_not_open_someone_elses_orders(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    shop_customer = await app.shop.put_customer("c-1", CustomerIn())
    await link_by_start(app, TelegramCustomer(1001, "Anna", "ru"), shop_customer.deep_link, clock)
    await link_by_start(app, TelegramCustomer(2002, "Boris", "en"), shop_customer.deep_link, clock)

    assert "another Telegram account" in bot_api.sent_messages(2002)[-1]["text"]
    rows = await stored_rows(app, ShopCustomer)
    assert rows[0].customer_id == (await chat_customer(app, 1001)).id


async def test_an_unknown_personal_link_is_greeted_and_explained(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await feed(app, TelegramCustomer(1001).message("/start l-" + "0" * 24, clock()))
    reply = bot_api.sent_messages(1001)[-1]["text"]
    assert "Здравствуйте" in reply and "/link" in reply


async def test_phone_sharing_links_only_the_senders_own_contact(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await app.shop.put_customer("c-1", CustomerIn(phone="+7 999 123-45-67"))
    await app.shop.put_order("A-1", order(status="paid"))
    anna = TelegramCustomer(1001, "Anna", "ru")

    await feed(app, anna.message("/link", clock()))
    asked = bot_api.sent_messages(1001)[-1]
    keyboard = asked["reply_markup"]["keyboard"]
    assert keyboard[0][0]["request_contact"] is True

    # Someone else's contact card: refused, nothing linked.
    stranger = {"phone_number": "79991234567", "first_name": "Анна", "user_id": 5555}
    await feed(app, anna.message(None, clock(), contact=stranger))
    assert "собственный номер" in bot_api.sent_messages(1001)[-1]["text"]
    assert not (await app.shop.get_customer("c-1")).linked

    own = {"phone_number": "79991234567", "first_name": "Anna", "user_id": 1001}
    await feed(app, anna.message(None, clock(), contact=own))
    reply = bot_api.sent_messages(1001)[-1]
    assert "Нашёл ваши заказы" in reply["text"]
    assert reply["reply_markup"] == {"remove_keyboard": True}
    assert (await app.shop.get_customer("c-1")).linked
    assert (await state_of(app, 1001)).orders_total == 1
    # The number itself is not written into the message log.
    from storage.models import Message

    texts = [m.text for m in await stored_rows(app, Message)]
    assert not any("9991234567" in text for text in texts)


async def test_a_phone_the_shop_does_not_know_links_nothing(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(1001, "Anna", "en")
    own = {"phone_number": "+447911123456", "first_name": "Anna", "user_id": 1001}
    await feed(app, anna.message(None, clock(), contact=own))
    assert "couldn't find orders" in bot_api.sent_messages(1001)[-1]["text"]


# -- site events and visitors ------------------------------------------------------------


async def test_a_visitor_from_a_cleaning_ad_joins_the_chat_with_their_browsing(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """The seed's second scene: a visitor from a cleaning ad reads prices, FAQ and insurance,
    then presses "chat with us"."""
    source = {"campaign": "cleaning", "ad": "spring"}
    start = clock() - timedelta(minutes=12)
    pages = [("prices", 0), ("faq", 4), ("prices", 6), ("insurance", 9), ("prices", 11)]
    out = await app.shop.record_events(
        [
            event(
                type="page_view",
                visitor_id="v-42",
                page=page,
                device="mobile",
                source=source,
                at=(start + timedelta(minutes=m)).isoformat(),
            )
            for page, m in pages
        ]
    )
    assert (out.accepted, out.duplicates, out.linked) == (5, 0, 0)

    await feed(app, TelegramCustomer(1001, "Anna", "ru").message("/start v-v-42", clock()))
    customer = await chat_customer(app, 1001)
    first = (await stored_rows(app, AdSource, AdSource.id == customer.first_source_id))[0]
    assert (first.campaign, first.ad, first.origin) == ("cleaning", "spring", "site")
    assert all(
        e.customer_id == customer.id and e.applied for e in await stored_rows(app, SiteEvent)
    )
    assert "с нашего сайта" in bot_api.sent_messages(1001)[-1]["text"]

    looked = await app.conversation.profile("telegram", "1001")
    assert looked is not None
    segments = looked.assessment.segments
    # Both rise above where a customer without browsing starts, and say the site is why.
    blank = app.profile_engine.assess(app.profile_engine.new_state(now=0.0), 0.0).segments
    for segment in (Segment.PRICE_SENSITIVE, Segment.RESEARCHER):
        assert segments[segment].value > blank[segment].value + 0.05
        assert any(r.code.startswith("site_") for r in segments[segment].reasons)
    assert looked.assessment.advice.length == "short"  # a phone: shorter answers

    # Later events of the same visitor go straight to the chat customer's profile.
    later = await app.shop.record_events(
        [event(type="add_to_cart", visitor_id="v-42", product={"sku": "CLN-2", "name": "Уборка"})]
    )
    assert later.linked == 1


async def test_a_recent_buyer_on_the_returns_page_is_returning_with_a_problem(
    app: Application, clock: ManualClock
) -> None:
    """The seed's third scene: bought a week ago, visits returns and contacts, then writes."""
    shop_customer = await app.shop.put_customer("c-7", CustomerIn(name="Олег"))
    await link_by_start(app, TelegramCustomer(1007, "Oleg", "ru"), shop_customer.deep_link, clock)
    await app.shop.put_order(
        "K-1", order("c-7", "delivered", created_at=(clock() - timedelta(days=7)).isoformat())
    )
    clock.advance(60)
    await app.shop.record_events(
        [
            event(type="page_view", customer_id="c-7", page="returns"),
            event(type="page_view", customer_id="c-7", page="contacts"),
        ]
    )
    profile = await app.shop.customer_profile("c-7")
    assert profile.linked and profile.orders[0].shop_order_id == "K-1"
    assert profile.segments[0].segment == Segment.RETURNING_WITH_PROBLEM.value
    assert any("site" in reason for reason in profile.segments[0].reasons)


async def test_an_event_batch_with_an_unknown_customer_stores_nothing(app: Application) -> None:
    await app.shop.put_customer("c-1", CustomerIn())
    batch = [
        event(type="page_view", customer_id="c-1", page="faq"),
        event(type="page_view", customer_id="ghost", page="faq"),
    ]
    with pytest.raises(NotFound, match="ghost"):
        await app.shop.record_events(batch)
    assert await stored_rows(app, SiteEvent) == []


async def test_events_with_an_id_are_stored_once(app: Application) -> None:
    batch = [event(type="search", id="e-1", visitor_id="abc", query="пылесос")]
    assert (await app.shop.record_events(batch)).accepted == 1
    again = await app.shop.record_events([*batch, event(type="search", id="e-2", visitor_id="abc")])
    assert (again.accepted, again.duplicates) == (1, 1)
    assert len(await stored_rows(app, SiteEvent)) == 2


# -- links and conversions ---------------------------------------------------------------


async def test_links_count_starts_dialogs_and_conversions(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    link = await app.shop.create_link(LinkIn(campaign="summer", ad="ig1"))
    assert link.url == "https://t.me/barista_test_bot?start=c-summer_a-ig1"
    assert (await app.shop.create_link(LinkIn(campaign="summer", ad="ig1"))).url == link.url

    shop_customer = await app.shop.put_customer("c-1", CustomerIn())
    anna = TelegramCustomer(1001, "Anna", "ru")
    await feed(app, anna.message(f"/start {link.payload}", clock()))
    await link_by_start(app, anna, shop_customer.deep_link, clock)
    clock.advance(30)
    await feed(app, anna.message("Сколько стоит доставка чайника?", clock()))
    clock.advance(600)
    await app.shop.put_order("A-1", order())

    conversions = await stored_rows(app, Conversion)
    assert len(conversions) == 1
    dialog = (await stored_rows(app, Dialog))[0]
    assert conversions[0].dialog_id == dialog.id
    assert conversions[0].seconds_from_dialog_start == pytest.approx(600, abs=2)

    stats = {item.payload: item for item in (await app.shop.list_links()).links}[link.payload]
    assert (stats.starts, stats.dialogs, stats.conversions) == (1, 1, 1)
    assert stats.first_touch_conversions == 1
    assert stats.median_seconds_to_conversion == pytest.approx(600, abs=2)
    assert stats.revenue == 1990

    outbox = await stored_rows(app, OutboxEvent, col(OutboxEvent.event_type) == "dialog.converted")
    assert len(outbox) == 1
    data = outbox[0].payload
    data = json.loads(data) if isinstance(data, str) else data
    assert data["data"]["conversion"]["ref"] == "A-1"


async def test_an_order_long_after_the_dialog_is_not_attributed(
    app: Application, clock: ManualClock
) -> None:
    shop_customer = await app.shop.put_customer("c-1", CustomerIn())
    anna = TelegramCustomer(1001, "Anna", "ru")
    await link_by_start(app, anna, shop_customer.deep_link, clock)
    await feed(app, anna.message("Здравствуйте, есть чайники?", clock()))
    clock.advance(8 * 86_400)
    await app.shop.put_order("A-1", order())
    conversions = await stored_rows(app, Conversion)
    assert len(conversions) == 1 and conversions[0].dialog_id is None


async def test_a_link_that_cannot_fit_a_payload_is_refused(app: Application) -> None:
    with pytest.raises(InvalidField):
        await app.shop.create_link(LinkIn(campaign="Ж" * 60, ad="Щ" * 60))


# -- races -------------------------------------------------------------------------------


async def test_an_order_racing_the_link_is_fed_exactly_once(
    app: Application, clock: ManualClock
) -> None:
    """Linking (chat turn → shop turn) and an order (shop turn, or chat turn once linked)
    at the same moment: the order reaches the profile once, whoever wins."""
    for n in range(8):
        shop_id = f"race-{n}"
        created = await app.shop.put_customer(shop_id, CustomerIn())
        who = TelegramCustomer(3000 + n, "Race", "ru")
        payload = created.deep_link.rsplit("start=", 1)[1]
        results = await asyncio.gather(
            feed(app, who.message(f"/start {payload}", clock())),
            app.shop.put_order(f"R-{n}", order(shop_id)),
            app.shop.put_order(f"R-{n}", order(shop_id, "paid")),
            return_exceptions=True,
        )
        assert not [r for r in results if isinstance(r, BaseException)], results
        state = await state_of(app, 3000 + n)
        assert state.orders_total == 1
        orders = await stored_rows(app, ShopOrder)
        assert all(o.applied == o.statuses for o in orders)


async def test_the_same_new_order_put_twice_at_once_is_one_order(app: Application) -> None:
    await app.shop.put_customer("c-1", CustomerIn())
    first, second = await asyncio.gather(
        app.shop.put_order("A-1", order()), app.shop.put_order("A-1", order())
    )
    assert sorted([first.created, second.created]) == [False, True]
    orders = await stored_rows(app, ShopOrder)
    assert len(orders) == 1 and len(orders[0].history) == 1


async def test_a_command_does_not_keep_an_old_dialog_alive(
    app: Application, clock: ManualClock
) -> None:
    """A /help or a sticker weeks after a dialog is not conversation: an order an hour later
    is not attributed to the old dialog."""
    shop_customer = await app.shop.put_customer("c-1", CustomerIn())
    anna = TelegramCustomer(1001, "Anna", "ru")
    await link_by_start(app, anna, shop_customer.deep_link, clock)
    await feed(app, anna.message("Есть чайники?", clock()))
    clock.advance(20 * 86_400)
    await feed(app, anna.message("/help", clock()))
    clock.advance(3600)
    await app.shop.put_order("A-1", order())
    conversions = await stored_rows(app, Conversion)
    assert len(conversions) == 1 and conversions[0].dialog_id is None
