"""Cue tables of the style analyser: formality, politeness, feedback, urgency.

Each `Cue` is a set of `profiling.vocabulary.PhraseMatcher` patterns and what it says about
the writing: a signed push towards formal or casual, politeness, a request for more detail
or for shorter answers, or a hurry. `profiling.style` scans a message once with all of them.

Hurry words are deliberately plain requests for speed («срочно», «как можно скорее», "asap",
"right now"). A hurry word inside a `NOT_HURRY` phrase does not count: negated («не срочно»,
"not urgent", "no need to hurry") or comparing («что быстрее», "faster than"). «Горит» alone
is not a hurry word here: in a shop of machines «горит индикатор» is a fault report.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cue:
    patterns: tuple[str, ...]  # `PhraseMatcher` patterns; any of them fires the cue
    formality: float = 0.0  # signed push towards formal (+) or casual (-)
    polite: bool = False
    feedback: int = 0  # +1 asks for more detail, -1 asks for shorter answers
    hurry: int = 0  # +1 says the customer is in a hurry, -1 takes a hurry word back


def cue(
    *patterns: str,
    formality: float = 0.0,
    polite: bool = False,
    feedback: int = 0,
    hurry: int = 0,
) -> Cue:
    return Cue(patterns, formality, polite, feedback, hurry)


VY = cue("=вы|=вас|=вам|=вами|ваш", formality=0.6)
FORMAL_RU = (
    VY,
    cue("здравствуйте", formality=1.0, polite=True),
    cue("добр* день|вечер|утро|ночи|время|времени|=дня", formality=0.8, polite=True),
    cue("будьте добр*|любезн*", formality=1.0, polite=True),
    cue("не могли бы", formality=0.9, polite=True),
    cue("не подскажете|сможете|могли", formality=0.5, polite=True),
    cue("уважаем*", formality=1.0, polite=True),
    cue("с уважением", formality=1.2, polite=True),
    cue("благодар*", formality=0.6, polite=True),
    cue("=извините|=простите", "=прошу =прощения", formality=0.5, polite=True),
    cue("=пожалуйста|=пожалуйсто", formality=0.3, polite=True),
    cue("=спасибо", formality=0.1, polite=True),
    cue("=прошу", formality=0.3),
    cue(
        "=подскажите|=скажите|=пришлите|=помогите|=объясните|=уточните|=посмотрите|=проверьте"
        "|=сообщите|=ответьте|=перезвоните|=посоветуйте|=напишите|=дайте|=сделайте"
        "|=отправьте|=верните|=вышлите|=позвоните|=свяжитесь|=оформите|=подтвердите",
        formality=0.4,
    ),
)
CASUAL_RU = (
    cue("=ты|=тебя|=тебе|=тобой|твой", formality=-0.6),
    cue(
        "=привет|=приветик|=приветики|=прив|=хай|=хаюшки|=здарова|=салют|=хеллоу",
        formality=-0.7,
    ),
    cue("=плиз|=плз|=пжл|=пж|=пжлст|=плес|=плиииз", formality=-0.8, polite=True),
    cue("=спс|пасиб*|=сенкс|=спасибки|=мерси", formality=-0.6, polite=True),
    cue("=ок|=окей|=оки|=окс|=ладно|=лады", formality=-0.3),
    cue(
        "=че|=чо|=щас|=ща|=норм|=нормас|=лол|=кек|=имхо|=блин|=капец|=жесть|=типа|=короч"
        "|=чет|=чот|=ваще|=кста|=инфа|=инфу|=инфы|=пипец|офиге*|=фига|=хз|=мб|ахах*|хаха*"
        "|=хех|=ржу|=прикол|=прикольно|=чел",
        formality=-0.6,
    ),
    cue("=чувак|=бро|=братан|братишк*|=ребят|=народ", formality=-0.6),
    cue("=ага|=угу|=неа|=не-а", formality=-0.4),
    cue(
        "=подскажи|=скажи|=скинь|=кинь|=глянь|=дай|=помоги|=напиши|=объясни|=посмотри"
        "|=проверь|=сделай|=верни|=позвони|=ответь",
        formality=-0.4,
    ),
    cue("=извини|=прости", formality=-0.2, polite=True),
)
FORMAL_EN = (
    cue("=dear", formality=1.0, polite=True),
    cue("=good =morning|=afternoon|=evening|=day", formality=0.8, polite=True),
    cue("=could|=would =you =please", formality=1.0, polite=True),
    cue("=could|=would =you", formality=0.5),
    cue("=would =it =be =possible", formality=0.8, polite=True),
    cue("=i =would =like", "=i'd =like", "=may =i", formality=0.5),
    cue("=kind|=best|=warm =regards", formality=1.2, polite=True),
    cue("=regards|=sincerely", "=yours =faithfully|=truly", formality=0.8, polite=True),
    cue("=thank =you", "=many =thanks", formality=0.4, polite=True),
    cue("appreciat*", formality=0.4, polite=True),
    cue("=kindly", formality=0.6, polite=True),
    cue("=please", formality=0.3, polite=True),
    cue("=hello|=greetings", formality=0.3),
    cue("=excuse =me", "=apologies|apologi*", formality=0.4, polite=True),
    cue("=sorry|=thanks", polite=True),
)
CASUAL_EN = (
    cue("=hey|=hiya|=heya|=yo|=sup|=wassup|=howdy", formality=-0.6),
    cue("=hi", formality=-0.2),
    cue("=u|=ur|=r|=ya|=y'all|=cuz|=coz|=cos|=wat|=wut", formality=-0.8),
    cue("=pls|=plz|=plx|=plez|=pleeease", formality=-0.8, polite=True),
    cue(
        "=lol|=lmao|=lmfao|=rofl|=omg|=wtf|=smh|=tbh|=btw|=idk|=imo|=imho|=ikr|=ngl|=afaik"
        "|=haha|=hahaha|=hehe",
        formality=-0.7,
    ),
    cue("=thx|=thanx|=thnx|=tnx|=ty|=tysm", "=thank =u", formality=-0.6, polite=True),
    cue("=gonna|=wanna|=gotta|=kinda|=sorta|=dunno|=ain't|=lemme|=gimme|=ya'll", formality=-0.6),
    cue("=dude|=bro|=mate|=buddy", formality=-0.5),
    cue("=guys", formality=-0.3),
    cue("=ok|=okay|=k|=kk|=okey", formality=-0.3),
    cue("=yeah|=yep|=yup|=nope|=nah", formality=-0.4),
)
MORE_DETAIL = cue(
    "подробн*|поподробн*|=подробней|детальн*",
    "расскаж* ~ =больше|подробн*|=детальнее",
    "=больше =информации|=деталей|=подробностей|=инфы|=инфо",
    "=разверните|развернут*",
    "=more =detail|=details|=info|=information|=specific|=specifics",
    "=tell =me =more",
    "elaborat*",
    "=explain ~ =more|=further|=detail",
    "=in =detail|=depth",
    "=go =on",
    "=expand =on",
    feedback=1,
)
SHORTER = cue(
    "покороч*|=вкратце|=кратко|=кратенько|=коротко",
    "=слишком|=очень|=чересчур|=многовато ~ длинн*|=много|подробн*|=долго",
    "=много =букв",
    "=многабукф|=многабукаф|=многобукв|=тлдр",
    "=в =двух =словах",
    "=ближе =к =делу|=сути",
    "=только =суть",
    "=можно|пиши*|отвеч*|давай*|говори*|объясн*|=еще|=чуть|=немного|=пожалуйста =короче",
    "=короче =пожалуйста|=плиз|=плз|=пж",
    "=too =long|=wordy|=verbose",
    "=tl =dr",
    "=tldr",
    "=shorter =please|=answer|=answers|=version|=reply|=replies|=pls",
    "=be =shorter|=brief|=concise|=quick|=briefer",
    "=keep =it =short|=brief|=shorter",
    "=get =to =the =point",
    "=summarize|=summarise =it|=please|=pls",
    feedback=-1,
)
HURRY = cue(
    "срочн*|=безотлагательно|=немедленно|=незамедлительно",
    "=побыстрее|=поскорее|=быстрее",
    "=как =можно =скорее|=быстрее|=раньше",
    "=прямо =сейчас",
    "=сегодня =же",
    "=тороплюсь|=спешу|=торопимся|=спешим",
    "=горят =сроки",
    "=сроки =горят",
    "=asap|urgen*|=immediately",
    "=an =emergency",
    "=right =now|=away",
    "=straight =away",
    "=as =soon|=fast|=quickly =as =possible",
    "=hurry",
    "=in =a =rush",
    hurry=1,
)
NOT_HURRY = cue(
    "=не срочн*",
    "=не =так|=очень|=особо|=сильно|=слишком|=настолько|=нужно|=надо|=обязательно срочн*",
    "=не =нужно|=надо|=обязательно =немедленно|=сегодня",
    "=не =спешу|=тороплюсь|=спешим|=торопимся",
    "=что|=кто|=какой|=какая|=какое|=какие|=где|=куда ~1 =быстрее",
    "=быстрее =чем",
    "=not|=isn't|=isnt|=nothing|=never urgen*",
    "=not =that|=so|=very|=really|=super|=too urgen*",
    "=no|=don't|=dont|=never =hurry",
    "=no =need =to =hurry",
    "=not =in =a =hurry|=rush",
    "=no =big|=real =hurry",
    hurry=-1,
)
CUES: tuple[Cue, ...] = (
    *FORMAL_RU, *CASUAL_RU, *FORMAL_EN, *CASUAL_EN, MORE_DETAIL, SHORTER, HURRY, NOT_HURRY,
)  # fmt: skip
