"""Intent cue table, part 1: customer service around an order.

Order status, delivery, returns and refunds, complaints, warranty: the operational intents,
which `profiling.text.intents` prefers in a tie. Each row is (intent, weight, patterns) in the
`profiling.text.vocabulary.PhraseMatcher` syntax; weights follow the scale described in
`profiling.text.intents`. The order of the rows is kept when the tables are joined.

Some rows name a `Context` instead of an intent: the situation the customer is in (choosing
before a purchase, or owning something that has a problem), which decides what an
ambiguous cue means. "Warranty" asked before buying is a question about the product; the
same word from someone whose machine is leaking is a warranty claim.
"""

from __future__ import annotations

from enum import StrEnum

from profiling.types import Intent


class Context(StrEnum):
    """Situations a message reveals, and topics whose intent depends on them."""

    PRE_SALE = "pre_sale"  # choosing or not bought yet: "if I order", «выбираю», «хочу купить»
    AFTER_SALE = "after_sale"  # has it: "I bought", «у меня», "still under warranty"
    # The warranty as a topic: a claim (WARRANTY) after a sale, a question about the
    # product (or a point of a comparison) before it.
    WARRANTY_TERMS = "warranty_terms"


Rule = tuple[Intent | Context, float, tuple[str, ...]]

_MY_RU = "=мой|=моего|=моему|=моим|=моем|=мои|=моих|=моя|=мою|=моей"
_NOT_EN = (
    "=not|=doesn't|=don't|=isn't|=won't|=didn't|=can't|=cannot|=wont|=doesnt|=isnt|=dont"
    "|=didnt|=cant|=stopped|=never|=aren't|=wasn't|=wasnt|=hasn't|=haven't|=hasnt|=havent"
    "|=couldn't|=unable"
)
_SENT_RU = (
    "=прислали|=привезли|=пришел|=пришла|=пришло|=доставили|=положили|=отправили|=выслали"
    "|=продали|=дали"
)
_OWNED_EN = (
    "=machine|=grinder|=kettle|=unit|=device|=order|=purchase|=item|=espresso|=coffee|=brewer"
    "|=appliance"
)
_RECEIVE_EN = (
    "=arrived|=received|=recieved|=come|=came|=shown|=delivered|=reached|=arrive|=receive"
    "|=recieve|=gotten|=turned"
)

SERVICE_RULES: tuple[Rule, ...] = (
    # --- order status: an existing order, where it is, why it is late
    (Intent.ORDER_STATUS, 3.5, ("=how =much =longer",)),
    (Intent.ORDER_STATUS, 3.0, (
        "статус* ~ заказ*|посылк*|отправлени*|доставк*|покупк*",
        "=где ~ заказ*|посылк*|отправлени*|покупк*|товар*|заказанн*|=мой|=моя|=мои",
        "=order|=orders =status",
        "=status ~ =order|=orders|=package|=parcel|=shipment|=delivery|=purchase",
        "=where|=where's|=wheres ~ =order|=package|=parcel|=shipment|=delivery|=purchase|=stuff"
        "|=item|=items",
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
        "=обещали|=обещал|=обещала ~3 достав*|=привезти|=доставить|=отправить|=сегодня|=вчера",
        "=didn't|=didnt|=never|=hasn't|=hasnt|=not|=haven't|=havent =show|=shown|=showed"
        "|=turned|=turn =up",
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
        "=все|=еще =нет",
        "отправлен*|=отправили|=отправлено|отгруз*",
        "=delayed|=delay|=late|=overdue",
        "застрял*|=stuck ~3 =таможне|=складе|=сортировке|=почте|=пути|=customs|=transit"
        "|=warehouse|=depot|=sorting",
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
        "=exchange|=swap ~4 =for ~2 =one|=size|=colour|=color|=model|=version|=another",
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
        "=перестал|=перестала|=перестало|=перестали ~1 =работать|=включаться|=греть|=молоть"
        "|=варить|=нагревать|=греться|=заряжаться",
        f"{_SENT_RU} ~ =не =тот|=та|=то|=те",
        f"{_SENT_RU} ~ =другой|=другого|=другую|=другое|=другие|=других",
        "нахами*|хамств*|хамск*|=хамят|=хамит|=хамили|=хамил|=хамила|=rude|=impolite",
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
        "царапин*|поцарапан*|вмятин*|=скол|=сколы|=сколом|=сколами|неисправ*|поломк*|заеда*"
        "|=шумит|=гудит|=искрит",
        "scratch*|=dent|=dents|=chipped",
        "=strange|=weird|=loud|=odd|=funny|=grinding|=rattling|=clicking|=burning =noise|=noises"
        "|=sound|=sounds|=smell",
        f"{_NOT_EN} ~2 =work|=working|=works|=worked|=function|=functioning|=charging",
        # "it doesn't turn on", "won't switch on", "stopped heating": a fault, not a question
        f"{_NOT_EN} ~1 =turn|=turns|=switch|=switches|=power|=powers ~1 =on",
        f"{_NOT_EN} ~1 =heat|=heating|=heats|=boil|=boiling|=boils|=charge|=charges",
        "=declined|=decline|=declines|=declining|=rejected|=reject|=rejects|=refused|=denied",
        "=poor|=bad|=low =quality|=service",
    )),
    (Intent.COMPLAINT, 2.0, (
        "=ужас|ужасн*|=кошмар|безобраз*|отвратит*|=позор|=обман|обманул*|=развод|мошенни*"
        "|недовол*|невкусн*|просрочен*|взлом*",
        "=не =хватает|=доложили|=положили",
        "=terrible|=awful|=horrible|=unacceptable|=disgusting|=ridiculous|=worst|=pathetic"
        "|=outrageous|=appalling|=useless",
        "=scam|=scammed|=fraud|=fraudulent|=ripped|=rip-off|=cheated|=hacked|=compromised",
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
    # --- warranty and repair: a repair is always about something the customer has
    (Intent.WARRANTY, 4.0, (
        "=сдать|=сдам|=сдаем|=отнести|=отвезти|=починить|=отремонтировать|=заменить|=поменяют"
        "|=починят|=заменят ~2 =по =гарантии",
        "=по =гарантии ~2 =сдать|=сдам|=починить|=отремонтировать|=заменить|=поменять"
        "|=поменяете|=замените|=почините|=отремонтируете|=примете",
        "=warranty =claim|=repair|=replacement|=case",
        "=claim =the|=my =warranty",
        "=repaired|=replaced|=fixed ~2 =under|=on =warranty|=guarantee",
    )),
    (Intent.WARRANTY, 2.5, (
        "ремонт*|почин*",
        "сервисн* =центр|=центры|=центре|=центра",
        "repair*",
        "=service =center|=centre",
    )),
    (Intent.WARRANTY, 2.0, ("диагностик*",)),
    (Intent.WARRANTY, 1.5, ("=fix ~1 =it|=this|=my", "=replacement|=replace")),
    (Context.WARRANTY_TERMS, 3.0, ("гаранти*", "warrant*", "guarante*")),
    # --- the situation: these rows add no score, they decide what ambiguous cues mean
    (Context.AFTER_SALE, 0.0, (
        "ремонт*|почин*|repair*",  # a repair is for something broken ("fix this" is vaguer)
        "=купил|=купила|=купили|=приобрел|=приобрела|=приобрели|=покупал|=покупала|=покупали"
        "|=заказывал|=заказывала|=заказывали|=заказал|=заказала|=заказали|=получил|=получила",
        f"{_MY_RU}|=наш|=наша|=нашу|=нашей|=нашего ~1 кофемашин*|кофемолк*|кофевар*|чайник*"
        "|машин*|машинк*|аппарат*|техник*|устройств*|прибор*|=заказ|=заказе|=заказа",
        "=у =меня|=нас ~2 кофемашин*|кофемолк*|кофевар*|чайник*|машин*|аппарат*|прибор*",
        "=еще|=уже|=пока =на =гарантии",
        "гаранти* ~2 =еще|=уже ~1 =действует|=не =истекла|=закончилась|=кончилась",
        "=гарантийный =случай",
        "=bought|=purchased|=received",
        # adjacent words only: a gap after "my" would be tried in almost every message
        f"=my|=our {_OWNED_EN}|=last|=previous|=recent|=new|=old",
        "=still =under|=in|=covered|=on ~2 =warranty|=guarantee",
        "=warranty|=guarantee ~2 =expired|=expire|=expires|=ran|=runs|=still",
        "=out =of =warranty",
    )),
    (Context.PRE_SALE, 0.0, (
        "=если ~2 =закажу|=закажем|=заказать|=оформлю|=оформим|=куплю|=купим|=купить|=оплачу"
        "|=оплатим|=возьму|=возьмем",
        "=если ~3 =сломается|=сломаются|=откажет|=выйдет",
        "=перед|=до =покупкой|=покупки",
        "=хочу|=хотим|=хотел|=хотела|=хотели|=собираюсь|=собираемся|=планирую|=планируем|=думаю"
        "|=думаем ~2 =купить|=приобрести|=заказать|=взять",
        "=выбираю|=выбираем|=выбирать|=выбрать|=выбор",
        "=if =i|=we ~2 =order|=ordered|=buy|=purchase|=place|=pay",
        "=if =it|=something|=anything|=the|=my|=this ~2 =breaks|=break|=fails|=stops|=dies",
        "=before =i|=we ~1 =buy|=order|=purchase",
        "=before =buying|=ordering|=purchasing|=purchase",
        "=buy|=buying|=purchasing",  # the customer has not bought it yet
        "=planning|=plan|=thinking|=considering|=going|=wanting ~2 =order|=ordering|=get|=getting",
        "=choosing|=deciding|=considering|=comparing",
    )),
)  # fmt: skip
