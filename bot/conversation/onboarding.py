"""First contact: attribute the customer to the ad they came from and pick the greeting."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.deeplinks import ParsedPayload
from bot.conversation.identify import customer_language
from bot.texts.catalog import name_suffix, t
from profiling.types import Lang
from storage.models import Customer
from storage.repositories import sources

log = logging.getLogger(__name__)


async def greet_and_attribute(
    session: AsyncSession,
    customer: Customer,
    *,
    parsed: ParsedPayload,
    is_new: bool,
    default_language: Lang,
    now: datetime,
) -> str:
    """Record the touch (first touch is never overwritten) and return the greeting.

    A malformed payload is logged and recorded as an organic touch; the customer is greeted
    exactly as anyone else, because a broken ad link is the shop's problem, not theirs.
    """
    if parsed.problem:
        log.warning(
            "malformed deep-link payload from customer %s recorded as organic: %s",
            customer.id,
            parsed.problem,
        )
    source = None
    if (payload := parsed.campaign_payload) is not None:
        source = await sources.get_or_create(
            session,
            payload=payload,
            campaign=parsed.campaign,
            ad=parsed.ad,
            creative=parsed.creative,
            now=now,
        )
    raw = parsed.raw
    if raw is not None and parsed.link_token:
        # A personal link's token opens someone's orders: it is not kept in the touch log.
        raw = raw.replace(parsed.link_token, "*")
    await sources.record_touch(
        session,
        customer,
        source,
        raw_payload=raw,
        valid=parsed.problem is None,
        now=now,
    )
    lang = customer_language(customer, default_language)
    name = name_suffix(customer.first_name)
    if not is_new:
        key = "greeting.returning"
    elif source is not None:
        key = "greeting.campaign"
    else:
        key = "greeting.new"
    return t(key, lang, name=name)
