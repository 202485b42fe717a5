"""End to end: the running program (`serve`, polling) with the shop API on its HTTP server,
driven by a real HTTP client, a customer on the fake Telegram server, and the CRM's signed
webhooks arriving at a receiver on 127.0.0.1 that verifies them with `standardwebhooks`."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import aiohttp
from pydantic import SecretStr

from bot.app import build_application
from bot.runtime.runner import serve
from bot.settings import Settings
from tests.factories import NO_LIMITS
from tests.fakes.crm_receiver import CrmReceiver
from tests.fakes.telegram_server import FakeTelegramServer

API_KEY = "shop-key-0123456789abcdef"
SECRET = "whsec_" + base64.b64encode(b"barista-e2e-secret-32-bytes-long").decode()


async def _call(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any]:
    async with http.request(method, url, **kwargs) as response:
        return response.status, await response.json()


async def test_shop_links_a_customer_reports_an_order_and_the_crm_hears_of_it(
    tg: FakeTelegramServer, settings: Settings
) -> None:
    async with CrmReceiver(secret=SECRET) as crm:
        configured = settings.model_copy(
            update={
                "shop_api_key": SecretStr(API_KEY),
                "crm_webhook_url": crm.url,
                "crm_webhook_secret": SecretStr(SECRET),
            }
        )
        app = build_application(configured, telegram_limits=NO_LIMITS)
        stop = asyncio.Event()
        task = asyncio.create_task(serve(app, stop))
        base = f"http://127.0.0.1:{configured.web_port}/api/v1"
        auth = {"Authorization": f"Bearer {API_KEY}"}
        try:
            async with aiohttp.ClientSession() as http:
                for _ in range(100):  # the server starts with the program
                    try:
                        status, _ = await _call(http, "GET", f"{base}/openapi.json")
                        break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.05)
                assert status == 200

                status, body = await _call(
                    http, "PUT", f"{base}/customers/c-1", json={"name": "Вера"}
                )
                assert status == 401 and body["error"] == "unauthorized"
                status, customer = await _call(
                    http,
                    "PUT",
                    f"{base}/customers/c-1",
                    json={"name": "Вера", "phone": "+7 999 000-11-22"},
                    headers=auth,
                )
                assert status in (200, 201), customer
                payload = customer["deep_link"].rsplit("start=", 1)[1]

                tg.push_message(f"/start {payload}", user_id=701, first_name="Вера")
                await tg.wait_for_call("sendMessage", count=1, timeout=15)
                assert "вижу ваши заказы" in tg.sent_messages(701)[0]["text"]
                tg.push_message("Сколько стоит доставка чайника?", user_id=701, first_name="Вера")
                await tg.wait_for_call("sendMessage", count=2, timeout=15)

                order = {
                    "customer_id": "c-1",
                    "status": "paid",
                    "total": 2490,
                    "items": [{"sku": "KT-1", "name": "Чайник", "qty": 1, "price": 2490}],
                }
                status, body = await _call(
                    http, "PUT", f"{base}/orders/A-1", json=order, headers=auth
                )
                assert status in (200, 201) and body["linked"] is True, body

                await crm.wait_for(1, timeout=15)
                delivered = [d for d in crm.accepted() if d.event_type == "dialog.converted"]
                assert delivered and delivered[0].body["data"]["conversion"]["ref"] == "A-1"
                assert crm.rejected == 0  # every request carried a valid signature

                status, profile = await _call(
                    http, "GET", f"{base}/customers/c-1/profile", headers=auth
                )
                assert status == 200 and profile["linked"] is True
                assert [o["shop_order_id"] for o in profile["orders"]] == ["A-1"]
                assert profile["segments"] and profile["hotness"]["reasons"]

                status, body = await _call(http, "GET", f"{base}/nope", headers=auth)
                assert status == 404 and "error" in body
                status, body = await _call(http, "GET", f"http://127.0.0.1:{configured.web_port}/x")
                assert status == 404 and body["error"] == "not_found"
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=15)
