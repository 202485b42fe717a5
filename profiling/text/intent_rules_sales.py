"""Intent cue table, part 2: selling and talking.

Price, product questions, comparison, booking, a request for a human, and the social
formulas (greetings, thanks) that win only when nothing substantive is asked. Each row is
(intent, weight, patterns) in the `profiling.text.vocabulary.PhraseMatcher` syntax; weights
follow the scale described in `profiling.text.intents`.
"""

from __future__ import annotations

from profiling.types import Intent

_COMPARATIVE_EN = (
    "=quieter|=louder|=faster|=slower|=longer|=shorter|=bigger|=smaller|=cheaper|=stronger"
    "|=easier|=heavier|=lighter|=quicker|=sturdier"
)

SALES_RULES: tuple[tuple[Intent, float, tuple[str, ...]], ...] = (
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
        "распродаж*|рассрочк*|installment*|instalment*",
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
    (Intent.PRODUCT_QUESTION, 3.5, (
        # "how much" about an amount, not money: outweighs the price cue it contains
        "=how =much =water|=coffee|=milk|=beans|=space|=power|=caffeine|=ground|=room|=noise",
    )),
    (Intent.PRODUCT_QUESTION, 3.0, (
        "=в =наличии",
        "=in =stock",
        # a restock, not an order on its way («когда придёт новая партия»)
        "=новая|=новой|=новую|=следующая|=следующей ~1 =партия|=партии|=поставка|=поставки",
        "=next|=new =batch|=shipment|=lot|=restock",
    )),
    (Intent.PRODUCT_QUESTION, 2.5, (
        "наличи*|характеристик*|совместим*",
        "=у =вас =есть",
        "=посоветуйте|=порекомендуйте|=посоветуете|=посоветуй|=посоветовать",
        "=подскажите ~1 =какой|=какую|=какие",
        "=как ~1 =пользоваться|=использовать|=настроить|=приготовить|=заварить|=заваривать"
        "|=почистить|=чистить|=включить|=подключить|=варить|=выбрать",
        "=out =of =stock",
        "=do =you =have|=sell|=carry|=stock|=offer",
        "=specs|=spec|specification*|compatib*|=suitable",
        "recommend*",
    )),
    (Intent.PRODUCT_QUESTION, 2.0, (
        "=есть =ли",
        "размер|состав|материал|инструкци*|рекоменд*|поступлени*",
        "=появится|=появятся|=поступит|=поступят",
        "=купить|=приобрести|=заказать|=закажу|=куплю|=беру|=возьму",
        "=какой|=какую|=какие|=какое|=что ~1 =выбрать",
        "=срок =годности",
        "=available|=availability|=material|=materials|=ingredient|=ingredients|=buy|=restock",
        "=made =of|=from",
        "=how =do|=to|=can|=should ~1 =use|=set|=setup|=brew|=clean|=make|=install|=assemble"
        "|=connect|=choose",
        "=does =it =have|=come|=support|=fit|=include",
        "=does|=do =the|=this|=that|=these|=those|=your ~3 =have|=include|=support|=need"
        "|=require",
        "=does =it =need|=require",
        "=easy|=easier|=hard|=difficult ~2 =to =clean|=use|=set|=maintain|=descale",
        "=come|=comes =with",
        "=can|=could =i|=we|=you =use|=brew|=grind",
        "=how =many =cups|=grams|=shots|=watts|=bars|=litres|=liters|=people",
        "=сколько =чашек|=порций|=грамм|=граммов|=литров|=воды|=кофе|=молока|=ватт|=весит",
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
        "=что|=какой|=какая|=какое|=какие|=какую|=какого|=кто ~3 =лучше|=хуже|=вкуснее|=дешевле"
        "|=надежнее|=удобнее|=крепче|=тише|=громче|=быстрее|=дольше|=мощнее|=проще|=легче"
        "|=дороже|=выгоднее|=экономичнее|=компактнее",
        "=лучше ~ =или",
        "отлича*|отличи*|разниц*|сравн*",
        "=difference|=differences|=differ|=differs|=differentiate",
        "compar*",
        "=выбираю|=выбираем|=выбирать|=выбрать|=выбор|=сравнить ~3 =между",
        "=choosing|=choose|=chose|=deciding|=decide|=torn|=pick|=picking ~3 =between",
        "=different =from|=than",
    )),
    (Intent.COMPARISON, 2.5, (
        "=which|=what|=what's|=whats ~1 =better|=best",
        "=vs|=versus",
        "=should|=would =i|=we ~2 =get|=buy|=choose|=go|=take|=pick|=order ~6 =or",
        "=или ~3 =что|=какую|=какой|=какое|=какие =выбрать|=взять",
        "=что|=какую|=какой|=какое|=какие ~1 =выбрать|=взять ~3 =или",
        # Comparatives lead these phrases: they are rare, so the gaps are seldom tried
        # (a phrase starting on "what" would be tried in most messages).
        f"=which ~4 {_COMPARATIVE_EN}",
        f"{_COMPARATIVE_EN} ~4 =or",
        # than another thing, not "longer than expected / than two weeks" (a late order)
        f"{_COMPARATIVE_EN} ~3 =than =the|=on|=in|=that|=this|=its|=other|=mine",
    )),
    (Intent.COMPARISON, 2.0, (
        "=better ~ =or|=than",
        "=which =one|=ones",
    )),
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
        "=space|=spot|=spots|=place|=places|=seat|=seats ~2 =left|=available|=free",
        "=остались|=осталось ~1 =места|=место|=мест",
        "=sign =up|=enrol|=enroll",
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
