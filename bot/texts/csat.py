"""The bot's words for CSAT in the chat: the 1-5 question after a dialog (or after a person
handed it back), the thanks, the "what went wrong?" question after a low rating and the thanks
for the answer, and the short notes on a button that no longer counts. Russian on «вы», in the
shop's plain tone; plain text (nothing to escape). Merged into the catalogue by the lead.
"""

from __future__ import annotations

from profiling.types import Lang

CSAT_TEXTS: dict[str, dict[Lang, str]] = {
    # Under it: the buttons 1 … 5.
    "csat.question": {
        Lang.RU: "Оцените, пожалуйста, как мы вам помогли: от 1 (плохо) до 5 (отлично).",
        Lang.EN: "How well did we help you? Please rate us from 1 (poor) to 5 (excellent).",
    },
    "csat.question.handback": {
        Lang.RU: "Оцените, пожалуйста, как вам помог сотрудник: от 1 (плохо) до 5 (отлично).",
        Lang.EN: "How well did our colleague help you? Rate from 1 (poor) to 5 (excellent).",
    },
    "csat.thanks": {
        Lang.RU: "Спасибо за оценку! Если что-то понадобится — пишите.",
        Lang.EN: "Thank you for the rating! If you need anything, just write.",
    },
    # A low rating (1-2): thanks, and the follow-up question.
    "csat.thanks_low": {
        Lang.RU: "Спасибо, что сказали честно, и простите, что не получилось лучше. "
        "Что пошло не так? Напишите одной строкой — это поможет нам исправиться.",
        Lang.EN: "Thank you for being honest, and sorry we fell short. What went wrong? "
        "One line helps us fix it.",
    },
    "csat.comment_thanks": {
        Lang.RU: "Спасибо, передал ваши слова команде — разберёмся.",
        Lang.EN: "Thank you — I've passed this on to the team, and we'll look into it.",
    },
    # Short notes shown on the button press itself (a pop-up, not a message).
    "csat.already": {
        Lang.RU: "Вы уже оценили этот разговор — спасибо!",
        Lang.EN: "You've already rated this conversation — thank you!",
    },
    "csat.expired": {
        Lang.RU: "Этот опрос уже закрыт — спасибо!",
        Lang.EN: "This survey is closed — thank you!",
    },
    "csat.not_yours": {
        Lang.RU: "Эта кнопка больше не работает.",
        Lang.EN: "This button no longer works.",
    },
}
