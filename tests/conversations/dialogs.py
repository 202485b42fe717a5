"""The conversation suite's scripts: every dialog here passes (`test_conversations.py` plays
each as one test). Dialogs the bot fails today live in `failing_dialogs.py`, not here.

Read a dialog as a table: the customer, the setup, then what they write and the properties
the bot's reply must have. Half the dialogs are in Russian, half in English.
"""

from __future__ import annotations

from tests.conversations.script import (
    Dialog,
    Expect,
    Order,
    OrderUpdate,
    Say,
    Setup,
    Visit,
    Wait,
)

PHONE = "+7 495 123-45-67"  # electronics.yaml, contacts.phone
CLEANING_PHONE = "+7 495 765-43-21"  # cleaning.yaml, contacts.phone
LINKED_ONE = Setup(linked=True, orders=(Order("A-77812", ("paid", "shipped")),))
LINKED_TWO = Setup(
    linked=True,
    orders=(Order("K-1001", ("paid",), days_ago=3), Order("K-1002", ("shipped",), total=4990)),
)
# Scene (b): from the "−20 % deep cleaning" ad, read prices, FAQ and insurance, then chats.
CLEANING_AD_VISITS = Setup(
    knowledge="cleaning",
    visits=tuple(
        Visit(page, minutes_ago=15 - minute, device="desktop", campaign="cleaning")
        for page, minute in (
            ("prices", 0),
            ("faq", 3),
            ("prices", 6),
            ("insurance", 9),
            ("prices", 12),
        )
    ),
)
# Scene (c): bought a kettle a week ago, visited the returns and contacts pages.
BUYER_BACK = Setup(
    linked=True,
    orders=(
        Order("K-1", ("delivered",), item="Чайник Xiaomi", sku="KT-XI2", total=4990, days_ago=7),
    ),
    visits=(Visit("returns", 30), Visit("contacts", 25)),
    pause=3600,
)

DIALOGS: tuple[Dialog, ...] = (
    # ------------------------------------------------------------------ orders
    Dialog(
        "ru-order-unlinked-number-alone",
        "orders",
        "ru",
        "Вера",
        (
            Say(
                "Где мой заказ?", Expect(asks="order_number", contains=("/link",), no_promise=True)
            ),
            Say(
                "58213",
                Expect(contains=("58213", "/link"), not_contains=("Уточните",), no_promise=True),
            ),
        ),
    ),
    Dialog(
        "en-order-unlinked-number-alone",
        "orders",
        "en",
        "Max",
        (
            Say(
                "Where is my order?",
                Expect(asks="order_number", contains=("/link",), no_promise=True),
            ),
            Say(
                "58213",
                Expect(
                    contains=("58213", "/link"), not_contains=("What can I help",), no_promise=True
                ),
            ),
        ),
    ),
    Dialog(
        "ru-order-linked-one-order",
        "orders",
        "ru",
        "Олег",
        (
            Say(
                "Где мой заказ?",
                Expect(contains=("A-77812", "передан в доставку"), no_promise=True),
            ),
        ),
        LINKED_ONE,
    ),
    Dialog(
        "en-order-linked-status-changes",
        "orders",
        "en",
        "Max",
        (
            Say("Where is my order?", Expect(contains=("A-77812", "on its way"), no_promise=True)),
            OrderUpdate("A-77812", "delivered"),
            Say("and now?? where is my order", Expect(contains=("A-77812", "delivered"))),
        ),
        LINKED_ONE,
    ),
    Dialog(
        "ru-order-several-asks-which",
        "orders",
        "ru",
        "Олег",
        (
            Say("Где заказ?", Expect(contains=("K-1001", "K-1002"), asks="which_order")),
            Say(
                "K-1002",
                Expect(contains=("K-1002", "передан в доставку"), not_contains=("О каком",)),
            ),
        ),
        LINKED_TWO,
    ),
    Dialog(
        "en-order-several-asks-which",
        "orders",
        "en",
        "Lena",
        (
            Say("Where's my order?", Expect(contains=("K-1001", "K-1002"), asks="which_order")),
            Say("K-1001", Expect(contains=("K-1001", "is paid"), not_contains=("Which one",))),
        ),
        LINKED_TWO,
    ),
    Dialog(
        "ru-order-not-theirs",
        "orders",
        "ru",
        "Ирина",
        (Say("а заказ №99999 где?", Expect(contains=("99999", "A-77812"), asks="order_number")),),
        LINKED_ONE,
    ),
    Dialog(
        "en-order-not-theirs",
        "orders",
        "en",
        "Tom",
        (
            Say(
                "What about order #99999?",
                Expect(contains=("99999", "A-77812"), asks="order_number"),
            ),
        ),
        LINKED_ONE,
    ),
    Dialog(
        "ru-order-new-dialog-forgets-question",
        "orders",
        "ru",
        "Вера",
        (
            Say("Где мой заказ?", Expect(asks="order_number")),
            Wait(31 * 60),
            Say("12345", Expect(not_contains=("12345",))),
        ),
    ),
    Dialog(
        "en-order-new-dialog-forgets-question",
        "orders",
        "en",
        "Max",
        (
            Say("Where is my order?", Expect(asks="order_number")),
            Wait(31 * 60),
            Say("12345", Expect(not_contains=("12345",))),
        ),
    ),
    Dialog(
        "en-order-number-with-the-question",
        "orders",
        "en",
        "Kate",
        (
            Say(
                "Order #A-77812 — any news?",
                Expect(contains=("A-77812", "on its way"), no_promise=True),
            ),
        ),
        LINKED_ONE,
    ),
    Dialog(
        "ru-order-number-with-the-question",
        "orders",
        "ru",
        "Кира",
        (
            Say(
                "Заказ A-77812 когда привезут?",
                Expect(contains=("A-77812", "передан в доставку"), no_promise=True),
            ),
        ),
        LINKED_ONE,
    ),
    Dialog(
        "ru-order-linked-no-orders",
        "orders",
        "ru",
        "Лев",
        (Say("Где мой заказ?", Expect(asks="order_number", no_promise=True)),),
        Setup(linked=True),
    ),
    Dialog(
        "en-order-delivered-one",
        "orders",
        "en",
        "Ella",
        (Say("Has my order arrived?", Expect(contains=("K-1", "delivered"), no_promise=True)),),
        Setup(linked=True, orders=(Order("K-1", ("paid", "shipped", "delivered")),)),
    ),
    # ------------------------------------------------------------------ repetition
    Dialog(
        "ru-repeat-order-question",
        "repetition",
        "ru",
        "Анна",
        (
            Say("где мой заказ", Expect(asks="order_number")),
            Say("ну где мой заказ?", Expect(contains=("письме или SMS",), no_promise=True)),
        ),
    ),
    Dialog(
        "en-repeat-order-question",
        "repetition",
        "en",
        "Sam",
        (
            Say("where is my order", Expect(asks="order_number")),
            Say("so where is my order??", Expect(contains=("e-mail or SMS",), no_promise=True)),
        ),
    ),
    Dialog(
        "en-repeat-greeting",
        "repetition",
        "en",
        "Sam",
        (Say("hello"), Say("hello"), Say("hello")),
    ),
    Dialog(
        "ru-repeat-windows-price",
        "repetition",
        "ru",
        "Вера",
        (
            Say("Сколько стоит мойка окон?", Expect(contains=("900",))),
            Say("Сколько стоит мойка окон?", Expect(contains=("900",))),
        ),
        Setup(knowledge="cleaning"),
    ),
    # ------------------------------------------------------------------ policies
    Dialog(
        "ru-policies-delivery-and-returns",
        "policies",
        "ru",
        "Анна",
        (
            Say("Сколько идёт доставка?", Expect(contains=("1–3 дня",))),
            Say("А вернуть товар можно?", Expect(contains=("14 дней",))),
        ),
    ),
    Dialog(
        "en-policies-delivery-and-returns",
        "policies",
        "en",
        "Emma",
        (
            Say("How long does delivery take?", Expect(contains=("1–3 days",))),
            Say("Can I return an item?", Expect(contains=("14 days",))),
        ),
    ),
    Dialog(
        "ru-policies-cleaning-no-delivery",
        "policies",
        "ru",
        "Вера",
        (
            Say(
                "А доставка у вас есть?",
                Expect(
                    contains=("доставки у нас нет",), not_contains=("пункт выдачи", "самовывоз")
                ),
            ),
        ),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "en-policies-cleaning-no-delivery",
        "policies",
        "en",
        "Nick",
        (
            Say(
                "Do you offer delivery?",
                Expect(contains=("no delivery",), not_contains=("pickup",)),
            ),
        ),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "ru-policies-cleaning-pickup-asked-twice",
        "policies",
        "ru",
        "Вера",
        (
            Say(
                "А доставка у вас есть?",
                Expect(contains=("доставки у нас нет",), not_contains=("пункт выдачи",)),
            ),
            Say("А самовывоз есть?", Expect(not_contains=("пункт выдачи", "пунктов выдачи"))),
        ),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "en-policies-cleaning-returns",
        "policies",
        "en",
        "Nick",
        (Say("Can I get a refund?", Expect(not_contains=("pickup point",), no_promise=True)),),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "ru-policy-warranty",
        "policies",
        "ru",
        "Анна",
        (Say("Какая у вас гарантия?", Expect(contains=("1 год",))),),
    ),
    Dialog(
        "en-policy-warranty",
        "policies",
        "en",
        "Emma",
        (Say("What warranty do you give?", Expect(contains=("1-year",))),),
    ),
    # ------------------------------------------------------------------ products
    Dialog(
        "ru-product-alias-dyson",
        "products",
        "ru",
        "Анна",
        (
            Say(
                "Сколько стоит дайсон в15?",
                Expect(contains=("Dyson V15", "64 990"), next_step=True),
            ),
        ),
    ),
    Dialog(
        "ru-product-window-cleaning",
        "products",
        "ru",
        "Вера",
        (
            Say(
                "Сколько стоит мойка окон?",
                Expect(
                    contains=("Мойка окон", "900", "за окно"),
                    next_step=True,
                    not_contains=("пункт выдачи",),
                ),
            ),
        ),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "en-product-window-cleaning",
        "products",
        "en",
        "Laura",
        (
            Say(
                "How much is window cleaning?",
                Expect(contains=("Window cleaning", "900", "per window"), next_step=True),
            ),
        ),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "ru-product-two-models-compared",
        "products",
        "ru",
        "Борис",
        (
            Say(
                "Roborock S8 или Dreame L10s Ultra — что лучше?",
                Expect(
                    contains=("Roborock S8", "Dreame L10s Ultra", "54 990", "69 990"),
                    not_contains=("Назовите модели",),
                ),
            ),
        ),
    ),
    Dialog(
        "en-product-two-models-compared",
        "products",
        "en",
        "Bob",
        (
            Say(
                "Roborock S8 or Dreame L10s Ultra - which one is better?",
                Expect(
                    contains=("Roborock S8", "Dreame L10s Ultra", "54,990", "69,990"),
                    not_contains=("Name the models",),
                ),
            ),
        ),
    ),
    Dialog(
        "en-product-headphones-promotion",
        "products",
        "en",
        "Alice",
        (
            Say(
                "How much are the Sony WH-1000XM5?",
                Expect(contains=("Sony WH-1000XM5", "29,990", "free delivery"), next_step=True),
            ),
        ),
    ),
    Dialog(
        "ru-product-campaign-promotion",
        "products",
        "ru",
        "Олег",
        (
            Say(
                "Сколько стоит генеральная уборка?",
                Expect(contains=("Генеральная уборка", "150", "20 %"), next_step=True),
            ),
        ),
        Setup(knowledge="cleaning", campaign="cleaning"),
    ),
    Dialog(
        "en-product-galaxy-a55",
        "products",
        "en",
        "Mike",
        (
            Say(
                "how much is the galaxy a55?",
                Expect(contains=("Galaxy A55", "34,990"), next_step=True),
            ),
        ),
    ),
    Dialog(
        "en-product-dyson-alias",
        "products",
        "en",
        "Mike",
        (Say("price of dyson v15?", Expect(contains=("Dyson V15", "64,990"), next_step=True)),),
    ),
    Dialog(
        "ru-product-galaxy-s24-ultra",
        "products",
        "ru",
        "Миша",
        (
            Say(
                "Сколько стоит галакси с24 ультра?",
                Expect(contains=("Galaxy S24 Ultra", "119 990"), next_step=True),
            ),
        ),
    ),
    # ------------------------------------------------------------------ buying
    Dialog(
        "ru-buy-after-a-product",
        "buying",
        "ru",
        "Анна",
        (
            Say("Сколько стоит дайсон в15?", Expect(contains=("Dyson V15",))),
            Say(
                "беру",
                Expect(
                    contains=("Dyson V15",),
                    next_step=True,
                    not_contains=("Какой товар", "Что оформляем"),
                ),
            ),
        ),
    ),
    Dialog(
        "en-buy-after-a-product",
        "buying",
        "en",
        "Mike",
        (
            Say("how much is the galaxy a55?", Expect(contains=("Galaxy A55", "34,990"))),
            Say(
                "OK, I'll take it",
                Expect(
                    contains=("Galaxy A55",),
                    next_step=True,
                    not_contains=("Which product", "case"),
                ),
            ),
        ),
    ),
    Dialog(
        "ru-buy-cleaning-service",
        "buying",
        "ru",
        "Вера",
        (
            Say("Сколько стоит мойка окон?", Expect(contains=("Мойка окон",))),
            Say(
                "возьму",
                Expect(contains=("Мойка окон",), next_step=True, not_contains=("Что оформляем",)),
            ),
        ),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "en-buy-with-nothing-in-focus",
        "buying",
        "en",
        "Max",
        (
            Say("ok I'll take it", Expect(asks="product")),
            Say("I'll take the Dyson V15", Expect(contains=("Dyson V15",), next_step=True)),
        ),
    ),
    Dialog(
        "ru-buy-after-comparison",
        "buying",
        "ru",
        "Борис",
        (
            Say(
                "Roborock S8 или Dreame L10s Ultra — что лучше?",
                Expect(contains=("Roborock S8", "Dreame L10s Ultra")),
            ),
            Say(
                "беру Roborock S8",
                Expect(contains=("Roborock S8",), next_step=True, not_contains=("Что оформляем",)),
            ),
        ),
    ),
    Dialog(
        "en-buy-cleaning-service",
        "buying",
        "en",
        "Laura",
        (
            Say("How much is window cleaning?", Expect(contains=("Window cleaning",))),
            Say(
                "Great, I'll take it",
                Expect(
                    contains=("Window cleaning",), next_step=True, not_contains=("Which product",)
                ),
            ),
        ),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "en-buy-headphones",
        "buying",
        "en",
        "Alice",
        (
            Say("How much are the Sony WH-1000XM5?", Expect(contains=("Sony WH-1000XM5",))),
            Say(
                "I'll take it",
                Expect(
                    contains=("Sony WH-1000XM5",), next_step=True, not_contains=("Which product",)
                ),
            ),
        ),
    ),
    # ------------------------------------------------------------------ handoff
    Dialog(
        "ru-handoff-electronics",
        "handoff",
        "ru",
        "Галина",
        (
            Say(
                "Позовите живого человека, пожалуйста",
                Expect(contains=(PHONE,), not_contains=("передаю менеджеру",), no_promise=True),
            ),
        ),
    ),
    Dialog(
        "en-handoff-electronics",
        "handoff",
        "en",
        "Max",
        (
            Say(
                "I want to talk to a human manager please",
                Expect(contains=(PHONE,), not_contains=("manager now",), no_promise=True),
            ),
        ),
    ),
    Dialog(
        "ru-handoff-cleaning",
        "handoff",
        "ru",
        "Нина",
        (
            Say(
                "Хочу поговорить с оператором",
                Expect(contains=(CLEANING_PHONE,), not_contains=("передаю",), no_promise=True),
            ),
        ),
        Setup(knowledge="cleaning"),
    ),
    Dialog(
        "en-handoff-cleaning",
        "handoff",
        "en",
        "Nina",
        (Say("Can I speak to an operator?", Expect(contains=(CLEANING_PHONE,), no_promise=True)),),
        Setup(knowledge="cleaning"),
    ),
    # ------------------------------------------------------------------ feedback
    Dialog(
        "en-feedback-about-a-product",
        "feedback",
        "en",
        "Chris",
        (
            Say("How much is the Dyson V15?", Expect(contains=("Dyson V15",))),
            Say("shorter", Expect(contains=("Dyson V15", "64,990"), length="shorter")),
        ),
    ),
    Dialog(
        "ru-feedback-more-after-delivery",
        "feedback",
        "ru",
        "Анна",
        (
            Say("Сколько идёт доставка?", Expect(contains=("1–3 дня",))),
            Say(
                "подробнее",
                Expect(
                    starts_with="Конечно, подробнее.", contains=("1–3 дня", "390"), length="longer"
                ),
            ),
        ),
    ),
    Dialog(
        "en-feedback-more-after-returns",
        "feedback",
        "en",
        "Emma",
        (
            Say("Can I return an item?", Expect(contains=("14 days",))),
            Say("more details please", Expect(contains=("14 days", "10 days"), length="longer")),
        ),
    ),
    Dialog(
        "ru-feedback-shorter-after-product",
        "feedback",
        "ru",
        "Анна",
        (
            Say("Сколько стоит дайсон в15?", Expect(contains=("Dyson V15",))),
            Say("короче", Expect(contains=("Dyson V15", "64 990"), length="shorter")),
        ),
    ),
    Dialog(
        "ru-feedback-not-understood",
        "feedback",
        "ru",
        "Анна",
        (
            Say("Можно вернуть товар?", Expect(contains=("14 дней",))),
            Say("не понял", Expect(contains=("14 дней",))),
        ),
    ),
    # ------------------------------------------------------------------ scenes
    Dialog(
        "ru-scene-cleaning-ad-visitor",
        "scenes",
        "ru",
        "Вера",
        (
            Say(
                "Сколько стоит генеральная уборка?",
                Expect(
                    contains=("Генеральная уборка", "20 %", "1 000 000", "8 лет"),
                    not_contains=("пункт выдачи",),
                ),
            ),
        ),
        CLEANING_AD_VISITS,
    ),
    Dialog(
        "en-scene-cleaning-ad-visitor",
        "scenes",
        "en",
        "Sarah",
        (
            Say(
                "How much is deep cleaning?",
                Expect(
                    contains=("Deep cleaning", "20 %", "1,000,000", "8 years"),
                    not_contains=("pickup",),
                ),
            ),
        ),
        CLEANING_AD_VISITS,
    ),
    Dialog(
        "ru-scene-cleaning-ad-then-damage",
        "scenes",
        "ru",
        "Вера",
        (
            Say("Сколько стоит генеральная уборка?", Expect(contains=("20 %",))),
            Say("А если что-то испортят?", Expect(contains=("1 000 000",))),
        ),
        CLEANING_AD_VISITS,
    ),
    Dialog(
        "en-scene-cleaning-ad-then-book",
        "scenes",
        "en",
        "Sarah",
        (
            Say("How much is deep cleaning?", Expect(contains=("20 %",))),
            Say("ok I'll take it", Expect(contains=("Deep cleaning",), next_step=True)),
        ),
        CLEANING_AD_VISITS,
    ),
    # ------------------------------------------------------------------ greetings and thanks
    Dialog(
        "ru-greeting-question-thanks",
        "greetings",
        "ru",
        "Анна",
        (
            Say("Здравствуйте!", Expect(contains=("Здравствуйте",))),
            Say("Сколько стоит дайсон в15?", Expect(contains=("Dyson V15", "64 990"))),
            Say("Спасибо!", Expect(contains=("Пожалуйста",))),
        ),
    ),
    Dialog(
        "en-greeting-question-thanks",
        "greetings",
        "en",
        "Jane",
        (
            Say("Hi there!", Expect(contains_any=("Hello", "Hi"))),
            Say("How much is the Dyson V15?", Expect(contains=("Dyson V15", "64,990"))),
            Say("Thanks a lot!", Expect(contains=("welcome",))),
        ),
    ),
    Dialog(
        "ru-greeting-twice",
        "greetings",
        "ru",
        "Игорь",
        (
            Say("Привет", Expect(contains_any=("Здравствуйте", "Привет"))),
            Say("Привет", Expect(contains_any=("Здравствуйте", "Привет"))),
        ),
    ),
    Dialog(
        "en-thanks-twice",
        "greetings",
        "en",
        "Ann",
        (
            Say("Where is my order?", Expect(asks="order_number")),
            Say("thanks", Expect(contains=("welcome",))),
            Say("thanks again", Expect(contains=("welcome",))),
        ),
    ),
    # Found failing by the first run of the suite and fixed in the bot; kept as they were.
    Dialog(
        "ru-repeat-delivery-three-times",
        "repetition",
        "ru",
        "Пётр",
        (
            Say("Сколько идёт доставка?", Expect(contains=("1–3 дня",))),
            Say("Сколько идёт доставка?", Expect(contains=("1–3 дня",))),
            Say("Так сколько идёт доставка?", Expect(contains=("1–3 дня",))),
        ),
        why=(
            "README, Dialog state: never the same words twice in a row — the same delivery "
            "answer three times."
        ),
    ),
    Dialog(
        "en-repeat-price-twice",
        "repetition",
        "en",
        "John",
        (
            Say("How much is the Dyson V15?", Expect(contains=("Dyson V15", "64,990"))),
            Say("How much is the Dyson V15?", Expect(contains=("Dyson V15", "64,990"))),
        ),
        why=(
            "README, Dialog state: never the same words twice in a row — the same price "
            "answer twice."
        ),
    ),
    Dialog(
        "en-product-galaxy-s24-ultra",
        "products",
        "en",
        "Mike",
        (
            Say(
                "how much is the galaxy s24 ultra?",
                Expect(contains=("Galaxy S24 Ultra", "119,990"), next_step=True),
            ),
        ),
        why=(
            "README, knowledge file: the product a message names, by name or alias («s24 "
            "ultra» is the phone's alias) — the bot answers with the case."
        ),
    ),
    Dialog(
        "en-handoff-asked-twice",
        "handoff",
        "en",
        "Paul",
        (
            Say("Can I talk to a human?", Expect(contains=(PHONE,), no_promise=True)),
            Say("I want to talk to a real person", Expect(contains=(PHONE,), no_promise=True)),
        ),
        why=(
            "README, Dialog state: never the same words twice in a row — the contacts answer "
            "twice, word for word."
        ),
    ),
    Dialog(
        "ru-feedback-shorter-then-more",
        "feedback",
        "ru",
        "Анна",
        (
            Say("Расскажите подробно про доставку", Expect(contains=("1–3 дня",))),
            Say(
                "короче",
                Expect(starts_with="Понял, буду короче.", contains=("1–3 дня",), length="shorter"),
            ),
            Say(
                "подробнее",
                Expect(
                    starts_with="Конечно, подробнее.", contains=("1–3 дня", "390"), length="longer"
                ),
            ),
        ),
        why=(
            "README, Dialog state: «короче» gives the last answer again, shorter — it is the "
            "same answer with a lead, longer."
        ),
    ),
    Dialog(
        "en-feedback-shorter-then-more",
        "feedback",
        "en",
        "Emma",
        (
            Say("Tell me about delivery in detail", Expect(contains=("1–3 days",))),
            Say("shorter please", Expect(contains=("1–3 days",), length="shorter")),
            Say("more details please", Expect(contains=("1–3 days", "390"), length="longer")),
        ),
        why=(
            'README, Dialog state: "shorter" gives the last answer again, shorter — it is the'
            " same answer with a lead, longer."
        ),
    ),
    Dialog(
        "ru-feedback-about-an-order",
        "feedback",
        "ru",
        "Олег",
        (
            Say("Где мой заказ?", Expect(contains=("A-77812",))),
            Say("короче", Expect(contains=("A-77812", "передан в доставку"), length="shorter")),
        ),
        LINKED_ONE,
        why=(
            "README, Dialog state: «короче» about an order gives that answer again — the "
            "linked customer is asked for the order number."
        ),
    ),
    Dialog(
        "ru-scene-buyer-back-a-week-later",
        "scenes",
        "ru",
        "Олег",
        (
            Say(
                "Здравствуйте",
                Expect(starts_with="Вижу ваш заказ K-1", contains=("Чайник Xiaomi",)),
            ),
        ),
        BUYER_BACK,
        why=(
            "Scene (c): the order comes first (it does), but the reply says «Понимаю, "
            "неприятно.» twice."
        ),
    ),
    Dialog(
        "en-scene-buyer-back-a-week-later",
        "scenes",
        "en",
        "Oliver",
        (
            Say(
                "Hello", Expect(starts_with="I can see your order K-1", contains=("Чайник Xiaomi",))
            ),
        ),
        BUYER_BACK,
        why=(
            'Scene (c): the order comes first (it does), but the reply says "I understand, '
            "that's frustrating.\" twice."
        ),
    ),
    Dialog(
        "ru-policy-warranty-broken",
        "policies",
        "ru",
        "Анна",
        (Say("Есть гарантия, если пылесос сломается?", Expect(contains=("1 год",))),),
        why=(
            "README, knowledge file: the warranty policy for warranty questions — the bot "
            "gives the Dyson V11's price."
        ),
    ),
    Dialog(
        "en-policy-warranty-broken",
        "policies",
        "en",
        "Emma",
        (Say("Is there a warranty if my vacuum breaks?", Expect(contains=("1-year",))),),
        why=(
            "README, knowledge file: the warranty policy for warranty questions — the bot "
            "gives the Dyson V11's price."
        ),
    ),
    Dialog(
        "en-buy-galaxy-s24-ultra",
        "buying",
        "en",
        "Mike",
        (
            Say("how much is the galaxy s24 ultra?", Expect(contains=("119,990",))),
            Say(
                "OK, I'll take it",
                Expect(contains=("Galaxy S24 Ultra",), not_contains=("case",), next_step=True),
            ),
        ),
        why=(
            'README, products in focus: "I\'ll take it" buys the product asked about — the S24'
            " Ultra's alias finds the case, so the case is bought."
        ),
    ),
    Dialog(
        "en-feedback-about-an-order",
        "feedback",
        "en",
        "Max",
        (
            Say("Where is my order?", Expect(contains=("A-77812",))),
            Say("more details", Expect(contains=("A-77812", "on its way"), length="longer")),
        ),
        LINKED_ONE,
        why=(
            'README, Dialog state: "more details" about an order gives that answer again — '
            "the linked customer is asked for the order number."
        ),
    ),
    Dialog(
        "ru-handoff-twice",
        "handoff",
        "ru",
        "Галина",
        (
            Say("Позовите менеджера", Expect(contains=(PHONE,), no_promise=True)),
            Say("Мне нужен живой человек", Expect(contains=(PHONE,), no_promise=True)),
        ),
        why=(
            "README, Dialog state: never the same words twice in a row — the contacts answer "
            "twice, word for word."
        ),
    ),
    Dialog(
        "ru-repeat-order-number-three-times",
        "repetition",
        "ru",
        "Анна",
        (
            Say("где мой заказ", Expect(asks="order_number")),
            Say("где мой заказ", Expect(contains=("письме или SMS",))),
            Say("где мой заказ???", Expect(contains=("/link",))),
        ),
        why=(
            "README, Dialog state: the request for the order number is never repeated word "
            "for word — the third is the second again."
        ),
    ),
    # ------------------------------------------------------------------ where, when, how many
    Dialog(
        "ru-delivery-asks-city-then-follow-up",
        "policies",
        "ru",
        "Глеб",
        (
            Say("сколько идет доставка?", Expect(asks="city", no_promise=True)),
            Say("Казань", Expect(contains=("Казань", "3–7 дней", "490 ₽"))),
            Say("а в Химки?", Expect(contains=("Химки", "1–3 дня", "390 ₽"))),
        ),
        why="README, Dialog state: the city answers the bot's question; a follow-up names "
        "another city and gets that area's terms.",
    ),
    Dialog(
        "en-delivery-city-not-covered",
        "policies",
        "en",
        "Oliver",
        (
            Say(
                "Can you deliver to Manchester?",
                Expect(
                    contains=("Manchester", "Across Russia", PHONE),
                    not_contains=("3–7 days, ₽490. By",),
                    no_promise=True,
                ),
            ),
        ),
        why="A city no delivery area covers is said to be not covered, with the areas there "
        "are and the shop's contacts — not the nationwide terms.",
    ),
    Dialog(
        "ru-cleaning-booking-asks-day",
        "buying",
        "ru",
        "Ольга",
        (
            Say(
                "Хочу записаться на мойку окон",
                Expect(
                    contains=("Мойка окон", "900 ₽"), next_step=True, contains_any=("какой день",)
                ),
            ),
            Say(
                "в субботу утром",
                Expect(contains=("на субботу", "утром"), next_step=True, no_promise=True),
            ),
        ),
        setup=Setup(knowledge="cleaning"),
        why="A booking without a day asks for it once; the day given goes into the next step.",
    ),
    Dialog(
        "en-cleaning-booking-with-day",
        "buying",
        "en",
        "Grace",
        (
            Say(
                "I want to book a deep cleaning on Saturday morning",
                Expect(contains=("Saturday", "morning"), next_step=True, no_promise=True),
            ),
        ),
        setup=Setup(knowledge="cleaning"),
        why="The day named with the booking goes straight into the next step.",
    ),
    Dialog(
        "ru-quantity-in-the-price",
        "buying",
        "ru",
        "Тимур",
        (
            Say(
                "беру защитное стекло для Galaxy A55, 3 штуки",
                Expect(contains=("3 ×", "="), next_step=True),
            ),
        ),
        why="A quantity is priced: «3 × 790 ₽ = 2 370 ₽».",
    ),
    Dialog(
        "ru-unclear-twice-offers-options",
        "repetition",
        "ru",
        "Нина",
        (
            Say("ыволаыва"),
            Say(
                "ну фывапр",
                Expect(buttons=("Где мой заказ?", "Связаться с человеком"), no_promise=True),
            ),
            Say("ннн", Expect(contains=(PHONE,), buttons=("Условия доставки",))),
        ),
        why="The second unclear message in a row changes strategy: the shop's topics as "
        "buttons; the third adds the contacts.",
    ),
    Dialog(
        "en-unclear-twice-services-options",
        "repetition",
        "en",
        "Liam",
        (
            Say("hmm qwrty"),
            Say("zzxq", Expect(buttons=("What are your prices?", "I want to book"))),
            Say(
                "What are your prices?",
                Expect(contains=("Deep cleaning",), not_contains=("pickup",)),
            ),
        ),
        setup=Setup(knowledge="cleaning"),
        why="A services shop offers its own topics (prices, booking), and the pressed label "
        "is answered like a typed question.",
    ),
    Dialog(
        "ru-informal-register",
        "greetings",
        "ru",
        "Костя",
        (
            Say(
                "привет, подскажи че по доставке",
                Expect(contains_any=("напиши город",), not_contains=("напишите",)),
            ),
        ),
        why="A customer who writes on «ты» terms is answered on «ты» at a friendly shop.",
    ),
    Dialog(
        "ru-formal-register-kept",
        "greetings",
        "ru",
        "Елена Викторовна",
        (
            Say(
                "Здравствуйте! Подскажите, пожалуйста, сроки доставки.",
                Expect(contains=("напишите город",), not_contains=("напиши город",)),
            ),
        ),
        why="A polite customer keeps «вы».",
    ),
)
