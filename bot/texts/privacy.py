"""The bot's words about privacy: consent, the notice, the data commands, erasure.

Written for customers, not lawyers: what is kept, why, for how long, and the one command that
does each thing. `bot.privacy.notice` assembles /privacy from these and the settings in force.
Merged into the catalogue (`bot.texts.catalog.CATALOGUE`), so `t()` finds them.
"""

from __future__ import annotations

from profiling.types import Lang

PRIVACY_TEXTS: dict[str, dict[Lang, str]] = {
    "consent.ask": {
        Lang.RU: "Чтобы отвечать удобнее именно вам, я запоминаю, как и когда вы пишете, и ваши "
        "заказы. Без согласия я всё равно отвечу на вопросы, но не буду хранить ничего дольше "
        "текущего разговора. Подробнее — /privacy.",
        Lang.EN: "To answer in the way that suits you, I remember how and when you write, and "
        "your orders. Without your consent I'll still answer your questions, but I won't keep "
        "anything beyond the current conversation. Details: /privacy.",
    },
    "consent.notice": {
        Lang.RU: "Чтобы отвечать удобнее, я учитываю, как и когда вы пишете. Отказаться — "
        "/profiling_off, подробнее — /privacy.",
        Lang.EN: "To answer in a way that suits you, I take into account how and when you "
        "write. To opt out: /profiling_off; details: /privacy.",
    },
    "consent.accept": {Lang.RU: "Согласен(на)", Lang.EN: "I agree"},
    "consent.decline": {Lang.RU: "Не согласен(на)", Lang.EN: "No, thanks"},
    "consent.accepted": {
        Lang.RU: "Спасибо! Согласие сохранено. Отозвать его можно в любой момент: /forget или "
        "/profiling_off.",
        Lang.EN: "Thank you! Your consent is saved. You can withdraw it at any time: /forget or "
        "/profiling_off.",
    },
    "consent.declined": {
        Lang.RU: "Хорошо, ничего не запоминаю. На вопросы отвечу как обычно.",
        Lang.EN: "All right, I won't remember anything. I'll answer your questions as usual.",
    },
    "privacy.title": {Lang.RU: "<b>Ваши данные</b>", Lang.EN: "<b>Your data</b>"},
    "privacy.collected": {
        Lang.RU: "<b>Что хранится.</b> Ваши сообщения и время их отправки; профиль — как и когда "
        "вы пишете (длина и темп сообщений, время ответа, вопросы, тон), что вас интересует и "
        "оценки, которые из этого следуют, с объяснением каждой; рекламная ссылка, по которой "
        "вы пришли; если чат связан с магазином — ваши заказы и действия на сайте; ваши "
        "решения о согласии.",
        Lang.EN: "<b>What is kept.</b> Your messages and when you sent them; a profile — how and "
        "when you write (message length and pace, reply time, questions, tone), what interests "
        "you and the scores that follow, each with its explanation; the ad link you came "
        "through; if the chat is linked to the shop — your orders and activity on the website; "
        "your consent decisions.",
    },
    "privacy.why": {
        Lang.RU: "<b>Зачем.</b> Чтобы отвечать по делу и в удобной вам манере, помнить заказы и "
        "не переспрашивать. Никакой рекламы третьих лиц.",
        Lang.EN: "<b>Why.</b> To answer to the point and in the way that suits you, to remember "
        "your orders and not to ask twice. No third-party advertising.",
    },
    "privacy.basis.opt_in": {
        Lang.RU: "<b>Основание.</b> Ваше согласие ({consent}). Без него профиль не ведётся, а "
        "сообщения не хранятся дольше текущего разговора.",
        Lang.EN: "<b>Legal basis.</b> Your consent ({consent}). Without it no profile is kept and "
        "messages are not kept beyond the current conversation.",
    },
    "privacy.basis.notice": {
        Lang.RU: "<b>Основание.</b> Законный интерес магазина в качественном обслуживании; вы "
        "можете возразить в любой момент — /profiling_off ({consent}).",
        Lang.EN: "<b>Legal basis.</b> The shop's legitimate interest in serving you well; you "
        "can object at any time with /profiling_off ({consent}).",
    },
    "privacy.consent.given": {
        Lang.RU: "согласие дано {date}, версия текста {version}",
        Lang.EN: "consent given on {date}, text version {version}",
    },
    "privacy.consent.declined": {
        Lang.RU: "вы отказались {date}",
        Lang.EN: "you declined on {date}",
    },
    "privacy.consent.none": {Lang.RU: "согласие не дано", Lang.EN: "no consent given"},
    "privacy.profiling_off": {
        Lang.RU: "Профилирование для вас выключено.",
        Lang.EN: "Profiling is off for you.",
    },
    "privacy.retention": {
        Lang.RU: "<b>Сроки.</b> Тексты сообщений — {messages} дн., события сайта — {events} дн.; "
        "профиль — пока вы пользуетесь ботом или до удаления (/forget).",
        Lang.EN: "<b>How long.</b> Message texts — {messages} days, website events — {events} "
        "days; the profile — while you use the bot, or until you erase it (/forget).",
    },
    "privacy.llm": {
        Lang.RU: "<b>Языковая модель.</b> Ответы формулирует модель ({host}). Перед отправкой "
        "телефоны, почта и номера карт в тексте скрываются.",
        Lang.EN: "<b>Language model.</b> Replies are worded by a model ({host}). Phone numbers, "
        "e-mails and card numbers are masked before anything is sent to it.",
    },
    "privacy.crm": {
        Lang.RU: "<b>Магазин.</b> Магазин получает уведомления о важных событиях разговора "
        "(например, что вы недовольны или готовы купить), чтобы помочь вам быстрее.",
        Lang.EN: "<b>The shop.</b> The shop is notified of important moments in the conversation "
        "(for example that you are unhappy or ready to buy) so it can help you sooner.",
    },
    "privacy.rights": {
        Lang.RU: "<b>Ваши права.</b> /mydata — все данные о вас (файл JSON); /forget — удалить "
        "всё; /profiling_off и /profiling_on — возражение против профилирования и отмена; "
        "/stop_checkins — не писать первым.",
        Lang.EN: "<b>Your rights.</b> /mydata — everything stored about you (a JSON file); "
        "/forget — erase everything; /profiling_off and /profiling_on — object to profiling and "
        "take it back; /stop_checkins — no messages from the bot first.",
    },
    "privacy.contact": {
        Lang.RU: "Вопросы о данных: {contact}.",
        Lang.EN: "Questions about your data: {contact}.",
    },
    "mydata.caption": {
        Lang.RU: "Всё, что хранится о вас, — в этом файле (JSON).",
        Lang.EN: "Everything stored about you is in this file (JSON).",
    },
    "forget.confirm": {
        Lang.RU: "Удалить все данные о вас — сообщения, профиль, заказы в этом чате, события? "
        "Это нельзя отменить.",
        Lang.EN: "Erase everything about you — messages, profile, orders in this chat, events? "
        "This cannot be undone.",
    },
    "forget.yes": {Lang.RU: "Да, удалить всё", Lang.EN: "Yes, erase everything"},
    "forget.no": {Lang.RU: "Отмена", Lang.EN: "Cancel"},
    "forget.done": {
        Lang.RU: "Готово: все данные о вас удалены. Если напишете снова, я начну с чистого листа.",
        Lang.EN: "Done: everything about you is erased. If you write again, I'll start afresh.",
    },
    "forget.cancelled": {
        Lang.RU: "Хорошо, ничего не удаляю.",
        Lang.EN: "All right, nothing is erased.",
    },
    "profiling.off": {
        Lang.RU: "Готово: я больше не веду ваш профиль и удалил накопленный. На вопросы отвечу "
        "как обычно. Включить обратно — /profiling_on.",
        Lang.EN: "Done: I no longer keep a profile of you and erased the one I had. I'll answer "
        "your questions as usual. To turn it back on: /profiling_on.",
    },
    "profiling.on": {
        Lang.RU: "Профилирование снова включено: буду подстраивать ответы под вас.",
        Lang.EN: "Profiling is on again: I'll tailor my answers to you.",
    },
    "profiling.on_needs_consent": {
        Lang.RU: "Профилирование включится после согласия:",
        Lang.EN: "Profiling turns on once you consent:",
    },
    "checkins.stopped": {
        Lang.RU: "Хорошо, первым писать не буду. Вернуть — /start_checkins.",
        Lang.EN: "All right, I won't message you first. To undo: /start_checkins.",
    },
    "checkins.started": {
        Lang.RU: "Хорошо, иногда буду писать первым — по делу и в удобное вам время.",
        Lang.EN: "All right, I'll sometimes message you first — when it matters, at a time that "
        "suits you.",
    },
}
