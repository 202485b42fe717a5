"""The settings the shop integration adds: each bad value stops the program with one line
naming it; good values are normalised."""

from __future__ import annotations

import base64

import pytest

from bot.settings import SettingsError, load_settings

WHSEC = "whsec_" + base64.b64encode(b"x" * 32).decode()


def settings(**values: object):  # type: ignore[no-untyped-def]
    return load_settings(_env_file=None, **values)


def test_defaults_leave_the_api_and_webhooks_off() -> None:
    s = settings()
    assert s.shop_api_key is None and s.crm_webhook_url is None
    assert s.api_max_body_bytes == 1_048_576 and s.phone_region == "RU"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"shop_api_key": "short"}, "SHOP_API_KEY"),
        ({"crm_webhook_secret": "not-a-secret"}, "CRM_WEBHOOK_SECRET"),
        (
            {"crm_webhook_secret": "whsec_" + base64.b64encode(b"x" * 8).decode()},
            "CRM_WEBHOOK_SECRET",
        ),
        ({"crm_webhook_url": "ftp://crm"}, "CRM_WEBHOOK_URL"),
        ({"crm_webhook_url": "https://crm.example/hook"}, "CRM_WEBHOOK_SECRET"),
        ({"bot_username": "no spaces allowed"}, "BOT_USERNAME"),
        ({"phone_region": "russia"}, "PHONE_REGION"),
        ({"signal_hysteresis": 65}, "SIGNAL_HYSTERESIS"),
        ({"api_max_body_bytes": 10}, "API_MAX_BODY_BYTES"),
    ],
)
def test_bad_values_are_one_line_naming_the_setting(values: dict[str, object], named: str) -> None:
    with pytest.raises(SettingsError) as raised:
        settings(**values)
    message = str(raised.value)
    assert named in message and "\n" not in message


def test_good_values_are_normalised() -> None:
    s = settings(
        bot_username="@MyShopBot",
        shop_api_key="k" * 32,
        crm_webhook_url="https://crm.example/hook/",
        crm_webhook_secret=WHSEC,
    )
    assert s.bot_username == "MyShopBot"
    assert s.crm_webhook_url == "https://crm.example/hook"
    assert s.crm_webhook_secret is not None and WHSEC not in repr(s)
    assert "k" * 32 not in repr(s)
