"""Inbound edges, thin: parse what arrived, call a `bot` service received by injection, render.

`handlers.telegram` is the Telegram edge; the shop HTTP API and WhatsApp come later. Only the
composition root (`bot.app`) imports this package.
"""
