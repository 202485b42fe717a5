"""The Telegram inbound edge: routers by audience, middlewares, filters."""
