"""Cue tables of the style analyser: formality, politeness, feedback, urgency, churn threats,
clarification requests, impatience and indecision.

Each `Cue` is a set of `profiling.text.vocabulary.PhraseMatcher` patterns and what it says about
the writing: a signed push towards formal or casual, politeness, a request for more detail
or for shorter answers, a hurry, or a threat to leave the shop. `profiling.text.style` scans a
message once with all of them.

Feedback on length must point at the bot's *text*: «много букв», «слишком длинно», "too long
to read", "tl;dr". «Слишком долго», «очень долго ждать», "took too long" are about waiting
and «слишком много сахара» about a product, so none of them asks for shorter answers.
Confusion («не понял», «поясните», "what do you mean?") asks for more detail.

Hurry words are deliberately plain requests for speed or deadlines («срочно», «как можно
скорее», «нужно сегодня», "asap", "need it by tomorrow"). A hurry word inside a `NOT_HURRY`
phrase does not count: negated («не срочно», "not urgent", "no need to hurry"), comparing
(«что быстрее», "faster than") or asking about urgency ("is it urgent to descale?", "how
quickly do you ship?"). «Горит» alone is not a hurry word here: in a shop of machines «горит
индикатор» is a fault report.

Churn threats are first-person statements about the shop («больше не закажу», «ухожу к
конкурентам», "never ordering again", "cancel my account"). `STAYS` takes them back where
the same words say the opposite («больше никогда не куплю в другом месте», "I'm not going to
another shop", "I'll never order anywhere else again"). Fault reports that share the words
("it won't turn on again") do not match: the verbs must be about buying or the shop.
"""

from __future__ import annotations

from dataclasses import dataclass


# Identity equality (eq=False): cues key per-message dicts, and hashing every pattern of a
# cue on each lookup would cost more than the scan itself.
@dataclass(frozen=True, slots=True, eq=False)
class Cue:
    patterns: tuple[str, ...]  # `PhraseMatcher` patterns; any of them fires the cue
    formality: float = 0.0  # signed push towards formal (+) or casual (-)
    polite: bool = False
    feedback: int = 0  # +1 asks for more detail, -1 asks for shorter answers
    hurry: int = 0  # +1 says the customer is in a hurry, -1 takes a hurry word back
    leave: int = 0  # +1 threatens to stop buying here, -1 takes such words back
    # Whether the cue says something beyond formality and politeness (feedback, hurry,
    # churn, or a phrase that takes one of those back); such cues are kept with their spans.
    meaning: bool = False


def cue(
    *patterns: str,
    formality: float = 0.0,
    polite: bool = False,
    feedback: int = 0,
    hurry: int = 0,
    leave: int = 0,
) -> Cue:
    meaning = bool(feedback or hurry or leave) or not (formality or polite)
    return Cue(patterns, formality, polite, feedback, hurry, leave, meaning)


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
# Not having understood the answer asks for a fuller one.
CONFUSED = cue(
    "=не =понял|=поняла|=поняли|=понимаю|=понятно|=ясно|=разобрался|=разобралась",
    "=не =совсем|=очень|=так|=вполне|=сразу|=особо =понял|=поняла|=поняли|=понимаю|=понятно|=ясно",
    "=непонятно|=неясно",
    "=поясните|=поясни|=разъясните|=разъясни",
    "=объясните|=объясни =пожалуйста|=плиз|=пж|=понятнее|=нормально|=толком|=еще|=подробнее",
    "=можете|=можешь|=могли|=можно ~1 =объяснить|=пояснить|=разъяснить",
    "=что =значит|=означает",
    "=что ~1 =имеете|=имеешь|=имели|=имелось =в =виду",
    "=don't|=dont|=didn't|=didnt|=not|=doesn't =understand",
    "=explain =please|=pls|=plz|=again|=that|=this|=it",
    "=please|=pls|=plz =explain|=clarify",
    "=can|=could|=would =you ~1 =explain|=clarify",
    "=what =do|=does|=did ~2 =mean",
    "=what =you =mean",
    "=i'm|=im|=am =confused|=lost",
    "=answer|=reply|=message|=explanation =is|=was =confusing|=unclear",
    feedback=1,
)
# Confusion about the world rather than about the answer: «не понимаю, почему так долго»,
# "I don't understand why I was charged", "can you explain why the fee..." are questions
# or complaints, not a request for a fuller reply.
ASKS_ABOUT = cue(
    "=не =понял|=поняла|=поняли|=понимаю|=понятно|=ясно ~1 =почему|=зачем|=как|=кто|=откуда"
    "|=куда|=когда|=где",
    "=непонятно|=неясно ~1 =почему|=зачем|=как|=кто|=откуда|=куда|=когда|=где|=что",
    "=don't|=dont|=didn't|=didnt|=not|=doesn't =understand ~2 =why|=how|=what|=where|=who"
    "|=when|=whether|=if|=the|=your",
    "=please|=pls|=plz =explain|=clarify ~3 =why|=how|=what|=where|=who|=when|=whether|=if|=the"
    "|=your|=my|=a|=an",
    "=can|=could|=would =you ~2 =explain|=clarify ~3 =why|=how|=what|=where|=who|=when|=whether"
    "|=if|=the|=your|=my|=a|=an",
    "=explain|=clarify ~2 =why|=how|=what|=where|=who|=when|=whether|=if|=the|=your|=my|=a|=an",
)
SHORTER = cue(
    "покороч*|=вкратце|=кратко|=кратенько|=коротко",
    # Only length words that describe writing: «слишком долго» is about waiting.
    "=слишком|=очень|=чересчур|=многовато =длинно|=многословно",
    "=слишком|=чересчур =подробно|=развернуто",
    "=слишком|=чересчур|=очень ~1 длинн*|=большой|=большое|=большие|огромн* текст*|ответ*"
    "|сообщени*|=простыня|=простыню",
    "текст*|ответ*|сообщени* ~2 =слишком|=очень|=чересчур длинн*|=большие|=большой|огромн*",
    "=много|=многовато|=столько =букв|=текста|=слов",
    "=многабукф|=многабукаф|=многобукв|=тлдр",
    "=в =двух =словах",
    "=ближе =к =делу|=сути",
    "=только =суть",
    "=можно|пиши*|отвеч*|давай*|говори*|объясн*|=еще|=чуть|=немного|=пожалуйста =короче",
    "=короче =пожалуйста|=плиз|=плз|=пж",
    "=too =long =to|=didn't|=didnt|=dont|=don't =read",
    "=too|=so|=very|=really|=way ~1 =long =answer|=answers|=reply|=replies|=message|=messages"
    "|=text|=texts|=response|=responses",
    "=answer|=answers|=reply|=replies|=message|=messages|=text|=texts|=response|=responses"
    " ~2 =too|=so|=very =long|=wordy",
    "=too =wordy|=verbose",
    "=too =much =text|=reading|=detail|=details",
    "=wall =of =text",
    "=tl =dr",
    "=tldr",
    "=shorter =please|=answer|=answers|=version|=reply|=replies|=pls",
    "=be =shorter|=brief|=concise|=briefer",
    "=keep =it =short|=brief|=shorter",
    "=get =to =the =point",
    "=summarize|=summarise =it|=please|=pls",
    feedback=-1,
)
_DAYS = "=monday|=tuesday|=wednesday|=thursday|=friday|=saturday|=sunday|=weekend"
HURRY = cue(
    "срочн*|=безотлагательно|=немедленно|=незамедлительно",
    "=побыстрее|=поскорее|=быстрее",
    "=как =можно =скорее|=быстрее|=раньше",
    "=прямо =сейчас",
    "=сегодня =же",
    "=тороплюсь|=спешу|=торопимся|=спешим",
    "=горят =сроки",
    "=сроки =горят",
    # A deadline: «нужно сегодня», «надо быстро», «успеть к пятнице».
    "=нужно|=надо|=нужна|=нужен|=нужны|=необходимо ~2 =сегодня|=быстро",
    "=быстро =пожалуйста|=плиз|=пж|=надо|=нужно",
    "=ответьте|=ответь|=отвечайте|=пришлите|=отправьте|=доставьте|=сделайте =быстро",
    "=нужно|=надо|=нужна|=нужен|=нужны|=успеть|=успеете|=успеем|=доставьте|=привезите"
    "|=пришлите ~2 =к =завтра|=завтрашнему|=вечеру|=утру|=понедельнику|=вторнику|=среде"
    "|=четвергу|=пятнице|=субботе|=воскресенью|=выходным",
    "=asap|urgen*|=immediately",
    "=an =emergency",
    "=right =now|=away",
    "=straight =away",
    "=as =soon|=fast|=quickly =as =possible",
    "=hurry",
    "=in =a =rush",
    "=quickly",
    "=need|=needs|=needed ~3 =today|=tonight|=tomorrow",
    f"=need|=needs|=needed ~3 =by|=before|=for ~1 {_DAYS}",
    "=by =today|=tonight|=tomorrow",
    hurry=1,
)
NOT_HURRY = cue(
    "=не срочн*",
    "=не =так|=очень|=особо|=сильно|=слишком|=настолько|=нужно|=надо|=обязательно срочн*",
    "=не =нужно|=надо|=обязательно =немедленно|=сегодня|=завтра|=быстро",
    "=не =спешу|=тороплюсь|=спешим|=торопимся",
    "=что|=кто|=какой|=какая|=какое|=какие|=где|=куда ~1 =быстрее",
    "=быстрее =чем",
    "=насколько|=как =срочно|срочн*",
    "срочн* =ли",
    "=not|=isn't|=isnt|=nothing|=never urgen*",
    "=not =that|=so|=very|=really|=super|=too urgen*",
    # A question about urgency is not a hurry: "is it urgent to descale?"
    "=is|=was|=are =it|=this|=that|=descaling|=cleaning|=there ~1 urgen*",
    "=how =urgent|=urgently|=quickly|=soon|=fast",
    "=so|=too|=very|=pretty|=really|=that|=this =quickly",
    "=happen|=happens|=arrive|=arrives|=go|=goes =quickly",
    "=no|=don't|=dont|=never =hurry",
    "=no =need =to =hurry",
    "=not =in =a =hurry|=rush",
    "=no =big|=real =hurry",
    "=don't|=dont|=not|=doesn't|=no =need|=needed ~3 =today|=tonight|=tomorrow|=by|=quickly",
    hurry=-1,
)
_BUY_RU = (
    "=закажу|=закажем|=куплю|=купим|=обращусь|=обратимся|=приду|=придем|=вернусь|=вернемся"
    "|=возьму|=возьмем|=воспользуюсь"
)
_BUYING_RU = "=заказывать|=покупать|=брать|=обращаться|=пользоваться|=связываться"
_ELSEWHERE_RU = "=нигде|=другом|=других|=другой|=другие|=другое|=другую|=кроме"
_BUY_EN = (
    "=buy|=buying|=order|=ordering|=shop|=shopping|=purchase|=purchasing|=use|=using"
    "|=recommend|=recommending|=deal|=dealing"
)
_SHOP_EN = (
    "=shop|=shops|=store|=stores|=seller|=sellers|=company|=companies|=site|=website"
    "|=supplier|=retailer"
)
LEAVES = cue(
    f"=больше|=никогда ~3 =не ~2 {_BUY_RU}",
    f"=больше|=никогда ~2 =не =буду|=будем|=стану|=станем ~2 {_BUYING_RU}",
    f"=не =буду|=будем|=стану|=станем =больше|=никогда ~2 {_BUYING_RU}",
    f"=не {_BUY_RU} =больше|=никогда",
    # «Больше никогда» on its own is handled in `profiling.text.style`: inside a longer message
    # it needs the shop or buying next to it («больше никогда к вам»), because «никогда
    # больше не пил такого кофе» is praise.
    f"=больше|=никогда =никогда|=больше ~3 {_BUY_RU}|{_BUYING_RU}|=вам|=вас|=вами|ваш*|=сюда",
    "=ухожу|=уйду|=пойду|=перейду|=перехожу|=уходим|=уйдем ~2 конкурент*",
    "=ухожу|=уйду|=перейду|=перехожу|=уходим|=уйдем|=пойду ~2 =другой|=другим|=другому"
    "|=другие|=другого|=другую|=другое магазин*|продав*|сайт*|компани*|поставщик*",
    "=ухожу|=уходим =от =вас",
    f"{_BUY_RU}|{_BUYING_RU} ~3 конкурент*",
    f"{_BUY_RU}|{_BUYING_RU} ~3 =другом|=других|=другой магазин*|=месте|компани*|сайт*",
    "=отпишусь|=отписываюсь|=отписываемся",
    "=удалю|=удаляю|=удалим|=удаляем|=снесу|=сношу ~2 =приложение|=приложуху|=бота|=аккаунт"
    "|=профиль|=чат",
    "=удалите|=закройте ~2 =аккаунт|=профиль|=учетную",
    "=отказываюсь|=откажусь|=откажемся =от =вас|=ваших|=вашего|=вашей|=услуг",
    "=ноги =моей|=нашей",
    "=ни =ногой",
    "=потеряли|=потеряете =клиента|=покупателя|=клиентку",
    "=последний =раз ~3 =заказываю|=покупаю|=беру|=обращаюсь|=пользуюсь",
    "=never ~ =again",
    f"=won't|=wont|=never ~2 {_BUY_EN} ~2 =again|=here|=you|=anymore",
    f"=will =not ~2 {_BUY_EN} ~2 =again|=here|=anymore",
    f"=not {_BUY_EN} ~2 =again|=here|=anymore",
    "=never ~2 =come|=coming =back",
    "=won't|=wont|=never =be =back",
    f"=no =more|=longer {_BUY_EN}",
    "=i'm|=im|=am|=we're =done =with =you|=y'all|=u",
    f"=done =with =your|=this|=the {_SHOP_EN}|=service|=business",
    f"=going|=go|=switching|=switch|=moving|=move =to ~1 =another|=other|=different {_SHOP_EN}",
    "=going|=go|=switching|=switch|=moving|=move =to ~1 =competitor|=competitors|=competition",
    "=take|=taking =my =business|=money =elsewhere",
    "=buy|=order|=ordering|=shop|=shopping =elsewhere",
    "=cancel|=delete|=close|=remove|=cancelling|=canceling|=closing|=deleting ~1 =account"
    "|=membership|=subscription|=profile",
    "=unsubscribing|=i'll =unsubscribe",
    "=lost =a|=another|=me ~2 =customer|=client",
    "=last =time =i =buy|=order|=shop|=use",
    leave=1,
)
STAYS = cue(
    # Loyalty in the same words: «больше никогда не куплю в другом месте», "I'll never
    # order anywhere else".
    f"=больше|=никогда ~2 =не {_BUY_RU} ~1 {_ELSEWHERE_RU}",
    f"=больше|=никогда ~2 =не =буду|=будем|=стану {_BUYING_RU} ~1 {_ELSEWHERE_RU}",
    "=больше|=никогда =нигде",
    "=не =уйду|=ухожу|=пойду|=перейду|=перехожу|=отпишусь|=удалю|=откажусь",
    # «Отпишусь» is also "I'll write back": «отпишусь сюда по результату».
    "=отпишусь|=отпишемся =сюда|=здесь|=тут|=по|=о|=об|=как|=когда|=позже|=потом|=вам|=тебе"
    "|=в|=обязательно|=завтра",
    f"=never ~2 {_BUY_EN} ~2 =else|=elsewhere|=anywhere|=anyone|=another|=other|=different",
    "=not|=never|=won't|=wont =going|=go|=switching|=switch|=moving|=move|=leaving|=leave",
    "=don't|=dont|=not|=never =cancel|=delete|=close|=unsubscribe",
    # "did you cancel my subscription?" is a complaint about the shop's doing.
    "=you|=you've|=they =cancel|=cancelled|=canceled|=close|=closed|=delete|=deleted",
    "=you|=they =have|=just|=guys =cancelled|=canceled|=closed|=deleted",
    leave=-1,
)
# Not following the answer: the customer asks what it meant («в каком смысле?», "I don't get
# it"). With CONFUSED (and the bare «что?», «в смысле?», "huh?" of `profiling.text.style`)
# it sets `asks_clarification`.
CLARIFY = cue(
    "=в =каком =смысле",
    "=не =въехал|=въехала|=догоняю|=догнал|=догнала|=врубился|=врубилась",
    "=это =как|=как =это ~1 =понимать",
    "=don't|=dont|=didn't|=didnt =get =it|=that|=this|=you",
    "=don't|=dont|=didn't|=didnt|=not =follow|=following",
    "=what =are =you =talking|=saying",
    "=come =again",
    "=say =what",
)
# Impatience: calling out to a silent chat («алло», «ау», «эй, есть кто?», "anyone there?",
# "hello??"). The bare words are matched as whole messages in `profiling.text.style`.
IMPATIENT = cue(
    "=есть =кто ~1 =живой|=живые|=тут|=здесь|=там|=вообще|=на",
    "=есть =кто-нибудь|=кто-то",
    "=вы =там|=тут =живые|=вообще|=есть|=уснули|=умерли|=заснули",
    "=мне =ответят|=ответит",
    "=ответит =кто-нибудь|=кто-то|=кто",
    "=сколько =можно =ждать",
    "=anyone|=anybody|=somebody|=someone =there|=here|=home|=alive|=awake",
    "=is =anyone|=anybody|=somebody|=someone ~1 =there|=here|=reading|=answering|=working",
    "=are =you =there|=alive|=awake|=ignoring",
    "=hello ~1 =anyone|=anybody|=somebody|=someone",
    "=why =no =answer|=reply|=response",
    "=answer =me",
)
# Indecision is not a complaint: «всё никак не могу выбрать», «не знаю, что выбрать», "I
# still can't decide" are a buyer choosing (doubting), never "sorry for the wait".
UNDECIDED = cue(
    "=не =могу|=можем|=получается ~2 =выбрать|=определиться|=решить|=решиться|=выбрать",
    "=никак ~2 =выбрать|=определиться|=решить|=решиться",
    "=не =знаю|=знаем ~2 =что|=какой|=какую|=какое|=какие|=который|=которую|=кого ~1 =выбрать"
    "|=взять|=купить|=заказать|=брать",
    "=не =знаю|=знаем ~1 =какой|=какую|=какое|=какие|=что =лучше",
    "=сомневаюсь|=колеблюсь ~2 =между|=какой|=какую|=что|=брать|=взять|=выбрать",
    "=разрываюсь =между",
    "=can't|=cant|=cannot|=couldn't|=unable ~2 =decide|=choose|=pick",
    "=can't|=cant|=cannot|=couldn't =make =up =my =mind",
    "=still|=yet ~2 =deciding|=undecided|=choosing|=torn",
    "=undecided|=indecisive",
    "=torn =between",
    "=don't|=dont =know ~2 =which|=what ~2 =to ~1 =choose|=pick|=buy|=get|=order",
    "=not =sure ~2 =which|=what ~2 =to ~1 =choose|=pick|=buy|=get|=order",
    "=help =me =choose|=decide|=pick",
)
CUES: tuple[Cue, ...] = (
    *FORMAL_RU, *CASUAL_RU, *FORMAL_EN, *CASUAL_EN, MORE_DETAIL, CONFUSED, ASKS_ABOUT, SHORTER,
    HURRY, NOT_HURRY, LEAVES, STAYS, CLARIFY, IMPATIENT, UNDECIDED,
)  # fmt: skip
