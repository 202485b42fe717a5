"""Orders in the answers, with a dialog state: the bot remembers that it asked for the order
number, understands the answer as that answer, answers from the shop's orders, never repeats
its request word for word, and forgets the question when the dialog ends."""

from __future__ import annotations

from functools import partial

from bot.app import Application, build_application
from bot.settings import Settings
from bot.shop.schemas import CustomerIn, OrderIn
from storage.models import Profile
from tests.factories import NO_LIMITS, ManualClock, TelegramCustomer, feed, reply_to, stored_rows
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi


def order(customer: str, status: str, total: float = 1990) -> OrderIn:
    return OrderIn.model_validate(
        {
            "customer_id": customer,
            "status": status,
            "total": total,
            "items": [{"sku": "KT-1", "name": "Чайник Bosch", "qty": 1, "price": total}],
        }
    )


say = partial(reply_to, after_s=20)


async def linked_customer(
    app: Application, api: FakeBotApi, who: TelegramCustomer, shop_id: str, clock: ManualClock
) -> None:
    created = await app.shop.put_customer(shop_id, CustomerIn(name=who.first_name))
    payload = created.deep_link.rsplit("start=", 1)[1]
    await feed(app, who.message(f"/start {payload}", clock()))


async def test_the_order_number_answers_the_question_the_bot_asked(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    vera = TelegramCustomer(5001, "Вера", "ru")
    asked = await say(app, bot_api, vera, "Где мой заказ?", clock)
    assert "номер заказа" in asked.lower() and "/link" in asked
    # Answered with the number alone: understood as the order number, not "what can I do?"
    answer = await say(app, bot_api, vera, "58213", clock)
    assert "58213" in answer and "/link" in answer
    assert "Уточните" not in answer


async def test_a_linked_customer_gets_the_status_of_their_order(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    max_ = TelegramCustomer(5002, "Max", "en")
    await linked_customer(app, bot_api, max_, "c-max", clock)
    await app.shop.put_order("A-77812", order("c-max", "shipped"))

    answer = await say(app, bot_api, max_, "Where is my order?", clock)
    assert "A-77812" in answer and "on its way" in answer
    answer = await say(app, bot_api, max_, "Order #A-77812 — any news?", clock)
    assert "A-77812" in answer and "on its way" in answer

    await app.shop.put_order("A-77812", order("c-max", "delivered"))
    answer = await say(app, bot_api, max_, "and now?? where is my order", clock)
    assert "delivered" in answer


async def test_several_open_orders_make_the_bot_ask_which_then_answer(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    oleg = TelegramCustomer(5003, "Олег", "ru")
    await linked_customer(app, bot_api, oleg, "c-oleg", clock)
    await app.shop.put_order("K-1001", order("c-oleg", "paid"))
    clock.advance(60)
    await app.shop.put_order("K-1002", order("c-oleg", "shipped", 4990))

    asked = await say(app, bot_api, oleg, "Где заказ?", clock)
    assert "K-1001" in asked and "K-1002" in asked and "О каком" in asked
    answer = await say(app, bot_api, oleg, "K-1002", clock)
    assert "Заказ K-1002 передан в доставку" in answer
    # Not found among the customer's orders: says so and lists theirs.
    answer = await say(app, bot_api, oleg, "а заказ №99999?", clock)
    assert "99999" in answer and "K-1001" in answer


async def test_the_request_is_never_repeated_word_for_word(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(5004, "Anna", "ru")
    first = await say(app, bot_api, anna, "где мой заказ", clock)
    second = await say(app, bot_api, anna, "ну где мой заказ?", clock)
    assert first != second
    assert "письме или SMS" in second  # another way to help: where to find the number


async def test_the_question_survives_a_restart_and_ends_with_the_dialog(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    def build() -> Application:
        return build_application(
            in_process_settings,
            bot_session=InProcessBotApi(bot_api),
            clock=clock,
            telegram_limits=NO_LIMITS,
        )

    vera = TelegramCustomer(5005, "Вера", "ru")
    first = build()
    await first.start()
    await say(first, bot_api, vera, "Где мой заказ?", clock)
    await first.close()  # the dialog state is written with the profile

    second = build()
    await second.start()
    try:
        stored = await stored_rows(second, Profile)
        assert stored[0].dialog is not None and stored[0].dialog["awaiting"] == "order_number"
        answer = await say(second, bot_api, vera, "58213", clock)
        assert "58213" in answer  # still understood as the answer

        # Half an hour later a new dialog begins: a bare number is no longer an answer.
        clock.advance(31 * 60)
        answer = await say(second, bot_api, vera, "12345", clock)
        assert "12345" not in answer
    finally:
        await second.close()


async def test_more_details_about_an_order_answer_keep_the_order(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    max_ = TelegramCustomer(5006, "Max", "ru")
    await linked_customer(app, bot_api, max_, "c-more", clock)
    await app.shop.put_order("A-77812", order("c-more", "shipped"))
    await say(app, bot_api, max_, "Где мой заказ A-77812?", clock)
    more = await say(app, bot_api, max_, "подробнее", clock)
    assert "A-77812" in more and "не связан" not in more


async def test_a_wrong_order_number_does_not_stick_for_the_dialog(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    oleg = TelegramCustomer(5007, "Олег", "ru")
    await linked_customer(app, bot_api, oleg, "c-wrong", clock)
    await app.shop.put_order("A-77812", order("c-wrong", "shipped"))
    wrong = await say(app, bot_api, oleg, "Где мой заказ A-77813?", clock)
    assert "A-77813" in wrong and "A-77812" in wrong
    right = await say(app, bot_api, oleg, "где мой заказ", clock)
    assert "Заказ A-77812 передан в доставку" in right


async def test_the_personal_token_is_not_kept_in_the_message_log(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    from storage.models import Message

    anna = TelegramCustomer(5008, "Anna", "ru")
    created = await app.shop.put_customer("c-token", CustomerIn(name="Anna"))
    token = created.deep_link.rsplit("l-", 1)[1]
    await feed(app, anna.message(f"/start l-{token}", clock()))
    texts = [m.text for m in await stored_rows(app, Message)]
    assert not any(token in text for text in texts)
    assert "/start l-*" in texts
