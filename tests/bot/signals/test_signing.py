"""Signatures a CRM verifies with the Standard Webhooks reference implementation, and a
secret that never shows."""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from bot.signals.signing import InvalidWebhookSecret, Signer


def test_headers_verify_with_the_reference_implementation(secret: str) -> None:
    now = datetime.now(UTC)
    body = '{"type":"lead.hot","timestamp":"2026-12-02T09:00:00Z","data":{"name":"Анна"}}'
    headers = Signer(SecretStr(secret)).headers("msg_01ABC", now, body)

    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-id"] == "msg_01ABC"
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body.encode(), headers)["data"] == {"name": "Анна"}

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace("Анна", "Анна!").encode(), headers)
    with pytest.raises(WebhookVerificationError):
        other = "whsec_" + base64.b64encode(b"x" * 32).decode()
        Webhook(other).verify(body.encode(), headers)
    stale = Signer(secret).headers("msg_01ABC", now - timedelta(minutes=10), body)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body.encode(), stale)


def test_the_secret_never_shows(secret: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    signer = Signer(secret)
    key = secret.removeprefix("whsec_")
    assert key not in repr(signer) and key not in str(signer)
    with pytest.raises(InvalidWebhookSecret) as error:
        Signer("whsec_not*base64!" + key)
    assert key not in str(error.value)
    assert error.value.__cause__ is None and error.value.__suppress_context__
    assert key not in caplog.text
