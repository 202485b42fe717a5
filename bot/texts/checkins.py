"""The bot's words when it writes first: check-ins after a delivery, an open problem, a cart,
an unmade choice or a keen customer's silence, in Russian and English.

Each kind has a one-line `short` form for hurried customers, and a `lead` plus an `ask` that
`bot.checkins.content` wraps around facts from the shop's knowledge file for the others. Every
text ends by saying how to answer, and none promises an action the bot cannot take (no
reminders, no calls). Russian is written on «вы», with verbs `informal()` knows how to turn
into «ты»; no past-tense «вы» forms, which have no genderless «ты» form. Templates are plain
text: the caller escapes for HTML. Merged into the catalogue by the lead.
"""

from __future__ import annotations

from profiling.types import Lang

CHECKIN_TEXTS: dict[str, dict[Lang, str]] = {
    "checkin.hello": {Lang.RU: "Здравствуйте{name}!", Lang.EN: "Hello{name}!"},
    "checkin.stop": {Lang.RU: "Не писать мне первым", Lang.EN: "Don't message me first"},
    # Fragments filled into the templates below.
    "checkin.order_ref": {Lang.RU: "Заказ №{order}", Lang.EN: "Order #{order}"},
    "checkin.order_ref.none": {Lang.RU: "Ваш заказ", Lang.EN: "Your order"},
    "checkin.item": {Lang.RU: " ({item})", Lang.EN: " ({item})"},
    "checkin.on_product": {Lang.RU: " {product}", Lang.EN: " on {product}"},
    "checkin.cart.items": {Lang.RU: "товары", Lang.EN: "items"},
    "checkin.in_stock": {Lang.RU: "в наличии", Lang.EN: "in stock"},
    "checkin.out_of_stock": {Lang.RU: "сейчас нет в наличии", Lang.EN: "out of stock right now"},
    "checkin.item_info": {
        Lang.RU: "{name} — {price} {currency}, {stock}.",
        Lang.EN: "{name}: {price} {currency}, {stock}.",
    },
    "checkin.order_link": {Lang.RU: "Оформить заказ: {url}", Lang.EN: "To order: {url}"},
    "checkin.contacts": {
        Lang.RU: "Если удобнее, с нами можно связаться напрямую: {contacts}.",
        Lang.EN: "If you prefer, you can reach us directly: {contacts}.",
    },
    # After a delivery.
    "checkin.delivered.short": {
        Lang.RU: "{order_ref}{item} у вас — всё в порядке? Если нет, напишите в ответ.",
        Lang.EN: "{order_ref}{item} has arrived — all good? If not, just reply.",
    },
    "checkin.delivered.lead": {
        Lang.RU: "{order_ref}{item} доставлен. Всё ли в порядке с покупкой?",
        Lang.EN: "{order_ref}{item} has been delivered. Is everything all right with your "
        "purchase?",
    },
    "checkin.delivered.ask": {
        Lang.RU: "Если что-то не так или появились вопросы, напишите в ответ на это сообщение.",
        Lang.EN: "If anything is wrong or you have questions, just reply to this message.",
    },
    # A doubting buyer gone silent.
    "checkin.doubting.short": {
        Lang.RU: "Ещё выбираете{product}? Напишите, если остались вопросы.",
        Lang.EN: "Still deciding{product}? Reply if you have questions.",
    },
    "checkin.doubting.lead": {
        Lang.RU: "Если вы ещё выбираете{product}, я на связи.",
        Lang.EN: "If you're still deciding{product}, I'm here to help.",
    },
    "checkin.doubting.ask": {
        Lang.RU: "Напишите в ответ, что смущает, — подскажу.",
        Lang.EN: "Just reply with what's holding you back.",
    },
    # An open problem, or a handoff nobody picked up.
    "checkin.problem.short": {
        Lang.RU: "Ваш вопрос ещё не решён? Напишите в ответ — продолжим.",
        Lang.EN: "Is your question still open? Reply and we'll continue.",
    },
    "checkin.problem.lead": {
        Lang.RU: "Возвращаюсь к вашему вопросу: он ещё не решён?",
        Lang.EN: "Coming back to your question: is it still unresolved?",
    },
    "checkin.problem.handoff.short": {
        Lang.RU: "Извините за задержку. Вопрос ещё актуален? Напишите в ответ.",
        Lang.EN: "Sorry for the delay. Is your question still open? Just reply.",
    },
    "checkin.problem.handoff.lead": {
        Lang.RU: "Извините, что в прошлый раз вам не ответили вовремя. Вопрос ещё актуален?",
        Lang.EN: "Sorry nobody got back to you in time last time. Is your question still open?",
    },
    "checkin.problem.ask": {
        Lang.RU: "Напишите в ответ, что осталось, — продолжим с того места.",
        Lang.EN: "Reply with what's left and we'll continue from there.",
    },
    # A cart left behind.
    "checkin.cart.short": {
        Lang.RU: "Про {product} в корзине: остались вопросы? Напишите в ответ.",
        Lang.EN: "About the {product} in your cart: any questions? Just reply.",
    },
    "checkin.cart.lead": {
        Lang.RU: "Про {product} в корзине: если что-то помешало оформить заказ — цена, доставка "
        "или сроки, — подскажу.",
        Lang.EN: "About the {product} in your cart: if something held you back — price, "
        "delivery or timing — I can help.",
    },
    "checkin.cart.ask": {
        Lang.RU: "Просто напишите в ответ на это сообщение.",
        Lang.EN: "Just reply to this message.",
    },
    # High interest, then silence.
    "checkin.quiet.short": {
        Lang.RU: "Ещё интересует {product}? Напишите, если нужна помощь.",
        Lang.EN: "Still interested in {product}? Reply if you need help.",
    },
    "checkin.quiet.short.none": {
        Lang.RU: "Нужна помощь с выбором? Напишите в ответ.",
        Lang.EN: "Need help choosing? Just reply.",
    },
    "checkin.quiet.lead": {
        Lang.RU: "Если {product} ещё интересует вас, подскажу по наличию, доставке и оплате.",
        Lang.EN: "If you're still interested in {product}, I can help with stock, delivery "
        "and payment.",
    },
    "checkin.quiet.lead.none": {
        Lang.RU: "Как ваши поиски? Если нужна помощь с выбором, я на связи.",
        Lang.EN: "How's your search going? If you need help choosing, I'm here.",
    },
    "checkin.quiet.ask": {
        Lang.RU: "Просто напишите в ответ на это сообщение.",
        Lang.EN: "Just reply to this message.",
    },
}
