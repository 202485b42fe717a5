"""The customer router: private chats only (declared once), with the customer middlewares."""

from __future__ import annotations

from aiogram import Router

from bot.settings import Settings
from handlers.telegram.customer import buttons, chat, csat, help, link, privacy, start
from handlers.telegram.filters import PrivateChat
from handlers.telegram.middlewares.customer import CustomerContact
from handlers.telegram.middlewares.flood import FloodControl


def customer_router(settings: Settings) -> Router:
    router = Router(name="customer")
    router.message.filter(PrivateChat())
    router.callback_query.filter(PrivateChat())
    # Inner middlewares: they run once a handler matched, so its flags are known.
    flood = FloodControl(settings.throttle_per_minute)
    contact = CustomerContact()
    for observer in (router.message, router.callback_query):
        observer.middleware(flood)
        observer.middleware(contact)
    # The catch-all chat router stays last.
    router.include_routers(
        start.router(),
        help.router(),
        link.router(),
        privacy.router(),
        csat.router(),
        buttons.router(),
        chat.router(),
    )
    return router
