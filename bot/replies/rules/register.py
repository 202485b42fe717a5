"""The «ты» register for a customer who writes informally.

Shops address customers with «вы» by default; a customer who clearly writes on «ты» terms
(the profile's formality, `ReplyAdvice.formal`) at a shop whose tone is friendly is answered
the same way. The change is made by a closed list of words, not by suffix rules: «сайте» ends
like «напишите» but is not a verb, and a word the list does not know simply stays polite —
under-adapting is better than a broken sentence.
"""

from __future__ import annotations

import re

# Imperatives and present-tense forms the bot's phrases and the example files use, with their
# «ты» forms; capitalised variants are derived.
_VERBS: dict[str, str] = {
    "напишите": "напиши",
    "пришлите": "пришли",
    "опишите": "опиши",
    "нажмите": "нажми",
    "поделитесь": "поделись",
    "назовите": "назови",
    "уточните": "уточни",
    "попробуйте": "попробуй",
    "расскажите": "расскажи",
    "сообщите": "сообщи",
    "посоветуйте": "посоветуй",
    "спросите": "спроси",
    "проверьте": "проверь",
    "приложите": "приложи",
    "давайте": "давай",
    "обращайтесь": "обращайся",
    "пишите": "пиши",
    "выберите": "выбери",
    "оформите": "оформи",
    "осмотрите": "осмотри",
    "включите": "включи",
    "отметьте": "отметь",
    "укажите": "укажи",
    "звоните": "звони",
    "позвоните": "позвони",
    "загляните": "загляни",
    "посмотрите": "посмотри",
    "скажите": "скажи",
    "подскажите": "подскажи",
    "свяжитесь": "свяжись",
    "извините": "извини",
    "не волнуйтесь": "не волнуйся",
    "сравниваете": "сравниваешь",
    "выбираете": "выбираешь",
    "ищете": "ищешь",
    "выезжаете": "выезжаешь",
    "убираете": "убираешь",
    "работаете": "работаешь",
    "покупаете": "покупаешь",
    "можете": "можешь",
    "сможете": "сможешь",
    "хотите": "хочешь",
    "получите": "получишь",
    "будете": "будешь",
    "знаете": "знаешь",
    "увидите": "увидишь",
    "вернёте": "вернёшь",
    "вернете": "вернёшь",
    "удобнее вам": "удобнее тебе",
}
_PRONOUNS: dict[str, str] = {
    "вы": "ты",
    "вас": "тебя",
    "вам": "тебе",
    "вами": "тобой",
    "ваш": "твой",
    "ваша": "твоя",
    "ваше": "твоё",
    "ваши": "твои",
    "вашего": "твоего",
    "вашей": "твоей",
    "вашему": "твоему",
    "вашим": "твоим",
    "вашими": "твоими",
    "ваших": "твоих",
    "вашу": "твою",
    "здравствуйте": "привет",
}
_FORMS = {**_VERBS, **_PRONOUNS}
_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted((re.escape(word) for word in _FORMS), key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)


def _swap(match: re.Match[str]) -> str:
    word = match.group(0)
    informal = _FORMS[word.lower()]
    return informal[:1].upper() + informal[1:] if word[:1].isupper() else informal


# «ты» followed by a verb still in the plural («ты платили», «ты напишете»): a sentence the
# list could not turn whole.
_BROKEN = re.compile(r"(?<![\w-])ты\s+(?:не\s+)?[а-яё]+(?:ли|ете|ёте|ите)(?![\w-])", re.IGNORECASE)


def informal(text: str) -> str:
    """`text` (Russian) with «вы» forms turned into «ты» forms; unchanged when a sentence
    could not be turned whole (a past-tense verb: «вы платили» has no genderless «ты» form)."""
    turned = _PATTERN.sub(_swap, text)
    return text if _BROKEN.search(turned) else turned
