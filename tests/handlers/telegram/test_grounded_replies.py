"""Replies grounded in the shop's knowledge file, through the production Dispatcher, with
both bundled examples: an electronics shop and a cleaning service."""

from __future__ import annotations

from functools import partial

import pytest

from bot.app import Application, build_application
from bot.settings import Settings, SettingsError
from tests.factories import ManualClock, TelegramCustomer, feed, reply_to
from tests.fakes.bot_api import FakeBotApi

ask = partial(reply_to, after_s=30)


async def test_electronics_policies_and_products_come_from_the_file(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(6001, "Анна", "ru")
    delivery = await ask(app, bot_api, anna, "Сколько идёт доставка?", clock)
    assert "1–3 дня" in delivery
    price = await ask(app, bot_api, anna, "Сколько стоит дайсон в15?", clock)
    assert "Dyson V15" in price and "64 990" in price
    assert "technodom.example.ru" in price  # the next step: where to order


async def test_a_person_asked_for_gets_the_shops_contacts_not_a_promise(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    max_ = TelegramCustomer(6002, "Max", "en")
    answer = await ask(app, bot_api, max_, "I want to talk to a human manager please", clock)
    assert "+7 495 123-45-67" in answer
    assert "passing" not in answer.lower() and "manager now" not in answer.lower()


async def test_a_cleaning_service_offers_no_pickup_points_and_its_own_prices(
    cleaning_app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    vera = TelegramCustomer(6003, "Вера", "ru")
    delivery = await ask(cleaning_app, bot_api, vera, "А доставка у вас есть?", clock)
    assert "пункт" not in delivery and "доставки у нас нет" in delivery
    price = await ask(cleaning_app, bot_api, vera, "Сколько стоит мойка окон?", clock)
    assert "Мойка окон" in price and "900" in price


async def test_a_visitor_from_the_cleaning_ad_hears_of_its_promotion(
    cleaning_app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    oleg = TelegramCustomer(6004, "Олег", "ru")
    await feed(cleaning_app, oleg.message("/start c-cleaning", clock()))
    answer = await ask(cleaning_app, bot_api, oleg, "Сколько стоит генеральная уборка?", clock)
    assert "Генеральная уборка" in answer and "20" in answer


def test_a_broken_knowledge_file_stops_the_program_with_one_line(
    in_process_settings: Settings, tmp_path: object
) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "shop.yaml"
    bad.write_text(
        "shop:\n  name: X\n  kind: goods\ncatalog:\n  - sku: A\n    price: -1\n", "utf-8"
    )
    settings = in_process_settings.model_copy(update={"shop_knowledge_file": str(bad)})
    with pytest.raises(SettingsError) as raised:
        build_application(settings)
    message = str(raised.value)
    assert message.startswith("SHOP_KNOWLEDGE_FILE is invalid:") and "catalog.0" in message
    assert "\n" not in message


async def test_i_ll_take_it_after_a_product_leads_to_the_next_step(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """«беру» after a product is a sale, not «Какой товар?»."""
    anna = TelegramCustomer(6005, "Анна", "ru")
    await ask(app, bot_api, anna, "Сколько стоит дайсон в15?", clock)
    answer = await ask(app, bot_api, anna, "беру", clock)
    assert "Dyson V15" in answer and "technodom.example.ru" in answer
    assert "Какой товар" not in answer


async def test_named_models_are_compared_not_asked_for(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    boris = TelegramCustomer(6006, "Борис", "ru")
    answer = await ask(app, bot_api, boris, "Roborock S8 или Dreame L10s Ultra — что лучше?", clock)
    assert "Roborock S8" in answer and "Dreame L10s Ultra" in answer
    assert "Назовите модели" not in answer


async def test_i_ll_take_it_with_nothing_in_focus_asks_which(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    max_ = TelegramCustomer(6007, "Max", "en")
    answer = await ask(app, bot_api, max_, "ok I'll take it", clock)
    assert "Which product" in answer


async def test_shorter_and_more_work_on_the_last_real_answer(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    anna = TelegramCustomer(6008, "Анна", "ru")
    full = await ask(app, bot_api, anna, "Расскажите подробно про доставку", clock)
    shorter = await ask(app, bot_api, anna, "короче", clock)
    assert "1–3 дня" in shorter and len(shorter) < len(full)
    more = await ask(app, bot_api, anna, "подробнее", clock)
    assert more.startswith("Конечно, подробнее.") and len(more) >= len(shorter)
    assert full != shorter


async def test_not_understood_puts_the_last_answer_another_way(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    max_ = TelegramCustomer(6009, "Max", "en")
    first = await ask(app, bot_api, max_, "How long does delivery take?", clock)
    again = await ask(app, bot_api, max_, "what do you mean?", clock)
    assert again.startswith("Put another way:") and again != first
    anna = TelegramCustomer(6010, "Анна", "ru")
    await ask(app, bot_api, anna, "Какая гарантия на технику?", clock)
    again = await ask(app, bot_api, anna, "не понял", clock)
    assert again.startswith("Скажу иначе:") and "1 год" in again


async def test_a_hurried_customer_gets_one_line_and_a_more_button_that_expands(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """The seed's urgent pattern: one sentence and a "more" button; pressing it gives the
    full answer."""
    ivan = TelegramCustomer(6011, "Иван", "ru")
    for text in ("срочно", "быстрее", "доставка?"):
        clock.advance(4)
        await feed(app, ivan.message(text, clock()))
    short = bot_api.sent_messages(6011)[-1]
    buttons = short["reply_markup"]["inline_keyboard"][0]
    assert buttons[0]["text"] == "Подробнее" and buttons[0]["callback_data"] == "more"
    clock.advance(5)
    sent = bot_api.calls_to("sendMessage")[-1].response
    assert sent is not None
    message_id = sent["result"]["message_id"]
    bot_api.push_callback_query(
        "more", message_id=message_id, user_id=6011, first_name="Иван", language_code="ru"
    )
    # The fake numbers its updates apart from TelegramCustomer's: give this one its own id.
    press = {**bot_api.pending_updates[-1], "update_id": 900_001}
    await feed(app, press)
    assert bot_api.calls_to("answerCallbackQuery")
    full = bot_api.sent_messages(6011)[-1]["text"]
    assert full != short["text"] and len(full) > len(short["text"]) and "1–3 дня" in full


async def _press(
    app: Application, bot_api: FakeBotApi, data: str, user_id: int, update_id: int
) -> None:
    message_id = bot_api.calls_to("sendMessage")[-1].response["result"]["message_id"]  # type: ignore[index]
    bot_api.push_callback_query(
        data, message_id=message_id, user_id=user_id, first_name="Нина", language_code="en"
    )
    await feed(app, {**bot_api.pending_updates[-1], "update_id": update_id})


async def test_two_unclear_messages_offer_the_shops_topics_as_buttons_that_ask_for_the_customer(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """A question that failed twice changes strategy: options as buttons; a press asks the
    label's question in the language the customer saw (their app says English)."""
    nina = TelegramCustomer(6021, "Нина", "en")
    await ask(app, bot_api, nina, "ывапролд", clock)
    assert "reply_markup" not in bot_api.sent_messages(6021)[-1]
    await ask(app, bot_api, nina, "жжжэ ну", clock)
    offered = bot_api.sent_messages(6021)[-1]
    buttons = [b for row in offered["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons][:3] == [
        "Где мой заказ?",
        "Условия доставки",
        "Как вернуть товар?",
    ]
    assert buttons[1]["callback_data"] == "opt:delivery:ru"
    clock.advance(5)
    await _press(app, bot_api, "opt:delivery:ru", 6021, 900_101)
    answer = bot_api.sent_messages(6021)[-1]["text"]
    assert "1–3 дня" in answer  # the delivery terms, in Russian


async def test_a_forged_option_button_is_answered_and_asks_nothing(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    nina = TelegramCustomer(6022, "Нина", "ru")
    await ask(app, bot_api, nina, "привет", clock)
    before = len(bot_api.sent_messages(6022))
    await _press(app, bot_api, "opt:drop-table:ru", 6022, 900_102)
    assert bot_api.calls_to("answerCallbackQuery")  # the button stops spinning
    assert len(bot_api.sent_messages(6022)) == before
