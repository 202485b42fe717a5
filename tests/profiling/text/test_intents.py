"""Rule-based intent detection, Russian and English (hand-written examples, no dataset rows)."""

from __future__ import annotations

import pytest

from profiling.text.intents import MIN_SCORE, classify_intent
from profiling.text.prepare import prepare
from profiling.types import Intent, Lang


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
    # warranty: a repair or a claim for something the customer has
    (Intent.WARRANTY, "Нужен ремонт кофемолки, это по гарантии?"),
    (Intent.WARRANTY, "Где ближайший сервисный центр?"),
    (Intent.WARRANTY, "Can you repair my espresso machine?"),
    # the warranty terms asked about before buying are a question about the product
    (Intent.PRODUCT_QUESTION, "Какая гарантия на кофемашину?"),
    (Intent.PRODUCT_QUESTION, "Is there a warranty on this grinder?"),
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


# Pairs of intents that share words and differ by the customer's situation: before or after a
# purchase, asking about terms or reporting a problem, choosing between options or asking
# about one. Written for this table; mixed Russian and English.
SITUATION_CASES: list[tuple[Intent, str]] = [
    # the warranty before buying: a product question, or a point of a comparison
    (Intent.PRODUCT_QUESTION, "Сколько длится гарантия на эту кофемашину?"),
    (Intent.PRODUCT_QUESTION, "Гарантия распространяется на жернова?"),
    (Intent.PRODUCT_QUESTION, "Есть ли официальная гарантия производителя на Barista Pro?"),
    (Intent.PRODUCT_QUESTION, "Входит ли чистка от накипи в гарантийное обслуживание?"),
    (Intent.PRODUCT_QUESTION, "Хочу купить кофемашину в офис. Какая на неё гарантия?"),
    (Intent.PRODUCT_QUESTION, "А если сломается через год, ремонт будет бесплатным по гарантии?"),
    (Intent.PRODUCT_QUESTION, "Гарантия официальная или от магазина?"),
    (Intent.PRODUCT_QUESTION, "How long is the warranty on the Barista Express?"),
    (Intent.PRODUCT_QUESTION, "Does the warranty cover the steam wand?"),
    (Intent.PRODUCT_QUESTION, "Do you offer an extended warranty on espresso machines?"),
    (Intent.PRODUCT_QUESTION, "I'm looking to buy a grinder, does it come with a warranty?"),
    (Intent.PRODUCT_QUESTION, "What if the machine breaks after a year, is it under warranty?"),
    (Intent.PRODUCT_QUESTION, "Какой срок гарантии на кофемолку и где сервисный центр?"),
    (Intent.COMPARISON, "Чем отличается гарантия на Pro и на Express?"),
    (Intent.COMPARISON, "Pro или Express — у какой гарантия дольше?"),
    (Intent.COMPARISON, "Which one has the longer warranty, the Pro or the Express?"),
    (Intent.COMPARISON, "Is the warranty on the Pro longer than on the Express?"),
    # the warranty for something the customer has and that has a problem: a claim
    (Intent.WARRANTY, "Кофемашина сломалась, можно сдать по гарантии?"),
    (Intent.WARRANTY, "Купил у вас чайник, он перестал включаться. Гарантийный случай?"),
    (Intent.WARRANTY, "У меня кофемолка ещё на гарантии, а жернова начали заедать. Что делать?"),
    (Intent.WARRANTY, "Моя кофемашина течёт, гарантия ещё действует"),
    (Intent.WARRANTY, "Машинка перестала греть воду, по гарантии поменяете?"),
    (Intent.WARRANTY, "Кофемашина выдаёт ошибку и не варит, она же ещё на гарантии?"),
    (Intent.WARRANTY, "Куда отвезти кофемашину на ремонт?"),
    (Intent.WARRANTY, "My grinder is making a grinding noise, is it still under warranty?"),
    (Intent.WARRANTY, "I bought the Barista Pro in March, the pump leaks. Fixed under warranty?"),
    (Intent.WARRANTY, "The steam wand stopped working, I'd like to make a warranty claim"),
    (Intent.WARRANTY, "My kettle won't turn on and it's 8 months old. Covered by warranty?"),
    (Intent.WARRANTY, "Where can I take my espresso machine for repair?"),
    # choosing between options vs asking about one
    (Intent.COMPARISON, "Выбираю между Barista Pro и Barista Express, что посоветуете для офиса?"),
    (Intent.COMPARISON, "Что лучше для дома: рожковая или капсульная кофемашина?"),
    (Intent.COMPARISON, "Эфиопия или Колумбия для фильтра, что выбрать?"),
    (Intent.COMPARISON, "Какая кофемолка тише, Comandante или Timemore?"),
    (Intent.COMPARISON, "Should I get the Barista Pro or the Barista Express?"),
    (Intent.COMPARISON, "I can't decide between the Chemex and the V60"),
    (Intent.COMPARISON, "How is the Express different from the Pro?"),
    (Intent.COMPARISON, "Which grinder is quieter, the Encore or the Ode?"),
    (Intent.PRODUCT_QUESTION, "Какой помол выбрать для френч-пресса?"),
    (Intent.PRODUCT_QUESTION, "Какой объём бака для воды у этой кофемашины?"),
    (Intent.PRODUCT_QUESTION, "Сколько чашек в день она может готовить?"),
    (Intent.PRODUCT_QUESTION, "Does the Barista Pro have a PID controller?"),
    (Intent.PRODUCT_QUESTION, "Does the Barista Pro come with a milk jug?"),
    (Intent.PRODUCT_QUESTION, "Can I use this machine with ground coffee?"),
    (Intent.PRODUCT_QUESTION, "Когда придёт новая партия зерна из Кении?"),  # a restock
    (Intent.COMPARISON, "What's better for a beginner, the Pro or the Express?"),
    (Intent.ORDER_STATUS, "Where's my stuff?"),
    (Intent.PRODUCT_QUESTION, "Is this kettle suitable for induction hobs?"),
    # "how much" about money vs about an amount
    (Intent.PRODUCT_QUESTION, "How much water does the tank hold?"),
    (Intent.PRODUCT_QUESTION, "How much coffee do I need for one cup in the Aeropress?"),
    (Intent.PRICE, "How much does the Barista Express cost?"),
    (Intent.PRICE, "How much is the extended warranty?"),
    (Intent.PRICE, "Сколько стоит продлённая гарантия?"),
    (Intent.PRICE, "Можно купить кофемашину в рассрочку?"),
    (Intent.PRICE, "Can I pay in installments?"),
    # delivery before buying vs the status of an order
    (Intent.DELIVERY, "Do you deliver to Berlin?"),
    (Intent.DELIVERY, "Сколько дней идёт доставка до Новосибирска?"),
    (Intent.DELIVERY, "Если закажу сегодня, когда привезёте?"),
    (Intent.DELIVERY, "Хочу заказать кофемолку, когда сможете привезти в Тверь?"),
    (Intent.DELIVERY, "If I order today, when will it arrive?"),
    (Intent.DELIVERY, "Is shipping free for orders over 100 euros?"),
    (Intent.ORDER_STATUS, "Когда привезут мой заказ?"),
    (Intent.ORDER_STATUS, "Я заказал кофемашину в понедельник, когда её привезут?"),
    (Intent.ORDER_STATUS, "Посылка застряла на сортировке уже неделю"),
    (Intent.ORDER_STATUS, "Мне обещали доставку сегодня, а курьера всё нет"),
    (Intent.ORDER_STATUS, "The courier didn't show up today"),
    (Intent.ORDER_STATUS, "Where is my order? It was supposed to arrive yesterday"),
    (Intent.ORDER_STATUS, "I ordered a grinder last week, when will it be shipped?"),
    # a return or refund asked for vs a problem reported
    (Intent.RETURN_REFUND, "Кофемолка пришла с царапиной, хочу вернуть деньги"),
    (Intent.RETURN_REFUND, "Можно вернуть нераспечатанную пачку зерна?"),
    (Intent.RETURN_REFUND, "The kettle arrived damaged, I want a refund"),
    (Intent.RETURN_REFUND, "The kettle broke within the warranty period, I want a refund"),
    (Intent.RETURN_REFUND, "I'd like to exchange the grinder for the black one"),
    (Intent.COMPLAINT, "Кофемолка пришла с царапиной на корпусе"),
    (Intent.COMPLAINT, "Мне прислали кофемолку другого цвета"),
    (Intent.COMPLAINT, "Вы положили не тот сорт зерна"),
    (Intent.COMPLAINT, "Курьер нахамил и бросил коробку у двери"),
    (Intent.COMPLAINT, "The kettle arrived with a dent on the side"),
    (Intent.COMPLAINT, "The courier was rude to my wife"),
    # booking, a human, social formulas around a question
    (Intent.BOOKING, "Можно записаться на курс бариста на следующей неделе?"),
    (Intent.BOOKING, "Is there space left in Saturday's latte art class?"),
    (Intent.BOOKING, "Can I sign up for the home barista course?"),
    (Intent.HUMAN_REQUEST, "Можно поговорить с живым человеком, а не с ботом?"),
    (Intent.HUMAN_REQUEST, "Бот не понимает, дайте человека"),
    (Intent.HUMAN_REQUEST, "У меня сложный вопрос по гарантии, соедините с менеджером"),
    (Intent.HUMAN_REQUEST, "Get me a real person please"),
    (Intent.PRICE, "Здравствуйте! Сколько стоит Barista Express?"),
    (Intent.DELIVERY, "Спасибо! А доставка в Тверь есть?"),
    (Intent.PRODUCT_QUESTION, "Hi! Do you sell paper filters for the V60?"),
    (Intent.THANKS, "Спасибо, заказ получил, всё отлично"),
    # before a purchase nothing is owned yet: arrival is about delivery, breakage hypothetical
    (Intent.DELIVERY, "Если оплачу сейчас, когда привезёте?"),
    (Intent.ORDER_STATUS, "Когда привезёте?"),
    (Intent.ORDER_STATUS, "When will it arrive?"),
    (Intent.PRODUCT_QUESTION, "If it breaks, will you repair it?"),
    (Intent.WARRANTY, "It broke, will you repair it?"),
    (Intent.COMPARISON, "Выбираю между Pro и Express: в чём разница в бойлере и гарантии?"),
    (Intent.PRODUCT_QUESTION, "Как часто удалять накипь? Обслуживание покрывается гарантией?"),
    # asking for a shorter or a longer answer alone is not an intent
    (Intent.OTHER, "короче"),
    (Intent.OTHER, "Слишком длинно, можно короче?"),
    (Intent.OTHER, "подробнее"),
    (Intent.OTHER, "А подробнее можно?"),
    (Intent.OTHER, "too long"),
    (Intent.OTHER, "Too long, didn't read"),
    (Intent.OTHER, "more details please"),
    (Intent.OTHER, "Can you tell me more?"),
]

# Messages seen in a live scenario (pre-purchase questions that mention the warranty) and the
# same topic from owners who report a fault.
LONG_MESSAGES: list[tuple[Intent, str]] = [
    (
        Intent.COMPARISON,
        "Hello! I am choosing between the Barista Pro and the Barista Express for a small "
        "office of ten people. Could you please explain the difference in boiler size, "
        "warm-up time and warranty terms?",
    ),
    (
        Intent.PRODUCT_QUESTION,
        "How often does the machine need descaling if we use regular tap water? Is servicing "
        "covered by the warranty?",
    ),
    (
        Intent.WARRANTY,
        "Hi, our office bought a Barista Pro from you in January. Since last week it shows an "
        "error and won't brew. It should still be under warranty, what do we do?",
    ),
    (
        Intent.WARRANTY,
        "Добрый день. Купили у вас кофемашину полгода назад, теперь она выдаёт ошибку и не "
        "варит. Что делать, она ведь ещё на гарантии?",
    ),
]


@pytest.mark.parametrize(("expected", "text"), CASES + SITUATION_CASES + LONG_MESSAGES)
def test_intent_table(expected: Intent, text: str) -> None:
    assert intent_of(text) is expected


def test_situation_table_is_new_and_large() -> None:
    texts = [text for _, text in SITUATION_CASES]
    assert len(set(texts)) == len(texts) >= 60
    assert not set(texts) & {text for _, text in CASES}
    assert {Lang.RU, Lang.EN} == {prepare(text).lang for text in texts}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Какая гарантия на кофемолку?", "Моя кофемолка сломалась, какая на неё гарантия?"),
        ("Is the grinder covered by warranty?", "My grinder broke, is it covered by warranty?"),
        ("Гарантия распространяется на помпу?", "У меня кофемашина течёт, гарантия на помпу есть?"),
    ],
)
def test_the_warranty_is_a_claim_only_after_a_problem(before: str, after: str) -> None:
    asked = classify_intent(prepare(before))
    claimed = classify_intent(prepare(after))
    assert asked.intent is Intent.PRODUCT_QUESTION
    assert claimed.intent is Intent.WARRANTY
    # the warranty word explains both; the claim also names the fault
    assert asked.cues and len(claimed.cues) > len(asked.cues)


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
