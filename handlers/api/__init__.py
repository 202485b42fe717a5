"""The shop's HTTP API edge under /api/v1: bearer auth, bounded JSON bodies validated with the
models of `bot.shop.schemas`, thin routes over the `ShopApi` service, JSON errors.

`app.build_api` builds the aiohttp sub-application; its routes come from the operation table
of `bot.shop.openapi`, which also generates the OpenAPI document it serves.
"""
