"""Rule-based intent detection, Russian and English (hand-written examples, no dataset rows)."""

from __future__ import annotations

import pytest

from profiling.intents import MIN_SCORE, classify_intent
from profiling.text import prepare
from profiling.types import Intent


def intent_of(text: str, **flags: bool) -> Intent:
    return classify_intent(prepare(text), **flags).intent


CASES: list[tuple[Intent, str]] = [
    # order status
    (Intent.ORDER_STATUS, "Подскажите статус моего заказа"),
    (Intent.ORDER_STATUS, "Где мой заказ?? Жду уже неделю!!!"),
    (Intent.ORDER_STATUS, "Когда придёт моя посылка?"),
    (Intent.ORDER_STATUS, "Заказ №4521 до сих пор не пришёл"),
    (Intent.ORDER_STATUS, "Дайте трек-номер для отслеживания"),
    (Intent.ORDER_STATUS, "Заказ так и не доставили, что происходит?"),
    (Intent.ORDER_STATUS, "Where is my order?"),
    (Intent.ORDER_STATUS, "I'm still waiting for my parcel"),
    (Intent.ORDER_STATUS, "Has my package shipped yet?"),
    (Intent.ORDER_STATUS, "Can I get an update on my order 5531?"),
    (Intent.ORDER_STATUS, "My order hasn't arrived yet"),
    (Intent.ORDER_STATUS, "When will my new kettle arrive?"),
    # delivery
    (Intent.DELIVERY, "Сколько стоит доставка в Казань?"),
    (Intent.DELIVERY, "Есть ли самовывоз?"),
    (Intent.DELIVERY, "Доставляете в Подмосковье?"),
    (Intent.DELIVERY, "Курьер может привезти вечером?"),
    (Intent.DELIVERY, "Do you ship to Canada?"),
    (Intent.DELIVERY, "How much is shipping to Germany?"),
    (Intent.DELIVERY, "Can I pick it up from the store?"),
    (Intent.DELIVERY, "What are your delivery options?"),
    # return and refund
    (Intent.RETURN_REFUND, "Хочу вернуть кофемолку, она не подошла"),
    (Intent.RETURN_REFUND, "Верните деньги за заказ"),
    (Intent.RETURN_REFUND, "Как оформить возврат?"),
    (Intent.RETURN_REFUND, "Можно обменять на другой размер?"),
    (Intent.RETURN_REFUND, "Хочу отменить заказ"),
    (Intent.RETURN_REFUND, "I want my money back"),
    (Intent.RETURN_REFUND, "How do I return this item?"),
    (Intent.RETURN_REFUND, "Please refund my order"),
    (Intent.RETURN_REFUND, "I'd like to cancel my order"),
    (Intent.RETURN_REFUND, "Still waiting for my refund, where is it?"),
    # complaint
    (Intent.COMPLAINT, "Кофемашина сломалась через два дня"),
    (Intent.COMPLAINT, "Прислали не тот товар!"),
    (Intent.COMPLAINT, "Упаковка пришла порванная, зерно рассыпалось"),
    (Intent.COMPLAINT, "Это ужасное обслуживание, я недоволен"),
    (Intent.COMPLAINT, "Хочу оставить жалобу на курьера"),
    (Intent.COMPLAINT, "Кофемолка не работает"),
    (Intent.COMPLAINT, "The grinder arrived broken"),
    (Intent.COMPLAINT, "You sent me the wrong item"),
    (Intent.COMPLAINT, "This is unacceptable, the beans were stale"),
    (Intent.COMPLAINT, "My coffee machine stopped working"),
    (Intent.COMPLAINT, "I was charged twice for one order"),
    # warranty
    (Intent.WARRANTY, "Какая гарантия на кофемашину?"),
    (Intent.WARRANTY, "Нужен ремонт кофемолки, это по гарантии?"),
    (Intent.WARRANTY, "Где ближайший сервисный центр?"),
    (Intent.WARRANTY, "Is there a warranty on this grinder?"),
    (Intent.WARRANTY, "Can you repair my espresso machine?"),
    # price
    (Intent.PRICE, "Сколько стоит латте?"),
    (Intent.PRICE, "Есть скидка для постоянных клиентов?"),
    (Intent.PRICE, "У меня есть промокод, куда его ввести?"),
    (Intent.PRICE, "Почём килограмм зерна?"),
    (Intent.PRICE, "Какая цена на эту турку?"),
    (Intent.PRICE, "How much is the V60 kit?"),
    (Intent.PRICE, "Do you have any discounts?"),
    (Intent.PRICE, "What's the price of the grinder?"),
    (Intent.PRICE, "Is there a promo code for a first order?"),
    # product questions
    (Intent.PRODUCT_QUESTION, "А у вас есть зерно из Эфиопии в наличии?"),
    (Intent.PRODUCT_QUESTION, "Какой помол подойдёт для турки?"),
    (Intent.PRODUCT_QUESTION, "Посоветуйте кофе для капельной кофеварки"),
    (Intent.PRODUCT_QUESTION, "Как пользоваться аэропрессом?"),
    (Intent.PRODUCT_QUESTION, "Is the Chemex in stock?"),
    (Intent.PRODUCT_QUESTION, "Do you sell decaf beans?"),
    (Intent.PRODUCT_QUESTION, "Can you recommend a grinder for espresso?"),
    (Intent.PRODUCT_QUESTION, "How do I clean the milk frother?"),
    # comparison
    (Intent.COMPARISON, "Что лучше, Эфиопия или Кения?"),
    (Intent.COMPARISON, "Чем отличается арабика от робусты?"),
    (Intent.COMPARISON, "В чём разница между этими кофемолками?"),
    (Intent.COMPARISON, "Какая кофемашина лучше для дома?"),
    (Intent.COMPARISON, "Which is better, the V60 or the Chemex?"),
    (Intent.COMPARISON, "What's the difference between these two blends?"),
    (Intent.COMPARISON, "Can you compare the two grinders?"),
    # booking
    (Intent.BOOKING, "Хочу забронировать столик на вечер"),
    (Intent.BOOKING, "Можно записаться на дегустацию в субботу?"),
    (Intent.BOOKING, "Есть свободные места на мастер-класс?"),
    (Intent.BOOKING, "Зарезервируйте, пожалуйста, стол на четверых"),
    (Intent.BOOKING, "Can I book a table for two tonight?"),
    (Intent.BOOKING, "I'd like to make a reservation for Friday"),
    (Intent.BOOKING, "Do you have a free slot for the cupping class?"),
    # a human, not the bot
    (Intent.HUMAN_REQUEST, "Позовите оператора"),
    (Intent.HUMAN_REQUEST, "Хочу поговорить с живым человеком"),
    (Intent.HUMAN_REQUEST, "Соедините с менеджером, пожалуйста"),
    (Intent.HUMAN_REQUEST, "Can I talk to a real person?"),
    (Intent.HUMAN_REQUEST, "I want to speak to a human"),
    (Intent.HUMAN_REQUEST, "Please connect me with an agent"),
    (Intent.HUMAN_REQUEST, "Let me talk to your manager"),
    # social formulas
    (Intent.GREETING, "Привет!"),
    (Intent.GREETING, "Здравствуйте"),
    (Intent.GREETING, "Добрый день!"),
    (Intent.GREETING, "Hi there"),
    (Intent.GREETING, "Good morning"),
    (Intent.THANKS, "Спасибо большое!"),
    (Intent.THANKS, "Благодарю за помощь"),
    (Intent.THANKS, "спс"),
    (Intent.THANKS, "Thanks a lot!"),
    (Intent.THANKS, "Thank you so much"),
    # nothing to act on
    (Intent.OTHER, "ок"),
    (Intent.OTHER, "понятно"),
    (Intent.OTHER, "sure"),
    (Intent.OTHER, "🙂"),
    (Intent.OTHER, ""),
]


@pytest.mark.parametrize(("expected", "text"), CASES)
def test_intent_table(expected: Intent, text: str) -> None:
    assert intent_of(text) is expected


def test_every_intent_is_covered_by_the_table() -> None:
    assert {intent for intent, _ in CASES} == set(Intent)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Привет! Где мой заказ?", Intent.ORDER_STATUS),
        ("Здравствуйте, сколько стоит доставка?", Intent.DELIVERY),
        ("Hi, can I return the grinder?", Intent.RETURN_REFUND),
        ("Спасибо, но кофемолка пришла разбитая", Intent.COMPLAINT),
        ("Thanks! Is the kettle in stock?", Intent.PRODUCT_QUESTION),
    ],
)
def test_substantive_intent_beats_greeting_and_thanks(text: str, expected: Intent) -> None:
    assert intent_of(text) is expected


def test_result_carries_confidence_and_cues() -> None:
    clear = classify_intent(prepare("Где мой заказ?? Жду уже неделю!!!"))
    vague = classify_intent(prepare("заказ вчера"))
    assert 0.0 < vague.confidence <= clear.confidence <= 1.0
    assert clear.cues and all(cue in "где мой заказ жду уже неделю" for cue in clear.cues)


def test_other_has_no_cues_and_is_confident_only_without_hints() -> None:
    nothing = classify_intent(prepare("ок"))
    weak_hint = classify_intent(prepare("I ordered it"))  # one weak status hint only
    assert nothing.intent is weak_hint.intent is Intent.OTHER
    assert nothing.cues == weak_hint.cues == ()
    assert nothing.confidence == 1.0
    assert 0.0 < weak_hint.confidence < nothing.confidence


def test_question_about_a_configured_product_is_a_product_question() -> None:
    text = prepare("Латте сегодня?")
    assert classify_intent(text).intent is Intent.OTHER
    assert (
        classify_intent(text, is_question=True, mentions_product=True).intent
        is Intent.PRODUCT_QUESTION
    )
    # naming a product without asking about it is not enough
    assert classify_intent(text, mentions_product=True).intent is Intent.OTHER


def test_repeated_cue_counts_once() -> None:
    once = classify_intent(prepare("возврат"))
    thrice = classify_intent(prepare("возврат возврат возврат"))
    assert once.intent is thrice.intent is Intent.RETURN_REFUND
    assert once.confidence == thrice.confidence


def test_overlapping_phrases_do_not_add_up() -> None:
    # "still haven't received" contains "haven't received": one piece of evidence
    nested = classify_intent(prepare("I still haven't received it"))
    separate = classify_intent(prepare("I still haven't received it, it is very late"))
    assert nested.intent is separate.intent is Intent.ORDER_STATUS
    assert nested.confidence < separate.confidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ваши операторы хамят", Intent.COMPLAINT),  # staff mentioned, no request
        ("Сотрудники магазина были очень вежливы", Intent.OTHER),
        ("The manager was very helpful", Intent.OTHER),
        ("Дайте оператора", Intent.HUMAN_REQUEST),
        ("Нужен менеджер", Intent.HUMAN_REQUEST),
        ("Please transfer me to a supervisor", Intent.HUMAN_REQUEST),
    ],
)
def test_mentioning_staff_is_not_asking_for_a_human(text: str, expected: Intent) -> None:
    assert intent_of(text) is expected


def test_weak_hints_stay_below_the_threshold() -> None:
    # a lone "или" / "or" is context, not a comparison request
    assert MIN_SCORE > 0.5
    assert intent_of("чай или кофе") is Intent.OTHER
    assert intent_of("tea or coffee") is Intent.OTHER


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте",  # a greeting word is not an order
        "Отлично, всё работает",  # "отлично" must not look like "отличается"
        "Пожалуйста",  # "пожалуйста" must not look like "пожаловаться"
        "I'm on Facebook",  # "book" only as a whole word
    ],
)
def test_no_false_substantive_intent(text: str) -> None:
    assert intent_of(text) in {Intent.OTHER, Intent.GREETING, Intent.THANKS}
