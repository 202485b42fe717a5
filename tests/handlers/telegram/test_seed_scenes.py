"""The seed's scenes end to end, through the shop API's service and the production
Dispatcher: what the shop reported and the customer did on the site shows in the first reply."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Application
from bot.shop.schemas import CustomerIn, OrderIn, SiteEventIn
from tests.factories import ManualClock, TelegramCustomer, feed
from tests.fakes.bot_api import FakeBotApi


async def test_a_visitor_from_the_cleaning_ad_hears_of_insurance_and_experience_unasked(
    cleaning_app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """Scene (b): a first-time visitor from a "general cleaning −20 %" ad who read prices, FAQ
    and insurance opens the chat and asks the price."""
    start = clock() - timedelta(minutes=15)
    pages = [("prices", 0), ("faq", 3), ("prices", 6), ("insurance", 9), ("prices", 12)]
    await cleaning_app.shop.record_events(
        [
            SiteEventIn.model_validate(
                {
                    "type": "page_view",
                    "visitor_id": "vis-1",
                    "page": page,
                    "device": "desktop",
                    "source": {"campaign": "cleaning"},
                    "at": (start + timedelta(minutes=m)).isoformat(),
                }
            )
            for page, m in pages
        ]
    )
    vera = TelegramCustomer(7001, "Вера", "ru")
    await feed(cleaning_app, vera.message("/start v-vis-1", clock()))
    clock.advance(20)
    await feed(cleaning_app, vera.message("Сколько стоит генеральная уборка?", clock()))
    reply = bot_api.sent_messages(7001)[-1]["text"]
    assert "Генеральная уборка" in reply and "20" in reply  # the price and the ad's offer
    assert "1 000 000" in reply and "8 лет" in reply  # insurance and experience, unasked


async def test_a_recent_buyer_back_with_a_problem_hears_of_the_order_first(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """Scene (c): ordered a week ago, visited the returns and contacts pages, opens the chat."""
    created = await app.shop.put_customer("c-7", CustomerIn(name="Олег"))
    oleg = TelegramCustomer(7002, "Олег", "ru")
    payload = created.deep_link.rsplit("start=", 1)[1]
    await feed(app, oleg.message(f"/start {payload}", clock()))
    week_ago = clock() - timedelta(days=7)
    await app.shop.put_order(
        "K-1",
        OrderIn.model_validate(
            {
                "customer_id": "c-7",
                "status": "delivered",
                "total": 4990,
                "items": [{"sku": "KT-XI2", "name": "Чайник Xiaomi", "qty": 1, "price": 4990}],
                "created_at": week_ago.isoformat(),
            }
        ),
    )
    await app.shop.record_events(
        [
            SiteEventIn.model_validate({"type": "page_view", "customer_id": "c-7", "page": page})
            for page in ("returns", "contacts")
        ]
    )
    clock.advance(3600)
    await feed(app, oleg.message("Здравствуйте", clock()))
    reply = bot_api.sent_messages(7002)[-1]["text"]
    assert reply.startswith("Вижу ваш заказ K-1")
    assert "Чайник Xiaomi" in reply


async def test_the_blind_bot_gets_the_facts_without_the_patterns(
    cleaning_app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """A customer in the holdout group gets the same facts without adaptation."""
    from sqlalchemy import update

    from storage.models import Customer

    max_ = TelegramCustomer(7003, "Max", "ru")
    await feed(cleaning_app, max_.message("/start c-cleaning", clock()))
    async with cleaning_app.session_factory() as session:
        await session.execute(update(Customer).values(holdout=True))
        await session.commit()
    cleaning_app.customers.forget(("telegram", "7003"))
    clock.advance(20)
    await feed(cleaning_app, max_.message("Сколько стоит генеральная уборка? подробно", clock()))
    reply = bot_api.sent_messages(7003)[-1]["text"]
    assert "Генеральная уборка" in reply
    assert "Коротко о нас" not in reply


async def test_a_customer_with_a_mid_range_phone_gets_phones_that_fit_and_the_accessory_deal(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """Scene (a): the history shows a mid-range phone and premium headphones; asked about
    phones, the bot suggests what fits their spending first, with the accessory discount."""
    created = await app.shop.put_customer("c-a", CustomerIn(name="Ира"))
    ira = TelegramCustomer(7004, "Ира", "ru")
    await feed(app, ira.message(f"/start {created.deep_link.rsplit('start=', 1)[1]}", clock()))
    for order_id, sku, name, price in (
        ("P-1", "PH-A55", "Samsung Galaxy A55", 34990),
        ("P-2", "HP-XM5", "Sony WH-1000XM5", 29990),
    ):
        await app.shop.put_order(
            order_id,
            OrderIn.model_validate(
                {
                    "customer_id": "c-a",
                    "status": "delivered",
                    "total": price,
                    "items": [{"sku": sku, "name": name, "qty": 1, "price": price}],
                    "created_at": (clock() - timedelta(days=200)).isoformat(),
                }
            ),
        )
    clock.advance(60)
    await feed(app, ira.message("Посоветуйте новый телефон", clock()))
    reply = bot_api.sent_messages(7004)[-1]["text"]
    assert reply.index("Galaxy A55") < reply.index("S24 Ultra")  # the one that fits first
    assert "аксессуар" in reply.lower()  # the accessory discount for phone buyers
