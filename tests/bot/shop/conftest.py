"""The shop tests run the production application with a CRM configured, so the signals its
units write to the outbox can be checked (nothing is delivered: no test here starts the
dispatcher, and the URL is a port where nothing listens)."""

from __future__ import annotations

import base64

import pytest
from pydantic import SecretStr

from bot.settings import Settings
from tests.factories import free_port


@pytest.fixture
def in_process_settings(in_process_settings: Settings) -> Settings:
    secret = "whsec_" + base64.b64encode(b"shop-tests-secret-of-32-bytes!!!").decode()
    return in_process_settings.model_copy(
        update={
            "crm_webhook_url": f"http://127.0.0.1:{free_port()}/crm",
            "crm_webhook_secret": SecretStr(secret),
        }
    )
