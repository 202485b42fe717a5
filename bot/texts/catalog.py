"""The catalogue of the bot's own user-facing strings, in Russian and English.

Templates use `str.format` fields; `t()` HTML-escapes every argument because replies are sent
with HTML parse mode, so a customer's name like `<b>` can't break the markup.
"""

from __future__ import annotations

from html import escape

from bot.texts.admin import ADMIN_TEXTS
from bot.texts.checkins import CHECKIN_TEXTS
from bot.texts.csat import CSAT_TEXTS
from bot.texts.privacy import PRIVACY_TEXTS
from profiling.types import Lang

CATALOGUE: dict[str, dict[Lang, str]] = {
    "greeting.new": {
        Lang.RU: "Здравствуйте{name}! Я помощник магазина: подскажу по товарам, заказам и "
        "доставке. Просто напишите, что вас интересует.",
        Lang.EN: "Hello{name}! I'm the shop's assistant: I can help with products, orders and "
        "delivery. Just write what you need.",
    },
    "greeting.campaign": {
        Lang.RU: "Здравствуйте{name}! Рады, что вы пришли к нам. Расскажите, что вы ищете, — "
        "помогу выбрать и отвечу на вопросы.",
        Lang.EN: "Hello{name}! Glad you found us. Tell me what you're looking for and I'll help "
        "you choose and answer your questions.",
    },
    "greeting.returning": {
        Lang.RU: "С возвращением{name}! Чем могу помочь сегодня?",
        Lang.EN: "Welcome back{name}! How can I help today?",
    },
    "help": {
        Lang.RU: "Я отвечаю на вопросы о товарах, ценах, заказах, доставке и возвратах.\n"
        "Напишите вопрос обычным сообщением.\n\n"
        "/start — начать заново\n/link — найти ваши заказы по номеру телефона\n"
        "/help — эта справка",
        Lang.EN: "I answer questions about products, prices, orders, delivery and returns.\n"
        "Just type your question.\n\n"
        "/start — start over\n/link — find your orders by your phone number\n"
        "/help — this help",
    },
    "link.linked": {
        Lang.RU: "Я нашёл вас в магазине: теперь вижу ваши заказы и могу подсказать по ним.",
        Lang.EN: "I've found you in the shop: I can see your orders now and help with them.",
    },
    "link.already": {
        Lang.RU: "Ваши заказы уже связаны с этим чатом.",
        Lang.EN: "Your orders are already linked to this chat.",
    },
    "link.taken": {
        Lang.RU: "Эта персональная ссылка уже привязана к другому аккаунту Telegram, поэтому "
        "заказы здесь не показываю. Если это ваша ссылка, напишите нам — разберёмся.",
        Lang.EN: "This personal link is already tied to another Telegram account, so I won't "
        "show its orders here. If the link is yours, write to us and we'll sort it out.",
    },
    "link.unknown": {
        Lang.RU: "Ссылка устарела или неверна, поэтому заказы пока не вижу. Их можно найти по "
        "номеру телефона: /link.",
        Lang.EN: "That link is out of date or wrong, so I can't see your orders yet. I can find "
        "them by your phone number: /link.",
    },
    "link.site": {
        Lang.RU: "Вижу, вы пришли с нашего сайта, — продолжим здесь.",
        Lang.EN: "I see you came from our website — let's carry on here.",
    },
    "phone.ask": {
        Lang.RU: "Чтобы найти ваши заказы, нажмите кнопку ниже — Telegram пришлёт мне ваш "
        "номер телефона. Номер нужен только для поиска заказов.",
        Lang.EN: "To find your orders, press the button below and Telegram will send me your "
        "phone number. It is used only to find your orders.",
    },
    "phone.button": {
        Lang.RU: "📱 Поделиться номером",
        Lang.EN: "📱 Share my phone number",
    },
    "phone.linked": {
        Lang.RU: "Спасибо! Нашёл ваши заказы по номеру телефона — теперь могу подсказать по ним.",
        Lang.EN: "Thank you! I found your orders by your phone number and can help with them now.",
    },
    "phone.not_found": {
        Lang.RU: "Спасибо! Заказов на этот номер я пока не нашёл. Если заказ оформлен на "
        "другой номер, напишите его номер заказа.",
        Lang.EN: "Thank you! I couldn't find orders for this number yet. If the order is under "
        "another number, send me the order number.",
    },
    "phone.taken": {
        Lang.RU: "Этот номер уже привязан к другому аккаунту Telegram, поэтому заказы здесь не "
        "показываю. Напишите нам, если это ошибка.",
        Lang.EN: "This number is already tied to another Telegram account, so I won't show its "
        "orders here. Write to us if that's a mistake.",
    },
    "phone.invalid": {
        Lang.RU: "Не получилось разобрать этот номер телефона. Попробуйте ещё раз кнопкой ниже.",
        Lang.EN: "I couldn't read that phone number. Please try again with the button below.",
    },
    "phone.not_own": {
        Lang.RU: "Чтобы защитить чужие данные, я принимаю только ваш собственный номер — "
        "нажмите кнопку «Поделиться номером».",
        Lang.EN: "To protect other people's data I only accept your own number — please press "
        "the “Share my phone number” button.",
    },
    "phone.unavailable": {
        Lang.RU: "Поиск заказов по телефону сейчас недоступен. Напишите номер заказа — помогу.",
        Lang.EN: "Finding orders by phone is not available right now. Send me your order "
        "number and I'll help.",
    },
    "button.more": {
        Lang.RU: "Подробнее",
        Lang.EN: "More details",
    },
    # Option buttons: each label is sent as the customer's own question when pressed.
    "option.order": {Lang.RU: "Где мой заказ?", Lang.EN: "Where is my order?"},
    "option.delivery": {Lang.RU: "Условия доставки", Lang.EN: "Delivery options"},
    "option.returns": {Lang.RU: "Как вернуть товар?", Lang.EN: "How do I return an item?"},
    "option.catalog": {Lang.RU: "Какие товары у вас есть?", Lang.EN: "What do you sell?"},
    "option.prices": {Lang.RU: "Цены на услуги", Lang.EN: "What are your prices?"},
    "option.booking": {Lang.RU: "Хочу записаться", Lang.EN: "I want to book"},
    "option.person": {Lang.RU: "Связаться с человеком", Lang.EN: "Talk to a person"},
    "unknown_command": {
        Lang.RU: "Команда {command} мне не знакома. Список команд — /help, а вопрос можно "
        "просто написать.",
        Lang.EN: "I don't know the command {command}. See /help, or just type your question.",
    },
    "non_text": {
        Lang.RU: "Я пока понимаю только текст. Опишите, пожалуйста, словами — я помогу.",
        Lang.EN: "I can only read text for now. Please describe it in words and I'll help.",
    },
    "too_long": {
        Lang.RU: "Сообщение очень длинное — я прочитал первые {limit} символов и сохранил его "
        "целиком.",
        Lang.EN: "That's a very long message: I read the first {limit} characters and saved all "
        "of it.",
    },
    "operator.help": {
        Lang.RU: "Это чат операторов. Сюда бот передаёт разговоры, которые должен продолжить "
        "человек; сообщения в этом чате бот не обрабатывает как клиентские.",
        Lang.EN: "This is the operators' chat. The bot hands over conversations that a person "
        "should continue here; messages in this chat are never treated as a customer's.",
    },
    # Human handoff (bot/handoff). To the customer, in their language:
    "handoff.notice": {
        Lang.RU: "Позвал сотрудника — он ответит здесь, в этом чате. Обычно это занимает до "
        "{wait}.",
        Lang.EN: "I've called a colleague — they'll answer right here in this chat. It usually "
        "takes up to {wait}.",
    },
    "handoff.timeout": {
        Lang.RU: "Сейчас никто из сотрудников не успевает ответить — простите. Я продолжу сам: "
        "напишите, что нужно, и я постараюсь помочь.",
        Lang.EN: "Nobody on the team can answer right now — I'm sorry. I'll carry on myself: "
        "tell me what you need and I'll do my best.",
    },
    "handoff.timeout.contacts": {
        Lang.RU: " Если удобнее, свяжитесь с магазином напрямую: {contacts}.",
        Lang.EN: " If you prefer, you can reach the shop directly: {contacts}.",
    },
    "handoff.closed": {
        Lang.RU: "Сотрудник завершил разговор. Если появятся вопросы — пишите, я на связи.",
        Lang.EN: "Our colleague has finished the conversation. If you have more questions, just "
        "write — I'm here.",
    },
    # To the operators, in DEFAULT_LANGUAGE: the card, relayed messages, notes.
    "handoff.title.asked": {
        Lang.RU: "🙋 <b>Клиент просит человека</b>",
        Lang.EN: "🙋 <b>The customer asks for a person</b>",
    },
    "handoff.title.irritation": {
        Lang.RU: "😠 <b>Клиент раздражён</b>",
        Lang.EN: "😠 <b>The customer is irritated</b>",
    },
    "handoff.title.failed_twice": {
        Lang.RU: "🤷 <b>Бот не может ответить</b>",
        Lang.EN: "🤷 <b>The bot can't answer</b>",
    },
    "handoff.title.hot_lead": {
        Lang.RU: "🔥 <b>Горячий лид</b>",
        Lang.EN: "🔥 <b>A hot lead</b>",
    },
    "handoff.why.asked": {
        Lang.RU: "клиент попросил позвать человека",
        Lang.EN: "the customer asked for a person",
    },
    "handoff.why.irritation": {
        Lang.RU: "раздражение {value}/100 при пороге {threshold}",
        Lang.EN: "irritation {value}/100, the threshold is {threshold}",
    },
    "handoff.why.failed_twice": {
        Lang.RU: "бот не понял клиента {times} подряд",
        Lang.EN: "the bot did not understand the customer {times} in a row",
    },
    "handoff.why.hot_lead": {
        Lang.RU: "готовность купить {value}/100 при пороге {threshold}",
        Lang.EN: "lead hotness {value}/100, the threshold is {threshold}",
    },
    "handoff.card.who": {Lang.RU: "<b>Кто:</b> {who}", Lang.EN: "<b>Who:</b> {who}"},
    "handoff.card.language": {Lang.RU: "язык: {language}", Lang.EN: "language: {language}"},
    "handoff.card.why": {Lang.RU: "<b>Почему:</b> {why}", Lang.EN: "<b>Why:</b> {why}"},
    "handoff.card.segments": {Lang.RU: "<b>Сегменты:</b>", Lang.EN: "<b>Segments:</b>"},
    "handoff.card.no_segments": {
        Lang.RU: "• ничего выраженного",
        Lang.EN: "• nothing stands out",
    },
    "handoff.card.hotness": {
        Lang.RU: "<b>Готовность купить:</b> {value}/100",
        Lang.EN: "<b>Lead hotness:</b> {value}/100",
    },
    "handoff.card.churn": {
        Lang.RU: "<b>Риск оттока:</b> {value}/100",
        Lang.EN: "<b>Churn risk:</b> {value}/100",
    },
    "handoff.card.no_profile": {
        Lang.RU: "<b>Профиль:</b> не ведётся — клиент отказался от анализа",
        Lang.EN: "<b>Profile:</b> none — the customer objected to profiling",
    },
    "handoff.card.source": {
        Lang.RU: "<b>Источник:</b> {source}",
        Lang.EN: "<b>Source:</b> {source}",
    },
    "handoff.card.source.first": {Lang.RU: "первый — {source}", Lang.EN: "first: {source}"},
    "handoff.card.source.latest": {Lang.RU: "последний — {source}", Lang.EN: "latest: {source}"},
    "handoff.card.source.none": {
        Lang.RU: "<b>Источник:</b> без рекламной ссылки",
        Lang.EN: "<b>Source:</b> no tracked link",
    },
    "handoff.card.orders": {Lang.RU: "<b>Заказы:</b>", Lang.EN: "<b>Orders:</b>"},
    "handoff.card.not_linked": {
        Lang.RU: "<b>Заказы:</b> чат не связан с магазином",
        Lang.EN: "<b>Orders:</b> the chat is not linked to the shop",
    },
    "handoff.card.no_orders": {
        Lang.RU: "<b>Заказы:</b> пока нет",
        Lang.EN: "<b>Orders:</b> none yet",
    },
    "handoff.card.site": {Lang.RU: "<b>На сайте:</b>", Lang.EN: "<b>On the site:</b>"},
    "handoff.card.no_site": {
        Lang.RU: "<b>На сайте:</b> событий нет",
        Lang.EN: "<b>On the site:</b> no events",
    },
    "handoff.card.messages": {
        Lang.RU: "<b>Последние сообщения:</b>",
        Lang.EN: "<b>Latest messages:</b>",
    },
    "handoff.card.footer": {
        Lang.RU: "<i>Ответьте на эту карточку — ответ уйдёт клиенту, пока вы ведёте разговор, "
        "бот молчит. /done ответом на карточку вернёт разговор боту. Если в течение {wait} "
        "никто не ответит, бот честно скажет клиенту и продолжит сам.</i>",
        Lang.EN: "<i>Reply to this card to answer the customer; while you hold the dialog the "
        "bot stays silent. /done in reply to the card hands the dialog back to the bot. If "
        "nobody answers within {wait}, the bot tells the customer honestly and carries on.</i>",
    },
    "handoff.card.footer.topic": {
        Lang.RU: "<i>Пишите в этой теме — сообщения уйдут клиенту, пока вы ведёте разговор, "
        "бот молчит. /done в этой теме вернёт разговор боту. Если в течение {wait} никто не "
        "ответит, бот честно скажет клиенту и продолжит сам.</i>",
        Lang.EN: "<i>Write in this topic to answer the customer; while you hold the dialog the "
        "bot stays silent. /done in this topic hands the dialog back to the bot. If nobody "
        "answers within {wait}, the bot tells the customer honestly and carries on.</i>",
    },
    "handoff.relay": {Lang.RU: "💬 <b>{name}:</b> {text}", Lang.EN: "💬 <b>{name}:</b> {text}"},
    "handoff.note.timeout": {
        Lang.RU: "⏱ Никто не ответил в течение {wait}: клиенту честно сказали об этом, бот "
        "продолжает сам.",
        Lang.EN: "⏱ Nobody answered within {wait}: the customer was told honestly, and the bot "
        "carried on.",
    },
    "handoff.note.closed": {
        Lang.RU: "✅ Готово: {name} снова говорит с ботом.",
        Lang.EN: "✅ Done: {name} is talking to the bot again.",
    },
    "handoff.note.over": {
        Lang.RU: "Этот разговор уже не у оператора — клиенту ничего не отправлено. Если клиент "
        "снова попросит человека, придёт новая карточка.",
        Lang.EN: "This dialog is no longer with an operator — nothing was sent to the customer. "
        "If the customer asks for a person again, a new card will come.",
    },
    "handoff.note.undelivered": {
        Lang.RU: "⚠️ Клиенту не доставлено: {error}",
        Lang.EN: "⚠️ Not delivered to the customer: {error}",
    },
    "handoff.note.blocked": {
        Lang.RU: "⚠️ Клиенту не доставлено: он заблокировал бота.",
        Lang.EN: "⚠️ Not delivered: the customer has blocked the bot.",
    },
    "handoff.note.no_text": {
        Lang.RU: "Клиенту уходит только текст — напишите, пожалуйста, словами.",
        Lang.EN: "Only text reaches the customer — please write it in words.",
    },
    "handoff.note.done_where": {
        Lang.RU: "/done пишут ответом на карточку клиента (или в его теме).",
        Lang.EN: "Send /done in reply to the customer's card (or in their topic).",
    },
    "handoff.help": {
        Lang.RU: "Когда бот зовёт человека, сюда приходит карточка клиента: кто он, почему, "
        "его оценки, заказы и последние сообщения. Ответьте на карточку (или напишите в теме "
        "клиента) — текст уйдёт клиенту, а бот замолчит. /done ответом на карточку вернёт "
        "разговор боту.",
        Lang.EN: "When the bot calls a person, a customer card arrives here: who, why, their "
        "scores, orders and latest messages. Reply to the card (or write in the customer's "
        "topic) and the text goes to the customer while the bot stays silent. /done in reply "
        "to the card hands the dialog back to the bot.",
    },
    "admin.status": {
        Lang.RU: "<b>Состояние бота</b>\nВерсия: {version}\nБаза данных: {database}\n"
        "Клиентов: {customers}\nСообщений за 24 ч: {messages}\nВ обработке: {in_flight}\n"
        "Работает: {uptime}",
        Lang.EN: "<b>Bot status</b>\nVersion: {version}\nDatabase: {database}\n"
        "Customers: {customers}\nMessages in 24 h: {messages}\nIn flight: {in_flight}\n"
        "Up: {uptime}",
    },
    "error": {
        Lang.RU: "Извините, у меня что-то пошло не так. Попробуйте, пожалуйста, ещё раз чуть "
        "позже.",
        Lang.EN: "Sorry, something went wrong on my side. Please try again a little later.",
    },
}


CATALOGUE.update(PRIVACY_TEXTS)
CATALOGUE.update(CHECKIN_TEXTS)
CATALOGUE.update(CSAT_TEXTS)
CATALOGUE.update(ADMIN_TEXTS)


def supported_language(code: str | None) -> Lang | None:
    """A stored language code ("ru", "en") as a `Lang`; None when it is not one we speak."""
    return Lang(code) if code in ("ru", "en") else None


def pick_language(code: str | None, default: Lang) -> Lang:
    """Telegram's `language_code` ("ru", "en-US", "uk") to a supported language."""
    if not code:
        return default
    base = code.split("-")[0].lower()
    if base in ("ru", "uk", "be", "kk"):
        return Lang.RU
    if base == "en":
        return Lang.EN
    return default


def t(key: str, lang: Lang, **params: object) -> str:
    template = CATALOGUE[key].get(lang) or CATALOGUE[key][Lang.EN]
    return template.format(**{k: escape(str(v)) for k, v in params.items()})


def name_suffix(first_name: str | None) -> str:
    """ ", Anna" for the greeting, or nothing; escaped later by `t()`."""
    return f", {first_name.strip()}" if first_name and first_name.strip() else ""
