"""/customer <id | @username | shop id>: the customer card, with buttons to correct a
segment label (feedback for the profile, through the core) or hand the customer to an
operator."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.analytics.card import render_customer
from bot.analytics.service import AnalyticsService
from bot.conversation.admin_events import Correction
from bot.conversation.core import Conversation
from bot.settings import Settings
from bot.texts.catalog import t
from handlers.telegram.admin.common import (
    PREFIX,
    admin_language,
    boxed,
    callback_parts,
    command_argument,
    edit,
    edit_keyboard,
    guarded,
    markup,
    show,
)
from profiling.assess.names import segment_name
from profiling.assess.segments import Segment
from profiling.types import Lang

SEGMENTS = tuple(Segment)


def _card_keyboard(customer_id: int, lang: Lang) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("admin.button.correct", lang), callback_data=f"{PREFIX}fix:{customer_id}")
    builder.button(text=t("admin.button.handoff", lang), callback_data=f"{PREFIX}op:{customer_id}")
    return markup(builder, 1, 1)


def _correction_keyboard(customer_id: int, lang: Lang) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, segment in enumerate(SEGMENTS):
        name = segment_name(segment, lang)
        builder.button(text=f"✅ {name}", callback_data=f"{PREFIX}set:{customer_id}:{index}:1")
        builder.button(text=f"❌ {name}", callback_data=f"{PREFIX}set:{customer_id}:{index}:0")
    builder.button(text=t("admin.button.back", lang), callback_data=f"{PREFIX}cu:{customer_id}")
    return markup(builder, *([2] * len(SEGMENTS)), 1)


async def _card_text(analytics: AnalyticsService, customer_id: int, lang: Lang) -> str | None:
    card = await analytics.customer_card(customer_id)
    if card is None:
        return None
    return render_customer(
        card,
        lang,
        utc_offset_minutes=analytics.utc_offset_minutes,
        currency=analytics.currency,
    )


def _customer_id(parts: list[str], size: int) -> int | None:
    if len(parts) != size or not parts[1].isdigit():
        return None
    return int(parts[1])


def register(router: Router, settings: Settings) -> None:
    @router.message(Command("customer"))
    async def customer(message: Message, analytics: AnalyticsService) -> None:
        lang = admin_language(message.from_user, settings)
        query = command_argument(message)
        if not query:
            await message.answer(t("admin.customer.usage", lang))
            return
        lookup = await guarded(message, lang, lambda: boxed(analytics.find_customer(query)))
        if lookup is None:
            return  # failed, and the admin was told
        (found,) = lookup
        if found is None:
            await message.answer(t("admin.customer.not_found", lang, query=query))
            return
        card = await guarded(message, lang, lambda: boxed(_card_text(analytics, found, lang)))
        if card is None:
            return
        (text,) = card
        if text is None:
            await message.answer(t("admin.customer.gone", lang))
            return
        await show(message, text, _card_keyboard(found, lang))

    @router.callback_query(F.data.startswith(f"{PREFIX}cu:"))
    async def card(query: CallbackQuery, analytics: AnalyticsService) -> None:
        lang = admin_language(query.from_user, settings)
        customer_id = _customer_id(callback_parts(query), 2)
        if customer_id is None:
            await query.answer(t("admin.stale", lang), show_alert=True)
            return
        card = await guarded(query, lang, lambda: boxed(_card_text(analytics, customer_id, lang)))
        if card is None:
            return
        (text,) = card
        if text is None:
            await query.answer(t("admin.customer.gone", lang), show_alert=True)
            return
        await show(query, text, _card_keyboard(customer_id, lang))

    @router.callback_query(F.data.startswith(f"{PREFIX}fix:"))
    async def choose(query: CallbackQuery) -> None:
        lang = admin_language(query.from_user, settings)
        customer_id = _customer_id(callback_parts(query), 2)
        message = query.message
        if customer_id is None or not isinstance(message, Message):
            await query.answer(t("admin.stale", lang), show_alert=True)
            return
        await edit_keyboard(query, _correction_keyboard(customer_id, lang))
        await query.answer(t("admin.customer.correct", lang)[:200], show_alert=True)

    @router.callback_query(F.data.startswith(f"{PREFIX}set:"))
    async def correct(
        query: CallbackQuery, analytics: AnalyticsService, conversation: Conversation
    ) -> None:
        lang = admin_language(query.from_user, settings)
        parts = callback_parts(query)
        customer_id = _customer_id(parts, 4)
        if (
            customer_id is None
            or not parts[2].isdigit()
            or int(parts[2]) >= len(SEGMENTS)
            or parts[3] not in ("0", "1")
        ):
            await query.answer(t("admin.stale", lang), show_alert=True)
            return
        segment, belongs = SEGMENTS[int(parts[2])], parts[3] == "1"
        admin = str(query.from_user.id)
        outcome = await guarded(
            query,
            lang,
            lambda: conversation.correct_segment(
                customer_id, segment, belongs=belongs, admin_id=admin
            ),
        )
        if outcome is None:
            return
        if outcome is Correction.GONE:
            await query.answer(t("admin.customer.gone", lang), show_alert=True)
            return
        if outcome is Correction.NO_PROFILE:
            await query.answer(t("admin.customer.no_profile", lang), show_alert=True)
            return
        text = await guarded(query, lang, lambda: _card_text(analytics, customer_id, lang))
        if text is not None:
            await edit(query, text, _card_keyboard(customer_id, lang))
        verdict = t("admin.customer.is" if belongs else "admin.customer.is_not", lang)
        await query.answer(
            t(
                "admin.customer.corrected",
                lang,
                segment=segment_name(segment, lang),
                verdict=verdict,
            )
        )

    @router.callback_query(F.data.startswith(f"{PREFIX}op:"))
    async def handoff(query: CallbackQuery, conversation: Conversation) -> None:
        lang = admin_language(query.from_user, settings)
        customer_id = _customer_id(callback_parts(query), 2)
        if customer_id is None:
            await query.answer(t("admin.stale", lang), show_alert=True)
            return
        outcome = await guarded(query, lang, lambda: conversation.hand_to_operator(customer_id))
        if outcome is not None:
            await query.answer(t(f"admin.customer.handoff.{outcome.value}", lang), show_alert=True)
