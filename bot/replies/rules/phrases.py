"""Rule-based reply content: per intent, per language, a short, a medium and a long version.

Short answers go to people in a hurry (one line, the essential next step); long answers go to
people who read and compare (what we know, what we need, what happens next). The content is
the same across lengths so that adapting the style never hides information a customer needs.
"""

from __future__ import annotations

from profiling.types import Intent, Lang

# intent -> lang -> (short, medium, long)
ANSWERS: dict[Intent, dict[Lang, tuple[str, str, str]]] = {
    Intent.ORDER_STATUS: {
        Lang.RU: (
            "Пришлите номер заказа — покажу его статус.",
            "Пришлите, пожалуйста, номер заказа, — покажу его статус. Или нажмите /link и "
            "поделитесь телефоном: тогда я сам найду ваши заказы.",
            "Статус заказа я показываю по сведениям магазина. Пришлите, пожалуйста, номер "
            "заказа (он есть в письме или SMS о покупке) или нажмите /link и поделитесь "
            "номером телефона, на который оформляли, — тогда я найду ваши заказы сам и покажу, "
            "что с ними сейчас.",
        ),
        Lang.EN: (
            "Send me the order number and I'll show its status.",
            "Please send the order number and I'll show its status. Or tap /link and share "
            "your phone number, and I'll find your orders myself.",
            "I show order statuses from the shop's records. Please send the order number (it's "
            "in the confirmation e-mail or SMS), or tap /link and share the phone number you "
            "ordered with, and I'll find your orders myself and show where they are now.",
        ),
    },
    Intent.DELIVERY: {
        Lang.RU: (
            "Доставляем курьером и в пункты выдачи. Куда нужно?",
            "Доставляем курьером и в пункты выдачи, срок обычно 1–5 дней в зависимости от "
            "города. Напишите город — скажу точные сроки и стоимость.",
            "Есть несколько вариантов доставки: курьером до двери, в пункт выдачи или "
            "самовывоз из магазина. Обычно это занимает от 1 до 5 дней в зависимости от города, "
            "а стоимость зависит от способа и суммы заказа. Напишите ваш город и удобный "
            "способ — я рассчитаю точные сроки и цену и подскажу, как получить быстрее.",
        ),
        Lang.EN: (
            "We deliver by courier and to pickup points. Where to?",
            "We deliver by courier and to pickup points, usually in 1–5 days depending on the "
            "city. Tell me your city and I'll give exact times and cost.",
            "There are several delivery options: courier to your door, a pickup point, or "
            "collection from the shop. It usually takes 1 to 5 days depending on the city, "
            "and the cost depends on the option and the order total. Tell me your city and "
            "preferred option, and I'll work out the exact time and price and the fastest way.",
        ),
    },
    Intent.RETURN_REFUND: {
        Lang.RU: (
            "Оформим возврат. Пришлите номер заказа.",
            "Конечно, оформим возврат. Пришлите номер заказа и коротко причину — я скажу, "
            "как передать товар и когда вернутся деньги.",
            "Конечно, поможем с возвратом. Пришлите, пожалуйста, номер заказа и коротко "
            "опишите причину (не подошёл, брак, пришло не то). Я подскажу, как передать товар "
            "обратно — курьером или через пункт выдачи, — и когда вернутся деньги: обычно это "
            "занимает до 10 дней после того, как товар к нам поступит.",
        ),
        Lang.EN: (
            "We'll arrange a return. Send the order number.",
            "Of course, we'll arrange the return. Send the order number and a short reason, "
            "and I'll tell you how to send it back and when the money arrives.",
            "Of course, we'll help with the return. Please send the order number and briefly "
            "describe the reason (didn't fit, defect, wrong item). I'll explain how to send it "
            "back, by courier or via a pickup point, and when you'll get the money: usually "
            "within 10 days of the item reaching us.",
        ),
    },
    Intent.COMPLAINT: {
        Lang.RU: (
            "Разберёмся. Опишите, что случилось, и номер заказа.",
            "Мне жаль, что так вышло. Опишите, пожалуйста, что случилось и номер заказа — "
            "разберёмся и предложим решение.",
            "Мне очень жаль, что так получилось, — разберёмся. Опишите, пожалуйста, что именно "
            "произошло, и пришлите номер заказа; если есть фото, приложите их. По заказу я "
            "сразу покажу, что знает о нём магазин, и подскажу, как оформить замену или "
            "возврат денег.",
        ),
        Lang.EN: (
            "We'll sort it out. What happened, and the order number?",
            "I'm sorry about this. Please describe what happened and send the order number, "
            "and we'll sort it out and offer a solution.",
            "I'm really sorry this happened, and we'll sort it out. Please describe exactly "
            "what went wrong and send the order number, with photos if you have them. I'll show "
            "what the shop knows about the order straight away and explain how to get a "
            "replacement or a refund.",
        ),
    },
    Intent.WARRANTY: {
        Lang.RU: (
            "Гарантия есть. Пришлите номер заказа и что не так.",
            "На товары действует гарантия производителя. Пришлите номер заказа и опишите "
            "неисправность — подскажу, как оформить гарантийный ремонт или замену.",
            "На все товары действует гарантия производителя, срок указан в карточке товара и в "
            "гарантийном талоне. Пришлите, пожалуйста, номер заказа и опишите неисправность "
            "(когда появилась, как проявляется). Я подскажу, как оформить гарантийный случай: "
            "диагностика, ремонт или замена, и сколько это обычно занимает.",
        ),
        Lang.EN: (
            "It's under warranty. Send the order number and what's wrong.",
            "Products carry the manufacturer's warranty. Send the order number and describe "
            "the fault, and I'll tell you how to get a repair or replacement.",
            "All products carry the manufacturer's warranty; the period is on the product page "
            "and the warranty card. Please send the order number and describe the fault (when "
            "it started, what happens). I'll explain how to file the claim: diagnostics, "
            "repair or replacement, and how long each usually takes.",
        ),
    },
    Intent.PRICE: {
        Lang.RU: (
            "Напишите, какой товар, — назову цену и скидки.",
            "Подскажу цену и действующие скидки. Напишите, какой товар интересует, — назову "
            "цену и акции на него.",
            "С удовольствием подскажу цену. Напишите, какой товар или модель вас интересует: "
            "я назову стоимость и действующие на него акции и подскажу похожие варианты, если "
            "они есть.",
        ),
        Lang.EN: (
            "Which product? I'll give the price and discounts.",
            "I'll give you the price and current discounts. Which product are you interested "
            "in? I'll name its price and the offers on it.",
            "Happy to help with the price. Tell me which product or model you're interested "
            "in: I'll give its price and the offers on it, and suggest similar options if there "
            "are any.",
        ),
    },
    Intent.PRODUCT_QUESTION: {
        Lang.RU: (
            "Какой товар? Отвечу коротко.",
            "Подскажу по товару. Напишите, какая модель интересует и что важно — размер, "
            "материал, совместимость, — отвечу по делу.",
            "С радостью расскажу о товаре подробно. Напишите, какая модель вас интересует и "
            "что для вас важнее всего — характеристики, размеры, материалы, совместимость, "
            "комплектация. Я соберу всё в одном ответе и, если нужно, сравню с похожими "
            "вариантами, чтобы было проще выбрать.",
        ),
        Lang.EN: (
            "Which model? I'll answer in a line.",
            "I can help with that product. Tell me the model and what matters to you: size, "
            "material, compatibility, and I'll answer to the point.",
            "Happy to tell you about the product in detail. Tell me which model you're "
            "interested in and what matters most: specifications, sizes, materials, "
            "compatibility, what's in the box. I'll put it all in one answer and, if useful, "
            "compare it with similar options to make choosing easier.",
        ),
    },
    Intent.COMPARISON: {
        Lang.RU: (
            "Назовите модели — скажу главное отличие.",
            "Сравню варианты. Назовите модели и для чего выбираете — скажу, чем они "
            "отличаются и что лучше подойдёт.",
            "Хороший вопрос — давайте сравним. Назовите модели, между которыми выбираете, и "
            "для чего они вам нужны. Я разложу отличия по пунктам: характеристики, цена, "
            "гарантия и отзывы покупателей, — и честно скажу, какой вариант лучше подойдёт "
            "под ваши задачи.",
        ),
        Lang.EN: (
            "Name the models and I'll give the key difference.",
            "I'll compare them. Name the models and what you need them for, and I'll explain "
            "the differences and which fits better.",
            "Good question, let's compare. Name the models you're choosing between and what "
            "you need them for. I'll lay out the differences point by point: specifications, "
            "price, warranty and customer reviews, and tell you honestly which one suits your "
            "needs best.",
        ),
    },
    Intent.BOOKING: {
        Lang.RU: (
            "На какой день и время записать?",
            "Напишите удобные день и время и какую услугу — подскажу, как записаться.",
            "С удовольствием запишу вас. Напишите удобные день и время, какую услугу или товар "
            "нужно подготовить, — и я подскажу, как записаться: ссылкой на запись или по "
            "телефону магазина.",
        ),
        Lang.EN: (
            "What day and time suit you?",
            "Tell me a convenient day and time and which service, and I'll tell you how to "
            "book it.",
            "Happy to book you in. Tell me a convenient day and time, which service or product "
            "to prepare, and I'll tell you how to book: the booking link or the shop's "
            "phone.",
        ),
    },
    Intent.HUMAN_REQUEST: {
        Lang.RU: (
            "Позвать сотрудника в этот чат я пока не могу — но отвечу сам. Что случилось?",
            "Позвать сотрудника в этот чат я пока не могу, но постараюсь помочь сам. Опишите "
            "коротко, что случилось, и, если речь о заказе, пришлите его номер.",
            "Позвать сотрудника прямо в этот чат я пока не могу, но постараюсь помочь сам: "
            "опишите, пожалуйста, суть вопроса и, если он касается заказа, пришлите его номер. "
            "Контакты магазина, если нужен человек, — на сайте магазина.",
        ),
        Lang.EN: (
            "I can't bring a person into this chat yet, but I'll help. What happened?",
            "I can't bring a person into this chat yet, but I'll do my best. Describe briefly "
            "what happened and, if it's about an order, send its number.",
            "I can't bring a person into this chat yet, but I'll do my best to help: please "
            "describe the question and, if it's about an order, send its number. If you need a "
            "person, the shop's contacts are on its website.",
        ),
    },
    Intent.GREETING: {
        Lang.RU: (
            "Здравствуйте! Чем помочь?",
            "Здравствуйте! Чем могу помочь — подобрать товар, узнать про заказ или доставку?",
            "Здравствуйте! Рад вас видеть. Я могу помочь подобрать товар, рассказать о "
            "характеристиках и ценах, показать статус заказа, рассказать о доставке и возврате. "
            "Напишите, что вас интересует.",
        ),
        Lang.EN: (
            "Hi! How can I help?",
            "Hello! How can I help: choosing a product, or a question about an order or delivery?",
            "Hello, good to see you! I can help you choose a product, explain specifications "
            "and prices, show an order's status, or explain delivery and returns. Just tell me "
            "what you need.",
        ),
    },
    Intent.THANKS: {
        Lang.RU: (
            "Пожалуйста! Обращайтесь.",
            "Пожалуйста, рад помочь! Если появятся вопросы — пишите.",
            "Пожалуйста, мне было приятно помочь! Если появятся ещё вопросы — о товарах, "
            "заказе или доставке, — просто напишите сюда, я на связи.",
        ),
        Lang.EN: (
            "You're welcome!",
            "You're welcome, glad to help! Write any time you have a question.",
            "You're very welcome, it was a pleasure to help! If anything else comes up, "
            "about products, your order or delivery, just write here and I'll be around.",
        ),
    },
    Intent.OTHER: {
        Lang.RU: (
            "Понял. Уточните, чем помочь?",
            "Спасибо за сообщение! Уточните, пожалуйста, чем помочь: товар, заказ, доставка "
            "или возврат?",
            "Спасибо, что написали! Чтобы ответить точно, уточните, пожалуйста, о чём речь: "
            "подбор товара, цена, статус заказа, доставка или возврат. Можно описать своими "
            "словами — я разберусь.",
        ),
        Lang.EN: (
            "Got it. What can I help with?",
            "Thanks for your message! Could you tell me what you need help with: a product, "
            "an order, delivery or a return?",
            "Thanks for writing! To answer precisely, could you tell me what it's about: "
            "choosing a product, a price, an order's status, delivery or a return? Feel free "
            "to use your own words; I'll work it out.",
        ),
    },
}

# Said first when the customer is irritated or has a problem.
EMPATHY: dict[Lang, tuple[str, str]] = {
    # (short, full)
    Lang.RU: ("Понимаю, неприятно.", "Понимаю, как это неприятно, и прошу прощения за ожидание."),
    Lang.EN: (
        "I understand, that's frustrating.",
        "I understand how frustrating this is, and I'm sorry for the wait.",
    ),
}

# Said instead of a greeting-answer when a customer came from an ad and has not asked yet.
CAMPAIGN_HINT: dict[Lang, str] = {
    Lang.RU: "Вы пришли к нам по акции — могу сразу рассказать об условиях.",
    Lang.EN: "You came to us through an offer: I can tell you its terms right away.",
}

# Answers to feedback on the bot's own answer length, said before repeating the answer.
LENGTH_FEEDBACK: dict[str, dict[Lang, str]] = {
    "shorter": {
        Lang.RU: "Понял, буду короче.",
        Lang.EN: "Got it, I'll keep it short.",
    },
    "longer": {
        Lang.RU: "Конечно, подробнее.",
        Lang.EN: "Sure, in more detail.",
    },
}

# With human handoff configured: the offer a person is one message away (the core calls one
# when the customer asks; this line never says one was called).
OFFER_PERSON: dict[Lang, str] = {
    Lang.RU: "Если удобнее поговорить с сотрудником, напишите «позовите человека» — позову.",
    Lang.EN: "If you'd rather talk to a colleague, write “talk to a person” and I'll call one.",
}
