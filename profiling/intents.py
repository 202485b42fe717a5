"""What a customer wants: rule-based intent detection for Russian and English.

Each intent has weighted cue patterns (see `profiling.vocabulary.PhraseMatcher` for the
syntax). A message scores the sum of the distinct, non-overlapping cues it contains per
intent; the best substantive intent wins when it reaches `MIN_SCORE`. Greetings and thanks
are chosen only when nothing substantive is asked («Привет! Где мой заказ?» is about the order).

Weights: 3 a cue that names the intent by itself («возврат», "refund"), 2-2.5 a strong
hint, 1-1.5 a hint that needs company, 0.5 context only. Ties go to the intent listed first
in `_SUBSTANTIVE`: the more urgent/operational one (a delivery that is also a complaint is
handled as a complaint).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from profiling.text import PreparedText
from profiling.types import Intent, IntentResult
from profiling.vocabulary import PhraseMatcher

MIN_SCORE = 1.5  # below this nothing substantive was asked: the message is "other"
_CONFIDENCE_SCALE = 2.5  # a score of 2.5 gives 63 % strength, 5 gives 86 %
_QUESTION_ABOUT_PRODUCT = 1.5  # a question that names a configured product

# Substantive intents in tie-break order: the more operational intent wins a tie.
_SUBSTANTIVE = (
    Intent.HUMAN_REQUEST, Intent.RETURN_REFUND, Intent.COMPLAINT, Intent.WARRANTY,
    Intent.ORDER_STATUS, Intent.DELIVERY, Intent.COMPARISON, Intent.PRICE, Intent.BOOKING,
    Intent.PRODUCT_QUESTION,
)  # fmt: skip
_PRIORITY: dict[Intent, int] = {intent: rank for rank, intent in enumerate(_SUBSTANTIVE)}
_SOCIAL: dict[Intent, int] = {Intent.GREETING: 0, Intent.THANKS: 1}

_MY_RU = "=мой|=моего|=моему|=моим|=моем|=мои|=моих|=моя|=мою|=моей"
_NOT_EN = (
    "=not|=doesn't|=don't|=isn't|=won't|=didn't|=can't|=cannot|=wont|=doesnt|=isnt|=dont"
    "|=didnt|=cant|=stopped|=never|=aren't|=wasn't|=wasnt|=hasn't|=haven't|=hasnt|=havent"
    "|=couldn't|=unable"
)
_RECEIVE_EN = (
    "=arrived|=received|=recieved|=come|=came|=shown|=delivered|=reached|=arrive|=receive"
    "|=recieve|=gotten|=turned"
)

# (intent, weight, patterns)
_RULES: tuple[tuple[Intent, float, tuple[str, ...]], ...] = (
    # --- order status: an existing order, where it is, why it is late
    (Intent.ORDER_STATUS, 3.5, ("=how =much =longer",)),
    (Intent.ORDER_STATUS, 3.0, (
        "статус* ~ заказ*|посылк*|отправлени*|доставк*|покупк*",
        "=где ~ заказ*|посылк*|отправлени*|покупк*|товар*|заказанн*|=мой|=моя|=мои",
        "=order|=orders =status",
        "=status ~ =order|=orders|=package|=parcel|=shipment|=delivery|=purchase",
        "=where ~ =order|=package|=parcel|=shipment|=delivery|=purchase|=stuff|=item|=items",
    )),
    (Intent.ORDER_STATUS, 2.5, (
        "=когда ~ прид*|приед*|привез*|отправ*|отгруз*|достав*|=получу|=пришлете|=пришлют",
        "track",
        "трек*|отслед*|трекинг*",
        "=where ~2 =my|=our",
        "=still =waiting",
        "=still ~1 =hasn't|=haven't|=not|=no|=didn't|=hasnt|=havent|=isn't ~1 =arrived"
        "|=received|=come|=got|=gotten|=shown|=delivered|=here|=sign|=update|=word|=news",
        "=when ~5 =arrive|=arriving|=arrives|=come|=coming|=ship|=shipped|=dispatched"
        "|=delivered|=reach|=sent|=send|=receive|=recieve|=expect",
        "=still =don't|=dont|=didn't|=didnt =have|=get",
        "=in =transit",
        "=en|=on =route",
        "=still =coming",
    )),
    (Intent.ORDER_STATUS, 2.0, (
        f"{_MY_RU} заказ*|посылк*|покупк*",
        "=жду|=ждем|=ждал|=ждала|=ждали|ожида* ~ =неделю|=недели|=недель|=месяц|=месяца"
        "|=дня|=дней|=день|=часа|=часов|=давно|=заказ|=заказа|=посылку|=доставку",
        "=не =пришел|=пришла|=пришло|=пришли|=доставили|=получил|=получила|=получили|=приехал"
        "|=приехала|=привезли|=отправили|=дошел|=дошла|=дошло|=поступил|=поступили",
        "задерж*",
        "=pending",
        f"{_NOT_EN}|=yet ~2 {_RECEIVE_EN}",
        "=didn't|=didnt|=never =get|=got|=receive|=received|=recieve",
        "=did =not =get|=receive|=received|=recieve",
        "=yet =to =receive|=arrive|=get|=see",
        "=my =order|=package|=parcel|=shipment|=delivery",
        "=waiting|=waited|=wait ~3 =week|=weeks|=days|=day|=month|=months|=ages",
        "=been =waiting",
        "=not|=isn't|=isnt|=aren't =here",
        "=sent|=send|=shipped|=dispatched ~3 =yet",
        "=update|=updates|=news ~1 =on|=about|=regarding",
        "=what =happened =to",
        "=expect|=expected ~3 =receive|=recieve|=arrive|=delivery|=get",
        "=how ~2 =longer",
        "=wait|=waiting ~2 =longer",
        "=taking|=takes|=took ~2 =long|=forever|=ages",
        "=haven't|=havent|=hasn't|=hasnt|=not|=never ~1 =got|=gotten",
        "=don't|=dont|=didn't|=didnt =have =my",
        "=by =now",
        "=supposed =to ~1 =arrive|=be|=come",
    )),
    (Intent.ORDER_STATUS, 1.5, (
        "=до =сих =пор",
        "отправлен*|=отправили|=отправлено|отгруз*",
        "=delayed|=delay|=late|=overdue",
        "=shipped|=dispatched",
        "=on =its|=the =way",
        "=when ~ =get",
        "=status",
        "=how =long ~2 =take|=takes|=arrive|=deliver|=delivery|=ship|=shipping|=wait|=until"
        "|=till|=for|=get|=receive|=recieve|=be",
    )),
    (Intent.ORDER_STATUS, 1.0, (
        "=заказ|=заказа|=заказу|=заказом|=заказе|=заказы|=заказов",
        "=номер =заказа",
        "=ordered|=arrived|=arrival|=arrive|=waiting|=waited|=still|=wait",
        "=my =purchase",
    )),
    (Intent.ORDER_STATUS, 1.0, (
        "=where =is|=are|=does|=did",
        "=where's",
    )),
    # --- delivery: how, where, how fast and for how much things are delivered
    (Intent.DELIVERY, 3.0, (
        "самовывоз*",
        "пункт* ~1 выдач*",
        "=забрать ~1 =сам|=самому|=самой|=самостоятельно",
    )),
    (Intent.DELIVERY, 2.5, (
        "достав*",
        "курьер*",
        "=пвз|сдэк*|=cdek|боксберри|=boxberry",
        "=почта =россии",
        "deliver*",
        "ship*",
        "courier*",
        "postage",
        "=post =office",
        "=dhl|=ups|=fedex|=usps",
        "=royal =mail",
        "=do =you =ship|=deliver",
    )),
    (Intent.DELIVERY, 4.0, (
        # The price *of delivery* is a delivery question, not a price one: the phrase
        # outweighs both «доставка» (2.5) and «сколько стоит» (3.0) on their own.
        "=сколько|=стоимость|=цена|=стоит ~2 достав*|курьер*|пересылк*",
        "=how =much ~2 ship*|deliver*|postage",
        "=cost|=costs|=price ~2 ship*|deliver*|postage",
    )),
    (Intent.DELIVERY, 1.5, (
        "=почтой|=почта|=шипинг|привоз*|=привезете|=привезти",
        "=отправка|=отправку|=отправки",
        "=по =россии",
        "=за =мкад",
        "=pickup|=pick-up|=dispatch|=postal|expedit*",
        "=pick ~1 =up",
    )),
    (Intent.DELIVERY, 1.0, (
        "=international|=address|=адрес|=адресу|=адреса|=регион|=регионы|=mail",
    )),
    # --- return and refund: give it back, get the money back, cancel
    # A phrase around a strong cue carries the cue's weight plus its context: overlapping
    # cues of one intent are counted once, at the weight of the strongest.
    (Intent.RETURN_REFUND, 4.5, (
        "=give|=issue|=want|=need|=get|=request|=like|=owe ~2 refund*",
        "=waiting|=wait|=waited|=still|=status|=update|=where ~3 refund*",
        f"refund* ~3 {_NOT_EN}",
    )),
    (Intent.RETURN_REFUND, 3.0, (
        "возврат*|возвращ*",
        "=верните|=вернете|=вернуть|=вернут|=вернули|=вернула|=вернул ~ =деньги|=денег"
        "|=средства|=оплату|=товар|=заказ|=сумму|=предоплату",
        "=деньги =назад|=обратно",
        "=деньги|=средства ~ =не =вернули|=вернулись|=пришли|=поступили|=зачислили",
        "refund*",
        "=money =back",
        "reimburs*",
        "=chargeback",
        "=return ~1 =it|=this|=them|=item|=items|=order|=product|=purchase|=one",
        "=cancel|=canceling|=cancelling|=cancelled|=canceled|=cancellation ~2 =order|=purchase"
        "|=purchases|=payment|=charge|=subscription|=it",
        "=order|=purchase|=purchases|=payment ~3 =cancel|=canceled|=cancelled",
        "=back =my =money",
        "=хочу|=хотим|=хотел|=хотела|=можно|=могу|=как ~1 =вернуть|=обменять|=сдать",
        "=want|=like|=how ~2 =return",
        "=return|=returns|=refund =policy",
    )),
    (Intent.RETURN_REFUND, 2.5, (
        "обмен*|=обменять",
        "компенсац*|компенсир*",
        "=send|=sending|=ship ~1 =back",
    )),
    (Intent.RETURN_REFUND, 2.0, (
        "=верните|=вернуть|=вернете|=вернут",
        "=отменить|=отмените|=отмену|=отмена|=отмены|=отказаться|=откажусь",
        "=не =подошел|=подошла|=подошло|=подошли|=подходит",
        "=return|=returns|=returned|=returning",
        "=exchange ~1 =it|=this|=them|=item|=items|=size|=one|=product",
        "=stop|=retract|=withdraw ~2 =payment|=purchase|=charge",
        "=reversed|=reverted|=reversal",
        "=жду|=ждем|=ждал|=ждала|ожида* ~3 возврат*|=деньги|=денег|=средства",
    )),
    (Intent.RETURN_REFUND, 1.0, ("=my =money", "=reverse")),
    # --- complaint: something is wrong and the customer says so
    (Intent.COMPLAINT, 3.0, (
        "жалоб*|пожаловат*|=жалуюсь|претензи*",
        "брак|бракован*",
        "сломан*|=сломался|=сломалась|=сломалось|=сломали|разбит*|=разбилась|=разбился"
        "|поврежд*|=треснул|=треснула|трещин*|порван*|=порвали|=помят|=помята|=помятая"
        "|=помятую|испорчен*|=протекает|=течет",
        "=перестал|=перестала|=перестало ~1 =работать|=включаться",
        "=прислали|=привезли|=пришел|=пришла|=доставили ~ =не =тот|=та|=то|=те",
        "=списали|=сняли|=списалось ~1 =дважды",
        "=двойное =списание",
        "complain*",
        "=broken|=broke|=damaged|=defective|=faulty|=cracked|=torn|=dented|=smashed"
        "|=shattered|=leaking|=leaks|=spoiled|=stale|=rotten|=moldy",
        "=wrong ~1 =item|=items|=order|=size|=color|=colour|=product|=amount|=thing|=package"
        "|=parcel|=charge|=change",
        "=charged|=billed|=paid|=charging ~1 =twice",
        "=double|=duplicate =charge|=charged|=charges|=payment|=payments|=transaction|=billing",
        "=not =what =i =ordered",
    )),
    (Intent.COMPLAINT, 2.5, (
        "=не =работает|=работают|=включается|=включаются|=заряжается|=греет|=мелет|=варит"
        "|=срабатывает|=проходит",
        "=перепутали|недовлож*|некачествен*",
        "=плохое|=плохой|=плохо =качество|=обслуживание|=сервис",
        "отклон*",
        f"{_NOT_EN} ~2 =work|=working|=works|=worked|=function|=functioning|=charging",
        "=declined|=decline|=declines|=declining|=rejected|=reject|=rejects|=refused|=denied",
        "=poor|=bad|=low =quality|=service",
    )),
    (Intent.COMPLAINT, 2.0, (
        "=ужас|ужасн*|=кошмар|безобраз*|отвратит*|=позор|=хамство|=нахамили|хамск*|=обман"
        "|обманул*|=развод|мошенни*|недовол*|невкусн*|просрочен*|взлом*|=хамят|=хамит|=хамили"
        "|=хамил|=хамила",
        "=не =хватает|=доложили|=положили",
        "=terrible|=awful|=horrible|=unacceptable|=disgusting|=ridiculous|=worst|=pathetic"
        "|=outrageous|=appalling|=useless",
        "=rude|=scam|=scammed|=fraud|=fraudulent|=ripped|=rip-off|=cheated|=hacked|=compromised",
        "=disappointed|=dissatisfied|=unhappy|=upset|=frustrated|=angry",
        "=not =happy|=satisfied",
        "=missing",
        f"{_NOT_EN} ~3 =use|=using|=pay|=access",
        "=can't|=cannot|=cant|=couldn't|=unable =get ~4 =work|=working",
        "=no =longer ~1 =work|=works|=working",
        "=never|=not|=won't|=wont|=doesn't|=didn't ~1 =go|=goes|=went =through",
        "=not|=won't|=wont|=doesn't|=don't|=didn't =accept|=accepted|=accepting",
        "=non-functional|=malfunction|=malfunctioning",
        "=wrong =with",
        "=only =got|=received|=gave|=get|=came|=arrived",
        "=less =than",
        "=didn't|=didnt =get|=receive =all|=enough|=everything",
        "=did =not =get|=receive =all|=enough|=everything",
        "=didn't|=didnt|=doesn't|=doesnt =match",
        "=did|=does =not =match",
        "=problem|=issue|=issues|=problems|=trouble ~1 =with",
        "проблем* ~1 =с|=со",
    )),
    (Intent.COMPLAINT, 1.5, ("проблем*|=problem|=problems|=error|=glitch|=bug|ошибк*",)),
    (Intent.COMPLAINT, 1.0, ("=twice|=failed|=fail|=fails|=stolen|=дважды|=грязный|=грязная",)),
    # --- warranty and repair
    (Intent.WARRANTY, 3.0, (
        "гаранти*",
        "сервисн* =центр|=центры|=центре|=центра",
        "warrant*",
    )),
    (Intent.WARRANTY, 2.5, (
        "ремонт*|почин*",
        "guarante*|repair*",
        "=service =center|=centre",
    )),
    (Intent.WARRANTY, 2.0, ("диагностик*",)),
    (Intent.WARRANTY, 1.5, ("=fix ~1 =it|=this|=my", "=replacement|=replace")),
    # --- price, discounts, promo codes, payment terms
    (Intent.PRICE, 3.0, (
        "=сколько ~1 =стоит|=стоят|=стоить|=стоил|=стоила",
        "цена|ценник*|расцен*|стоимост*|скид*|промокод*|промо-код*|купон*|прайс*",
        "=по =чем",
        "=почем",
        "=how =much",
        "pric*",
        "discount*|promo*|coupon*|voucher*",
    )),
    (Intent.PRICE, 2.5, (
        "распродаж*|рассрочк*",
        "=cost|=costs|=costing",
        "=exchange =rate|=rates",
    )),
    (Intent.PRICE, 2.0, (
        "акци*|дешев*|бонус*|кешбэк*|кэшбэк*|кешбек*|кэшбек*",
        "=cheap|=cheaper|=cheapest|=expensive|=overpriced|=pricey|=fee|=fees",
    )),
    (Intent.PRICE, 1.5, (
        "=дорого|=дороговато|=дорогой|=дорогая|=дороже",
        "=sale|=sales|=deal|=deals|=offer|=offers",
    )),
    (Intent.PRICE, 1.0, ("оплат*|=rate|=rates",)),
    # --- questions about a product: stock, sizes, how to use, advice on what to buy
    (Intent.PRODUCT_QUESTION, 3.0, ("=в =наличии", "=in =stock")),
    (Intent.PRODUCT_QUESTION, 2.5, (
        "наличи*|характеристик*|совместим*",
        "=у =вас =есть",
        "=посоветуйте|=порекомендуйте|=посоветуете|=посоветуй|=посоветовать",
        "=подскажите ~1 =какой|=какую|=какие",
        "=как ~1 =пользоваться|=использовать|=настроить|=приготовить|=заварить|=заваривать"
        "|=почистить|=чистить|=включить|=подключить|=варить|=выбрать",
        "=out =of =stock",
        "=do =you =have|=sell|=carry|=stock|=offer",
        "=specs|=spec|specification*|compatib*",
        "recommend*",
    )),
    (Intent.PRODUCT_QUESTION, 2.0, (
        "=есть =ли",
        "размер|состав|материал|инструкци*|рекоменд*|поступлени*",
        "=появится|=появятся|=поступит|=поступят",
        "=купить|=приобрести|=заказать|=закажу|=куплю|=беру|=возьму",
        "=срок =годности",
        "=available|=availability|=material|=materials|=ingredient|=ingredients|=buy|=restock",
        "=made =of|=from",
        "=how =do|=to|=can|=should ~1 =use|=set|=setup|=brew|=clean|=make|=install|=assemble"
        "|=connect|=choose",
        "=does =it =have|=come|=support|=fit|=include",
        "=back =in =stock",
    )),
    (Intent.PRODUCT_QUESTION, 1.5, (
        "=подойдет|=подходит|=подойдут|=подходят|модел*|вкус*|=цвет|=цвета|=объем",
        "=suggest|=size|=sizes|=sizing",
    )),
    (Intent.PRODUCT_QUESTION, 1.0, (
        "=сорт|=сорта|=сортов|=фото|описани*|=purchase|=model|=colour|=color|=colours|=colors",
    )),
    (Intent.PRODUCT_QUESTION, 0.5, ("=есть",)),
    # --- comparison of two or more options
    (Intent.COMPARISON, 3.0, (
        "=что|=какой|=какая|=какое|=какие|=кто ~2 =лучше|=хуже|=вкуснее|=дешевле|=надежнее"
        "|=удобнее|=крепче",
        "=лучше ~ =или",
        "отлича*|отличи*|разниц*|сравн*",
        "=difference|=differences|=differ|=differs|=differentiate",
        "compar*",
    )),
    (Intent.COMPARISON, 2.5, (
        "=which|=what ~1 =better|=best",
        "=vs|=versus",
    )),
    (Intent.COMPARISON, 2.0, ("=better ~ =or|=than",)),
    (Intent.COMPARISON, 1.0, ("=than|=prefer|=чем",)),
    (Intent.COMPARISON, 0.5, ("=или|=or|=different",)),
    # --- booking a table, a slot, a class
    (Intent.BOOKING, 3.0, (
        "брон*|заброн*|резерв*|зарезерв*",
        "=book|=booking|=booked|=rebook",
        "reserv*",
        "=table =for",
        "=appointment|=appointments",
    )),
    (Intent.BOOKING, 2.5, (
        "=записаться|=запишите|=записать|=запишусь|=запись|=записи",
        "столик*",
    )),
    (Intent.BOOKING, 2.0, (
        "=на ~1 =человек|=человека|=персон|=персоны|=гостей",
        "свободн* ~1 =время|=места|=место|=столик|=окно|=окошко",
        "дегустаци*|мастер-класс*",
        "=slot|=slots",
        "=for ~1 =people|=persons|=guests",
    )),
    (Intent.BOOKING, 1.5, (
        "консультаци*|=schedule|=scheduling|=tasting|=workshop|=masterclass",
    )),
    (Intent.BOOKING, 1.0, ("=визит|=tomorrow|=tonight|=завтра|=class|=classes",)),
    # --- a human instead of the bot
    # A mention of staff is not yet a request («операторы хамят» is a complaint): nouns
    # alone stay weak, a request verb or "real/live person" makes the request.
    (Intent.HUMAN_REQUEST, 3.5, (
        "=живой|=живого|=живым|=живому|реальн* ~1 =человек|=человеком|=человеку|=человека"
        "|оператор*|менеджер*|сотрудник*",
        "=позовите|=позови|=соедините|=соедини|=переключите|=переключи|=свяжите|=свяжи|=дайте"
        "|=нужен|=нужна|=хочу|=можно ~2 оператор*|менеджер*|человек*|сотрудник*|консультант*"
        "|специалист*|администратор*|руководител*|=директора",
        "=real|=actual|=live ~1 =person|=human|=agent|=people|=someone|=operator",
        "=talk|=speak|=chat|=connect|=transfer|=put ~3 =someone|=somebody|=person|=human|=agent"
        "|=manager|=representative|=staff|=employee|=anyone|=supervisor|=operator",
    )),
    (Intent.HUMAN_REQUEST, 3.0, ("=human|=humans|=representative",)),
    (Intent.HUMAN_REQUEST, 2.0, (
        "=позовите|=позови|=соедините|=соедини|=переключите|=переключи",
        "=перезвоните|=позвоните",
        "=call =me|=back",
    )),
    (Intent.HUMAN_REQUEST, 1.5, (
        "оператор*|консультант*|=operator",
        "=поговорить|=пообщаться|=связаться ~1 =с",
        "=бот|=бота|=ботом|=боту|=робот|=роботом|=bot|=robot",
    )),
    (Intent.HUMAN_REQUEST, 1.0, (
        "=человек|=человеком|=человеку|=человека|=person",
        "менеджер*|сотрудник*|специалист*|администратор*|руководств*|=директор|=директора",
        "=manager|=supervisor|=agent|=agents|=rep|=позвонить|=звонок",
    )),
    # --- social formulas, chosen only when nothing else is asked
    (Intent.GREETING, 2.0, (
        "=привет|=приветствую|=здравствуйте|=здравствуй|=здрасьте|=хай|=салют|=прив|=хеллоу"
        "|=здарова|=приветик",
        "добр* =день|=утро|=вечер|=ночи|=дня|=времени",
        "=hi|=hello|=hey|=hiya|=howdy|=greetings|=yo",
        "=good =morning|=afternoon|=evening",
    )),
    (Intent.THANKS, 2.0, (
        "=спасибо|=спс|пасиб*|благодар*|=сенкс|=мерси|=спасибки",
        "=thanks|=thank|=thx|=ty|=thanx|=tysm|=cheers|appreciat*",
    )),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Rule:
    intent: Intent
    weight: float
    cue: int  # index of the cue (all patterns of one table row and weight share it)


_RULE_OF: tuple[_Rule, ...] = tuple(
    _Rule(intent, weight, row)
    for row, (intent, weight, patterns) in enumerate(_RULES)
    for _ in patterns
)
_MATCHER = PhraseMatcher([pattern for _, _, patterns in _RULES for pattern in patterns])


def _confidence(top: float, runner_up: float) -> float:
    """How sure we are: grows with the score, shrinks when another intent is close."""
    strength = 1.0 - math.exp(-top / _CONFIDENCE_SCALE)
    margin = (top - runner_up) / top
    return round(strength * (0.5 + 0.5 * margin), 3)


def _best(
    scores: dict[Intent, float], candidates: dict[Intent, int]
) -> tuple[Intent, float, float]:
    """The best-scoring candidate (ties by rank), its score and the runner-up's score.

    Only the few intents that scored are looked at, not every candidate.
    """
    ranked = sorted(
        (-score, candidates[intent], intent)
        for intent, score in scores.items()
        if intent in candidates
    )
    if not ranked:
        return next(iter(candidates)), 0.0, 0.0
    runner_up = -ranked[1][0] if len(ranked) > 1 else 0.0
    return ranked[0][2], -ranked[0][0], runner_up


def classify_intent(
    text: PreparedText, *, is_question: bool = False, mentions_product: bool = False
) -> IntentResult:
    """The intent of one message, with a 0..1 confidence and the phrases that decided it.

    `is_question` and `mentions_product` come from the style and topic analysers: a
    question that names one of the shop's products is most likely a question about it.
    """
    tokens = text.tokens
    scores: dict[Intent, float] = {}
    cues: dict[Intent, list[str]] = {}
    spans: dict[Intent, list[tuple[int, int]]] = {}
    fired: set[int] = set()  # one table row counts once, however often it matches
    # Strongest cues first; a cue overlapping one already counted for the same intent is
    # the same evidence seen twice («still haven't received» contains «haven't received»)
    # and does not add up, while separate phrases («где мой заказ» … «жду неделю») do.
    for rule_index, start, end in sorted(
        _MATCHER.scan(tokens), key=lambda match: -_RULE_OF[match.rule].weight
    ):
        rule = _RULE_OF[rule_index]
        if rule.cue in fired:
            continue
        taken = spans.setdefault(rule.intent, [])
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        fired.add(rule.cue)
        taken.append((start, end))
        scores[rule.intent] = scores.get(rule.intent, 0.0) + rule.weight
        cues.setdefault(rule.intent, []).append(" ".join(tokens[start:end]))
    if is_question and mentions_product:
        scores[Intent.PRODUCT_QUESTION] = (
            scores.get(Intent.PRODUCT_QUESTION, 0.0) + _QUESTION_ABOUT_PRODUCT
        )
        cues.setdefault(Intent.PRODUCT_QUESTION, []).append("question about a product")

    intent, top, runner_up = _best(scores, _PRIORITY)
    if top < MIN_SCORE:
        social, social_top, social_runner_up = _best(scores, _SOCIAL)
        if social_top < MIN_SCORE:
            # Nothing recognisable: as sure of "other" as the strongest hint is weak.
            return IntentResult(Intent.OTHER, round(math.exp(-top / _CONFIDENCE_SCALE), 3), ())
        intent, top, runner_up = social, social_top, max(social_runner_up, top)
    return IntentResult(intent, _confidence(top, runner_up), tuple(cues.get(intent, ())))
