"""The catalogue of the bot's own user-facing strings, in Russian and English.

Templates use `str.format` fields; `t()` HTML-escapes every argument because replies are sent
with HTML parse mode, so a customer's name like `<b>` can't break the markup.
"""

from __future__ import annotations

from html import escape

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
