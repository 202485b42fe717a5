"""The admins' words: /stats, /stats ab, /segments, /customer, /sources, /export and their
buttons and charts, in Russian and English. HTML templates (`t()` escapes the fields).
Merged into the catalogue."""

from __future__ import annotations

from profiling.types import Lang

ADMIN_TEXTS: dict[str, dict[Lang, str]] = {
    # -- periods -------------------------------------------------------------------------
    "admin.period.today": {Lang.RU: "сегодня", Lang.EN: "today"},
    "admin.period.7d": {Lang.RU: "7 дней", Lang.EN: "7 days"},
    "admin.period.30d": {Lang.RU: "30 дней", Lang.EN: "30 days"},
    "admin.period.all": {Lang.RU: "всё время", Lang.EN: "all time"},
    "admin.period.bad": {
        Lang.RU: "Не понял период «{given}». Можно: today, 7d, 30d, all или ab.\n"
        "Например: /stats 30d",
        Lang.EN: "I don't know the period “{given}”. Use today, 7d, 30d, all or ab.\n"
        "For example: /stats 30d",
    },
    # -- /stats --------------------------------------------------------------------------
    "admin.stats.title": {
        Lang.RU: "📊 <b>Статистика — {period}</b>",
        Lang.EN: "📊 <b>Statistics — {period}</b>",
    },
    "admin.stats.dialogs": {Lang.RU: "Диалогов: <b>{n}</b>", Lang.EN: "Dialogs: <b>{n}</b>"},
    "admin.stats.conversion": {
        Lang.RU: "Конверсия: <b>{rate}</b> ({n}) · до целевого действия (медиана): {time}",
        Lang.EN: "Conversion: <b>{rate}</b> ({n}) · time to target action (median): {time}",
    },
    "admin.stats.revenue": {Lang.RU: "Выручка: {money}", Lang.EN: "Revenue: {money}"},
    "admin.stats.csat": {
        Lang.RU: "CSAT: <b>{mean}</b> из 5 ({n} оценок)",
        Lang.EN: "CSAT: <b>{mean}</b> of 5 ({n} ratings)",
    },
    "admin.stats.csat.none": {Lang.RU: "CSAT: оценок нет", Lang.EN: "CSAT: no ratings"},
    "admin.stats.escalation": {
        Lang.RU: "Передано человеку: <b>{rate}</b> ({n}) · закрыто ботом: {alone}",
        Lang.EN: "Handed to a human: <b>{rate}</b> ({n}) · closed by the bot: {alone}",
    },
    "admin.stats.retention": {
        Lang.RU: "Возвращаются (новых клиентов: {cohort}): {parts}",
        Lang.EN: "Come back (new customers: {cohort}): {parts}",
    },
    "admin.stats.retention.part": {
        Lang.RU: "{days} дн. {rate} ({kept}/{eligible})",
        Lang.EN: "{days} d {rate} ({kept}/{eligible})",
    },
    "admin.stats.retention.early": {
        Lang.RU: "{days} дн. — рано",
        Lang.EN: "{days} d — too early",
    },
    "admin.stats.checkins": {
        Lang.RU: "Касания: отправлено {sent}, ответили {replied}, отписались {opted_out}",
        Lang.EN: "Check-ins: {sent} sent, {replied} replied, {opted_out} opted out",
    },
    "admin.stats.checkins.none": {
        Lang.RU: "Касания: не отправлялись",
        Lang.EN: "Check-ins: none sent",
    },
    "admin.stats.by_source": {Lang.RU: "<b>По источникам</b>", Lang.EN: "<b>By source</b>"},
    "admin.stats.by_segment": {Lang.RU: "<b>По сегментам</b>", Lang.EN: "<b>By segment</b>"},
    "admin.stats.row": {
        Lang.RU: "• {name}: {dialogs} диал., конв. {conversion}, медиана {time}, CSAT {csat}, "
        "к человеку {escalation}",
        Lang.EN: "• {name}: {dialogs} dialogs, conv. {conversion}, median {time}, CSAT {csat}, "
        "to a human {escalation}",
    },
    "admin.stats.more_rows": {Lang.RU: "…и ещё {n}", Lang.EN: "…and {n} more"},
    "admin.stats.empty": {
        Lang.RU: "За этот период диалогов не было.",
        Lang.EN: "No dialogs in this period.",
    },
    "admin.stats.footer": {
        Lang.RU: "<i>Определения метрик — в README, раздел «Метрики».</i>",
        Lang.EN: "<i>Metric definitions: README, “Metrics”.</i>",
    },
    "admin.direct": {Lang.RU: "без рекламы", Lang.EN: "direct"},
    "admin.segment.none": {Lang.RU: "без сегмента", Lang.EN: "no segment"},
    # -- buttons -------------------------------------------------------------------------
    "admin.button.ab": {Lang.RU: "🧪 A/B", Lang.EN: "🧪 A/B"},
    "admin.button.stats": {Lang.RU: "📊 Сводка", Lang.EN: "📊 Summary"},
    "admin.button.funnel": {Lang.RU: "📈 Воронка", Lang.EN: "📈 Funnel"},
    "admin.button.heatmap": {Lang.RU: "🕒 Активность", Lang.EN: "🕒 Activity"},
    "admin.button.segments_chart": {Lang.RU: "📊 График", Lang.EN: "📊 Chart"},
    "admin.button.ab_chart": {Lang.RU: "📉 График A/B", Lang.EN: "📉 A/B chart"},
    "admin.button.correct": {Lang.RU: "✏️ Исправить сегмент", Lang.EN: "✏️ Correct a segment"},
    "admin.button.handoff": {Lang.RU: "🧑‍💼 Передать оператору", Lang.EN: "🧑‍💼 To an operator"},
    "admin.button.back": {Lang.RU: "↩️ К карточке", Lang.EN: "↩️ Back to the card"},
    "admin.stale": {
        Lang.RU: "Эта кнопка устарела: вызовите команду заново.",
        Lang.EN: "This button is out of date: run the command again.",
    },
    "admin.rendering": {Lang.RU: "Рисую…", Lang.EN: "Drawing…"},
    "admin.failed": {
        Lang.RU: "Не удалось посчитать: {error}. Подробности в журнале бота.",
        Lang.EN: "Could not compute it: {error}. Details are in the bot's log.",
    },
    # -- /stats ab ----------------------------------------------------------------------
    "admin.ab.title": {
        Lang.RU: "🧪 <b>Адаптивный бот против «слепого» — {period}</b>",
        Lang.EN: "🧪 <b>Adaptive bot vs the “blind” one — {period}</b>",
    },
    "admin.ab.groups": {
        Lang.RU: "Адаптивная группа: {a} диал. · контрольная («слепой» бот, {share} % новых "
        "клиентов): {h} диал.",
        Lang.EN: "Adaptive group: {a} dialogs · holdout (the blind bot, {share} % of new "
        "customers): {h} dialogs",
    },
    "admin.ab.row": {
        Lang.RU: "<b>{metric}</b>: {a} против {h} → {lift} (95 % ДИ {low} … {high}) {mark}",
        Lang.EN: "<b>{metric}</b>: {a} vs {h} → {lift} (95 % CI {low} … {high}) {mark}",
    },
    "admin.ab.row.no_data": {
        Lang.RU: "<b>{metric}</b>: {a} против {h} — мало данных",
        Lang.EN: "<b>{metric}</b>: {a} vs {h} — not enough data",
    },
    "admin.ab.metric.conversion": {Lang.RU: "Конверсия", Lang.EN: "Conversion"},
    "admin.ab.metric.time_to_action": {
        Lang.RU: "До целевого действия (медиана)",
        Lang.EN: "Time to target action (median)",
    },
    "admin.ab.metric.csat": {Lang.RU: "CSAT", Lang.EN: "CSAT"},
    "admin.ab.metric.escalation": {Lang.RU: "Передано человеку", Lang.EN: "Handed to a human"},
    "admin.ab.metric.retention_30": {
        Lang.RU: "Возврат за 30 дней",
        Lang.EN: "Came back within 30 days",
    },
    "admin.ab.metric.checkin_reply": {
        Lang.RU: "Ответы на касания",
        Lang.EN: "Check-in replies",
    },
    "admin.ab.verdict.not_enough_data": {
        Lang.RU: "Вывод: <b>данных пока мало</b> — диалогов: в адаптивной группе {a}, в "
        "контрольной {h}, а для надёжного сравнения нужно хотя бы {need} в каждой. Цифры "
        "ниже — предварительные.",
        Lang.EN: "Verdict: <b>not enough data yet</b> — the adaptive group has {a} dialogs and "
        "the holdout {h}, and a reliable comparison needs at least {need} in each group. The "
        "numbers below are preliminary.",
    },
    "admin.ab.verdict.few_conversions": {
        Lang.RU: "Вывод: <b>данных пока мало</b> — диалогов хватает, но целевых действий (или "
        "диалогов без них) в двух группах вместе меньше {need}: доли ещё нельзя сравнить. "
        "Цифры ниже — предварительные.",
        Lang.EN: "Verdict: <b>not enough data yet</b> — there are dialogs enough, but fewer "
        "than {need} target actions (or dialogs without one) in both groups together: the "
        "rates cannot be compared yet. The numbers below are preliminary.",
    },
    "admin.ab.verdict.adaptive_better": {
        Lang.RU: "Вывод: <b>адаптивный бот лучше</b> — конверсия выше на {lift}, и это не "
        "случайность (95 % ДИ не включает ноль).",
        Lang.EN: "Verdict: <b>the adaptive bot is better</b> — conversion is {lift} higher, "
        "and that is not chance (the 95 % CI excludes zero).",
    },
    "admin.ab.verdict.holdout_better": {
        Lang.RU: "Вывод: <b>«слепой» бот пока лучше</b> — конверсия у адаптивного ниже на "
        "{lift}, и это не случайность. Стоит разобраться, что мешает.",
        Lang.EN: "Verdict: <b>the blind bot is doing better</b> — the adaptive bot converts "
        "{lift} less, and that is not chance. Worth finding out why.",
    },
    "admin.ab.verdict.no_difference_yet": {
        Lang.RU: "Вывод: <b>разницы пока не видно</b> — она может быть, но меньше, чем "
        "позволяют заметить данные.{need}",
        Lang.EN: "Verdict: <b>no difference yet</b> — there may be one, smaller than the data "
        "can show so far.{need}",
    },
    "admin.ab.need": {
        Lang.RU: " Чтобы увидеть разницу такого размера, нужно около {n} диалогов в каждой группе.",
        Lang.EN: " Seeing a difference of this size takes about {n} dialogs per group.",
    },
    "admin.ab.better": {Lang.RU: "✅", Lang.EN: "✅"},
    "admin.ab.worse": {Lang.RU: "⚠️", Lang.EN: "⚠️"},
    "admin.ab.same": {Lang.RU: "≈", Lang.EN: "≈"},
    "admin.ab.note": {
        Lang.RU: "<i>Разница — адаптивный минус контрольный; для конверсии и долей — в "
        "процентных пунктах. Интервалы: Уилсон/Ньюкомб для долей, бутстреп для медиан, "
        "Уэлч для средних.</i>",
        Lang.EN: "<i>Difference = adaptive minus holdout; for rates in percentage points. "
        "Intervals: Wilson/Newcombe for rates, bootstrap for medians, Welch for means.</i>",
    },
    "admin.ab.adaptive": {Lang.RU: "Адаптивный", Lang.EN: "Adaptive"},
    "admin.ab.holdout": {Lang.RU: "Контроль («слепой»)", Lang.EN: "Holdout (blind)"},
    # -- /segments ----------------------------------------------------------------------
    "admin.segments.title": {
        Lang.RU: "👥 <b>Сегменты сейчас</b> (изменение за {period})",
        Lang.EN: "👥 <b>Segments now</b> (change over {period})",
    },
    "admin.segments.row": {
        Lang.RU: "• {name}: <b>{n}</b> {change}",
        Lang.EN: "• {name}: <b>{n}</b> {change}",
    },
    "admin.segments.examples": {Lang.RU: "   например: {names}", Lang.EN: "   e.g. {names}"},
    "admin.segments.bands": {
        Lang.RU: "<b>{score}</b>: холодные {cold} {cold_change} · тёплые {warm} {warm_change} · "
        "горячие {hot} {hot_change}",
        Lang.EN: "<b>{score}</b>: cold {cold} {cold_change} · warm {warm} {warm_change} · "
        "hot {hot} {hot_change}",
    },
    "admin.segments.hotness": {Lang.RU: "Готовность купить", Lang.EN: "Lead hotness"},
    "admin.segments.churn": {Lang.RU: "Риск ухода", Lang.EN: "Churn risk"},
    "admin.segments.no_history": {
        Lang.RU: "<i>Истории за этот период ещё нет: снимки делаются раз в день.</i>",
        Lang.EN: "<i>No history for this period yet: snapshots are taken once a day.</i>",
    },
    "admin.segments.since": {
        Lang.RU: "<i>Изменение — против снимка от {day}. Клиент может быть в нескольких "
        "сегментах (значение ≥ 0.5).</i>",
        Lang.EN: "<i>Change against the snapshot of {day}. A customer may sit in several "
        "segments (value ≥ 0.5).</i>",
    },
    "admin.segments.empty": {
        Lang.RU: "Профилей пока нет.",
        Lang.EN: "No profiles yet.",
    },
    "admin.chart.segments": {Lang.RU: "Клиенты по сегментам", Lang.EN: "Customers by segment"},
    "admin.chart.now": {Lang.RU: "сейчас", Lang.EN: "now"},
    "admin.chart.before": {Lang.RU: "{day}", Lang.EN: "{day}"},
    "admin.chart.funnel": {
        Lang.RU: "Воронка по источникам — {period}",
        Lang.EN: "Funnel by source — {period}",
    },
    "admin.chart.stages": {
        Lang.RU: "переходы|диалоги|конверсии",
        Lang.EN: "starts|dialogs|conversions",
    },
    "admin.chart.heatmap": {
        Lang.RU: "Когда пишут клиенты (местное время) — {period}",
        Lang.EN: "When customers write (local time) — {period}",
    },
    "admin.chart.weekdays": {
        Lang.RU: "Пн|Вт|Ср|Чт|Пт|Сб|Вс",
        Lang.EN: "Mon|Tue|Wed|Thu|Fri|Sat|Sun",
    },
    "admin.chart.ab": {
        Lang.RU: "Адаптивный бот против «слепого» — {period}",
        Lang.EN: "Adaptive vs blind bot — {period}",
    },
    "admin.chart.empty": {Lang.RU: "Данных пока нет", Lang.EN: "No data yet"},
    # -- /sources -----------------------------------------------------------------------
    "admin.sources.title": {
        Lang.RU: "🔗 <b>Рекламные ссылки — {period}</b>",
        Lang.EN: "🔗 <b>Ad links — {period}</b>",
    },
    "admin.sources.row": {
        Lang.RU: "• <b>{name}</b>: переходов {starts}, диалогов {dialogs}, конверсий "
        "{conversions} ({rate}), до действия {time}, выручка {revenue}",
        Lang.EN: "• <b>{name}</b>: {starts} starts, {dialogs} dialogs, {conversions} "
        "conversions ({rate}), time to action {time}, revenue {revenue}",
    },
    "admin.sources.empty": {
        Lang.RU: "Переходов по ссылкам за этот период не было.",
        Lang.EN: "No link starts in this period.",
    },
    # -- /export ------------------------------------------------------------------------
    "admin.export.busy": {
        Lang.RU: "Готовлю файлы…",
        Lang.EN: "Preparing the files…",
    },
    "admin.export.customers": {
        Lang.RU: "Клиенты с оценками: {n} строк",
        Lang.EN: "Customers with scores: {n} rows",
    },
    "admin.export.dialogs": {
        Lang.RU: "Диалоги с исходами ({period}): {n} строк",
        Lang.EN: "Dialogs with outcomes ({period}): {n} rows",
    },
    # -- /customer ------------------------------------------------------------------------
    "admin.customer.usage": {
        Lang.RU: "Кого показать? /customer &lt;номер | @username | id в магазине&gt;\n"
        "Например: /customer 42 или /customer @anna",
        Lang.EN: "Whom to show? /customer &lt;id | @username | shop id&gt;\n"
        "For example: /customer 42 or /customer @anna",
    },
    "admin.customer.not_found": {
        Lang.RU: "Клиента «{query}» не нашёл: ни по номеру, ни по @username, ни по id в магазине.",
        Lang.EN: "No customer “{query}”: not by id, @username or shop id.",
    },
    "admin.customer.title": {
        Lang.RU: "🧾 <b>Клиент #{id}</b> — {who}",
        Lang.EN: "🧾 <b>Customer #{id}</b> — {who}",
    },
    "admin.customer.meta": {
        Lang.RU: "{channel} {external} · язык {language} · группа: {group} · с {created} · "
        "был {seen}",
        Lang.EN: "{channel} {external} · language {language} · group: {group} · since "
        "{created} · last seen {seen}",
    },
    "admin.customer.group.adaptive": {Lang.RU: "адаптивная", Lang.EN: "adaptive"},
    "admin.customer.group.holdout": {Lang.RU: "контрольная", Lang.EN: "holdout"},
    "admin.customer.flags": {Lang.RU: "Отметки: {flags}", Lang.EN: "Flags: {flags}"},
    "admin.customer.flag.no_consent": {Lang.RU: "отказ от согласия", Lang.EN: "consent declined"},
    "admin.customer.flag.profiling_off": {
        Lang.RU: "без профилирования",
        Lang.EN: "profiling off",
    },
    "admin.customer.flag.checkins_off": {
        Lang.RU: "не писать первым",
        Lang.EN: "no check-ins",
    },
    "admin.customer.flag.blocked": {Lang.RU: "заблокировал бота", Lang.EN: "blocked the bot"},
    "admin.customer.segments": {
        Lang.RU: "<b>Сегменты</b> (значение · уверенность):",
        Lang.EN: "<b>Segments</b> (value · confidence):",
    },
    "admin.customer.segment": {
        Lang.RU: "• {name} {value} · {confidence}{pinned}",
        Lang.EN: "• {name} {value} · {confidence}{pinned}",
    },
    "admin.customer.pinned": {Lang.RU: " (исправлено)", Lang.EN: " (corrected)"},
    "admin.customer.hotness": {
        Lang.RU: "<b>Готовность купить</b>: {value}/100",
        Lang.EN: "<b>Lead hotness</b>: {value}/100",
    },
    "admin.customer.churn": {
        Lang.RU: "<b>Риск ухода</b>: {value}/100",
        Lang.EN: "<b>Churn risk</b>: {value}/100",
    },
    "admin.customer.hours": {
        Lang.RU: "Активные часы (местное время): {hours}",
        Lang.EN: "Active hours (local time): {hours}",
    },
    "admin.customer.hours.none": {
        Lang.RU: "Активные часы: пока неизвестны",
        Lang.EN: "Active hours: not known yet",
    },
    "admin.customer.no_profile": {
        Lang.RU: "Профиля нет (нет согласия или клиент отказался от профилирования).",
        Lang.EN: "No profile (no consent, or the customer objected to profiling).",
    },
    "admin.customer.figures": {
        Lang.RU: "Диалогов: {dialogs} · конверсий: {conversions} · выручка: {revenue}",
        Lang.EN: "Dialogs: {dialogs} · conversions: {conversions} · revenue: {revenue}",
    },
    "admin.customer.checkins": {Lang.RU: "<b>Касания</b>:", Lang.EN: "<b>Check-ins</b>:"},
    "admin.customer.checkin": {
        Lang.RU: "• {when} — {trigger}: {status}{outcome}",
        Lang.EN: "• {when} — {trigger}: {status}{outcome}",
    },
    "admin.customer.no_checkins": {Lang.RU: "Касаний не было", Lang.EN: "No check-ins"},
    "admin.customer.csat": {Lang.RU: "<b>Оценки (CSAT)</b>:", Lang.EN: "<b>Ratings (CSAT)</b>:"},
    "admin.customer.rating": {
        Lang.RU: "• {when} — {rating}/5{comment}",
        Lang.EN: "• {when} — {rating}/5{comment}",
    },
    "admin.customer.rating.none": {
        Lang.RU: "• {when} — спросили, без ответа",
        Lang.EN: "• {when} — asked, no answer",
    },
    "admin.customer.no_csat": {Lang.RU: "Оценок не было", Lang.EN: "No ratings"},
    "admin.customer.messages": {
        Lang.RU: "<b>Последние сообщения</b>:",
        Lang.EN: "<b>Latest messages</b>:",
    },
    "admin.customer.correct": {
        Lang.RU: "Какой сегмент исправить? ✅ — «это про него», ❌ — «это не про него». "
        "Исправление становится обратной связью для профиля и слабеет с новыми сообщениями.",
        Lang.EN: "Which segment to correct? ✅ says “this is them”, ❌ says “this is not "
        "them”. A correction is feedback for the profile and fades as new messages come.",
    },
    "admin.customer.corrected": {
        Lang.RU: "Записал: {segment} — {verdict}.",
        Lang.EN: "Recorded: {segment} — {verdict}.",
    },
    "admin.customer.is": {Lang.RU: "да", Lang.EN: "yes"},
    "admin.customer.is_not": {Lang.RU: "нет", Lang.EN: "no"},
    "admin.customer.handoff.opened": {
        Lang.RU: "Передал операторам: карточка в чате операторов.",
        Lang.EN: "Handed to the operators: the card is in the operators' chat.",
    },
    "admin.customer.handoff.already": {
        Lang.RU: "С этим клиентом уже работает человек (или его ждут).",
        Lang.EN: "A person already holds (or is awaited in) this dialog.",
    },
    "admin.customer.handoff.unavailable": {
        Lang.RU: "Операторов нет: задайте OPERATOR_CHAT_ID.",
        Lang.EN: "No operators: set OPERATOR_CHAT_ID.",
    },
    "admin.customer.handoff.unreachable": {
        Lang.RU: "Чат операторов недоступен: карточка не отправилась.",
        Lang.EN: "The operators' chat is unreachable: the card did not go out.",
    },
    "admin.customer.handoff.gone": {
        Lang.RU: "Этого клиента больше нет (данные удалены): передавать некого.",
        Lang.EN: "This customer is gone (their data was erased): nobody to hand over.",
    },
    "admin.customer.gone": {
        Lang.RU: "Этого клиента больше нет (данные удалены).",
        Lang.EN: "This customer is gone (their data was erased).",
    },
    # The handoff an admin opens from the customer card.
    "handoff.title.admin": {
        Lang.RU: "🧑‍💼 <b>Администратор передал клиента оператору</b>",
        Lang.EN: "🧑‍💼 <b>An admin handed this customer to an operator</b>",
    },
    "handoff.why.admin": {
        Lang.RU: "администратор решил, что с клиентом лучше поговорить человеку",
        Lang.EN: "an admin decided a person should talk to this customer",
    },
}
