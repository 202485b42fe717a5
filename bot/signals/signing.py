"""Standard Webhooks signatures (https://www.standardwebhooks.com), made by the reference
implementation: `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`.

The secret lives only inside the `Webhook` object held here: it never appears in a repr, a
log line or an error message.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from pydantic import SecretStr
from standardwebhooks import Webhook
from standardwebhooks.webhooks import EmptyWebhookSecretError

from bot.clock import as_utc


class InvalidWebhookSecret(ValueError):
    """The secret is not `whsec_` + base64; the message never contains the secret."""


class Signer:
    __slots__ = ("_webhook",)

    def __init__(self, secret: SecretStr | str) -> None:
        raw = (secret.get_secret_value() if isinstance(secret, SecretStr) else secret).strip()
        try:
            # Strict: the reference decoder silently skips characters that are not base64,
            # which would turn a mistyped secret into a different key.
            key = base64.b64decode(raw.removeprefix("whsec_"), validate=True)
            self._webhook = Webhook(key)
        except (binascii.Error, ValueError, EmptyWebhookSecretError):
            # `from None`: the decoder's own error could quote the input.
            raise InvalidWebhookSecret(
                "the webhook secret must be whsec_ followed by base64 (Standard Webhooks)"
            ) from None

    def __repr__(self) -> str:
        return "Signer(secret='**********')"

    def headers(self, webhook_id: str, at: datetime, body: str) -> dict[str, str]:
        """The three Standard Webhooks headers for sending `body` at `at`."""
        moment = as_utc(at)
        return {
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(moment.timestamp())),
            "webhook-signature": self._webhook.sign(webhook_id, moment, body),
        }
