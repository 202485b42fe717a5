"""Running the bot: long polling or webhooks on the aiohttp app, and a graceful stop."""
