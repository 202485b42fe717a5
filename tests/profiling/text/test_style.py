"""Style signals of one message: punctuation, questions, capitals, emoji, formality, feedback."""

from __future__ import annotations

import pytest

from profiling.text.prepare import prepare
from profiling.text.style import (
    analyze_style,
    caps_ratio,
    count_emoji,
    count_punctuation,
    count_unmarked_questions,
    mentions_urgency,
)


@pytest.mark.parametrize(
    ("text", "questions", "exclamations", "repeated"),
    [
        ("Где мой заказ?", 1, 0, 0),
        ("Где мой заказ?? Жду уже неделю!!!", 1, 1, 2),
        ("Really?! That is the second time", 1, 1, 1),
        ("Thanks! Great coffee!", 0, 2, 0),
        ("Hmm... not sure…", 0, 0, 0),  # ellipses are hesitation, not irritation
        ("Сколько стоит? А доставка?", 2, 0, 0),
        ("", 0, 0, 0),
    ],
)
def test_punctuation_runs(text: str, questions: int, exclamations: int, repeated: int) -> None:
    assert count_punctuation(text) == (questions, exclamations, repeated)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("подскажите статус заказа", 1),
        ("Как оформить возврат. Когда придёт курьер", 2),
        ("А где мой заказ", 1),
        ("Можно ли оплатить картой", 1),
        ("can you check my order", 1),
        ("Is there a discount for students", 1),
        ("how do I descale the machine", 1),
        ("Where is my parcel?", 0),  # already counted by its "?"
        ("Заказ получил, всё отлично", 0),
        ("I will do it tomorrow", 0),
        ("", 0),
    ],
)
def test_questions_without_question_mark(text: str, expected: int) -> None:
    assert count_unmarked_questions(prepare(text).lower) == expected


@pytest.mark.parametrize(
    ("text", "questions"),
    [
        ("Подскажите статус моего заказа", 1),
        ("Where is my order? And can you add a filter", 2),
        ("Спасибо, всё пришло", 0),
    ],
)
def test_questions_combine_marks_and_openings(text: str, questions: int) -> None:
    style = analyze_style(prepare(text))
    assert style.questions == questions


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("ГДЕ МОЙ ЗАКАЗ", 1.0, 1.0),
        ("WHERE IS MY ORDER", 0.9, 1.0),  # "MY" is too short to count as shouting
        ("где мой заказ", 0.0, 0.0),
        ("I ordered a grinder", 0.0, 0.0),  # "I" is not shouting
        ("Ok", 0.0, 0.0),
        ("Где мой ЗАКАЗ", 0.3, 0.6),
        ("12345 67", 0.0, 0.0),
        ("", 0.0, 0.0),
    ],
)
def test_caps_ratio(text: str, low: float, high: float) -> None:
    assert low <= caps_ratio(prepare(text)) <= high


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Спасибо 😊", 1),
        ("👍🏽👍🏽", 2),  # a skin-tone modifier belongs to its emoji
        ("👨‍👩‍👧 семья", 1),  # a ZWJ sequence is one emoji
        ("Доставка в 🇷🇺", 1),  # a flag is one emoji
        ("❤️ и ☕", 2),
        ("ok :) and ;-(", 2),
        ("lol xD", 1),
        ("<3 this blend", 1),
        ("спасибо)))", 1),
        ("спасибо)", 1),  # a lone bracket with nothing to close is a smiley
        ("жаль((", 1),
        ("(см. выше) хорошо", 0),  # real parentheses
        ("Встреча в 10:30", 0),
        ("Обычный текст без смайлов", 0),
        ("", 0),
    ],
)
def test_emoji_and_emoticons(text: str, expected: int) -> None:
    assert count_emoji(prepare(text)) == expected


FORMAL = [
    "Здравствуйте! Не могли бы вы уточнить сроки поставки? С уважением, Ирина",
    "Добрый день, будьте добры, пришлите счёт на оплату",
    "Уважаемые коллеги, прошу проверить мой заказ",
    "Dear team, could you please check the status of my order? Kind regards",
    "Good afternoon. I would like to know whether the grinder is in stock.",
]
INFORMAL = [
    "привет, скинь плиз цену)))",
    "чё как, есть норм зерно? лол",
    "слушай, ты можешь глянуть мой заказ",
    "hey u got decaf? lol",
    "yo bro pls send the tracking thx",
]


@pytest.mark.parametrize("text", FORMAL)
def test_formal_messages_score_formal(text: str) -> None:
    assert analyze_style(prepare(text)).formality > 0.4


@pytest.mark.parametrize("text", INFORMAL)
def test_informal_messages_score_informal(text: str) -> None:
    assert analyze_style(prepare(text)).formality < -0.4


@pytest.mark.parametrize(
    ("formal", "casual"),
    [
        ("Подскажите, пожалуйста, есть ли у вас декаф?", "подскажи есть декаф?"),
        ("Вы можете прислать фото?", "ты можешь прислать фото?"),
        ("Could you please send a photo?", "can u send a pic"),
        ("Спасибо", "спс"),
    ],
)
def test_formality_orders_paired_phrasings(formal: str, casual: str) -> None:
    assert analyze_style(prepare(formal)).formality > analyze_style(prepare(casual)).formality


def test_formality_is_bounded_and_neutral_text_is_near_zero() -> None:
    shouty = analyze_style(prepare("привет чувак лол плиз 😂😂😂😂 ну чё???"))
    polite = analyze_style(prepare("Здравствуйте! Уважаемые, будьте добры, с уважением"))
    assert -1.0 <= shouty.formality < -0.9
    assert 0.9 < polite.formality <= 1.0
    assert abs(analyze_style(prepare("заказ 1234")).formality) < 0.2


@pytest.mark.parametrize(
    ("text", "polite"),
    [
        ("Пришлите, пожалуйста, счёт", True),
        ("Будьте добры, уточните цену", True),
        ("плиз скинь цену", True),  # casual, but still a politeness formula
        ("Спасибо за помощь", True),
        ("Could you please check my order", True),
        ("thx!", True),
        ("Sorry to bother you", True),
        ("Где мой заказ", False),
        ("send the invoice", False),
    ],
)
def test_politeness_formulas(text: str, polite: bool) -> None:
    assert analyze_style(prepare(text)).polite is polite


@pytest.mark.parametrize(
    ("text", "more", "shorter"),
    [
        ("подробнее можно?", True, False),
        ("А поподробнее?", True, False),
        ("Расскажите больше про эту кофемашину", True, False),
        ("Нужно больше деталей", True, False),
        ("tell me more about the grinder", True, False),
        ("Can you elaborate?", True, False),
        ("I need more details please", True, False),
        ("Короче!", False, True),
        ("покороче, пожалуйста", False, True),
        ("Слишком длинно", False, True),
        ("слишком подробно", False, True),  # "подробно" here asks for less, not more
        ("много букв", False, True),
        ("Объясни в двух словах", False, True),
        ("tl;dr", False, True),
        ("shorter please", False, True),
        ("please keep it short", False, True),
        ("короче, я вчера заказал кофе и он не пришёл", False, False),  # filler word
        ("Где мой заказ?", False, False),
        ("I want a shorter cable", False, False),
    ],
)
def test_feedback_on_answer_length(text: str, more: bool, shorter: bool) -> None:
    style = analyze_style(prepare(text))
    assert (style.asks_more_detail, style.asks_shorter) == (more, shorter)


@pytest.mark.parametrize(
    ("text", "shorter"),
    [
        # About the bot's text: these ask for shorter answers.
        ("короче", True),
        ("Короче!!", True),
        ("ну короче", True),
        ("покороче можно?", True),
        ("а можно короче", True),
        ("пиши короче", True),
        ("многа букаф, не осилил", False),  # a misspelling the table does not know
        ("много букв", True),
        ("Слишком много текста", True),
        ("слишком длинно, я не дочитал", True),
        ("чересчур подробно", True),
        ("ваши ответы слишком длинные", True),
        ("очень длинный ответ, не осилил", True),
        ("too long to read", True),
        ("too long, didn't read", True),
        ("tl;dr", True),
        ("TLDR", True),
        ("shorter please", True),
        ("Shorter!", True),
        ("too much text", True),
        ("keep it short", True),
        ("your answers are way too long", True),
        ("that reply was too wordy", True),
        ("wall of text, sorry", True),
        # About waiting, products or anything else: not feedback on the answer.
        ("Слишком долго", False),
        ("Доставка слишком долго идёт", False),
        ("очень долго ждать ответа", False),
        ("Ждать очень долго, где посылка?", False),
        ("слишком много сахара в сиропе", False),
        ("Шнур слишком длинный", False),
        ("очень подробно, спасибо!", False),  # praise, not a complaint
        ("The delivery took too long!", False),
        ("too long", False),  # waiting or text: too vague to move the length preference
        ("shipping takes way too long", False),
        ("the cable is too long for my desk", False),
        ("I want a shorter cable", False),
        # «Короче» leading a message is a filler word.
        ("короче, где заказ", False),
        ("короче где заказ", False),
        ("Короче, кофемолка опять сломалась", False),
    ],
)
def test_only_remarks_about_the_text_ask_for_shorter(text: str, shorter: bool) -> None:
    assert analyze_style(prepare(text)).asks_shorter is shorter


@pytest.mark.parametrize(
    ("text", "more"),
    [
        ("не понял", True),
        ("Не поняла, объясните", True),
        ("не совсем понятно", True),
        ("Непонятно", True),
        ("поясните, пожалуйста", True),
        ("объясните нормально", True),
        ("можете объяснить?", True),
        ("что вы имеете в виду?", True),
        ("что значит «дегазация»?", True),
        ("I don't understand", True),
        ("sorry, I didn't understand", True),
        ("explain please", True),
        ("Please explain", True),
        ("what do you mean?", True),
        ("What does that mean?", True),
        ("can you explain", True),
        ("Could you clarify?", True),
        ("I'm confused", True),
        # Understood, or puzzled about the world rather than the answer.
        ("понятно, спасибо", False),
        ("Всё понятно!", False),
        ("Не понимаю, почему так долго везут", False),
        ("непонятно, где мой заказ", False),
        ("I don't understand why I was charged twice", False),
        ("Can you explain why the parcel is late?", False),
        ("please explain the return policy", False),
        ("got it, thanks", False),
        # Confusion next to a shorter request is that request.
        ("не понял, можно короче?", False),
    ],
)
def test_confusion_asks_for_more_detail(text: str, more: bool) -> None:
    style = analyze_style(prepare(text))
    assert style.asks_more_detail is more
    assert not style.urgent and not style.threatens_to_leave


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Срочно нужна замена фильтра", True),
        ("Пришлите, пожалуйста, как можно скорее", True),
        ("Нужно сегодня же, завтра уже поздно", True),
        ("Сделайте немедленно возврат", True),
        ("Можно побыстрее с ответом?", True),
        ("Я тороплюсь, скажите цену", True),
        ("СРОЧНО!!!", True),
        ("Сроки горят, нужна кофемолка", True),
        ("need the beans asap", True),
        ("This is URGENT", True),
        ("please ship it immediately", True),
        ("I need an answer right now", True),
        ("hurry up please, the party is tonight", True),
        ("send it as soon as possible", True),
        ("I'm in a rush", True),
        ("This is an emergency, my order is wrong", True),
        ("need it by tomorrow", True),
        ("I need it today", True),
        ("I need the grinder by Friday", True),
        ("can it arrive by tonight?", True),
        ("Нужно сегодня", True),
        ("надо быстро", True),
        ("Нужно срочно", True),
        ("успеете к пятнице?", True),
        ("нужна кофемолка, быстро пожалуйста", True),
        ("answer quickly please", True),
        ("quickly!", True),
        ("Is it urgent to descale?", False),  # a question about urgency
        ("How urgent is the filter change?", False),
        ("Насколько срочно менять фильтр?", False),
        ("how quickly do you ship to Kazan?", False),
        ("the gasket wore out so quickly", False),
        ("I don't need it today, next week is fine", False),
        ("не нужно сегодня, можно в пятницу", False),
        ("ближе к вечеру напишу", False),
        ("Не срочно, но хотелось бы побыстрее", True),  # "побыстрее" is not taken back
        ("Не срочно, можно на следующей неделе", False),
        ("Это не так срочно", False),
        ("не нужно срочно", False),
        ("Никуда не спешу, выбираю зерно", False),
        ("Что быстрее: курьер или самовывоз?", False),  # comparing, not hurrying
        ("Курьер быстрее чем почта?", False),
        ("На кофемашине горит красный индикатор", False),  # a fault, not a deadline
        ("Скорее всего возьму зелёный чай", False),
        ("несрочный заказ", False),
        ("no hurry, next week is fine", False),
        ("it's not urgent", False),
        ("no need to hurry", False),
        ("I am not in a hurry", False),
        ("The emergency exit seat was great", False),
        ("what's the price of the grinder", False),
        ("", False),
    ],
)
def test_urgency(text: str, urgent: bool) -> None:
    assert analyze_style(prepare(text)).urgent is urgent
    assert mentions_urgency(text) is urgent


def test_urgency_cues_leave_formality_and_politeness_alone() -> None:
    calm = analyze_style(prepare("нужна новая кофемолка"))
    hurried = analyze_style(prepare("нужна новая кофемолка срочно"))
    assert hurried.urgent and not calm.urgent
    assert hurried.formality == calm.formality
    assert hurried.polite is calm.polite is False


def test_lengths_are_counted_on_the_message() -> None:
    style = analyze_style(prepare("  Где мой заказ 123?  "))
    assert style.chars == len("Где мой заказ 123?")
    assert style.words == 4


@pytest.mark.parametrize(
    ("text", "leaves"),
    [
        ("Больше не закажу у вас", True),
        ("больше у вас ничего не куплю", True),
        ("Больше никогда!", True),
        ("больше никогда к вам не обращусь", True),
        ("не буду больше у вас заказывать", True),
        ("Всё, ухожу к конкурентам", True),
        ("буду заказывать в другом магазине", True),
        ("отпишусь от вас", True),
        ("Удалю приложение, надоело", True),
        ("удалите мой аккаунт", True),
        ("вы потеряли клиента", True),
        ("ноги моей здесь больше не будет", True),
        ("never again", True),
        ("Worst shop ever, never ordering again", True),
        ("I'm done with you", True),
        ("I'm going to another shop", True),
        ("switching to a competitor", True),
        ("I will take my business elsewhere", True),
        ("cancel my account", True),
        ("won't buy from you again", True),
        ("I will not be ordering here again", True),
        ("you just lost a customer", True),
        # Loyalty in the same words, faults, and everyday uses of the words.
        ("больше никогда не куплю в другом месте", False),
        ("никогда больше не пил такого вкусного кофе", False),
        ("не уйду к конкурентам, не переживайте", False),
        ("отпишусь сюда по результату", False),  # «I'll report back here»
        ("больше ничего не нужно, спасибо", False),
        ("пойду посмотрю другие модели", False),
        ("I'll never order anywhere else", False),
        ("I'm not going to another shop, don't worry", False),
        ("it won't turn on again after descaling", False),
        ("Can I take the other one instead?", False),
        ("did you cancel my subscription?", False),
        ("I'm done with the form, what next?", False),
        ("Где мой заказ?", False),
        ("", False),
    ],
)
def test_churn_threats(text: str, leaves: bool) -> None:
    style = analyze_style(prepare(text))
    assert style.threatens_to_leave is leaves
