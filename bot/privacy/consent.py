"""Consent decisions, as plain functions of the customer's stored choices and the settings.

- `opt_in` (the default, as 152-FZ asks): no behavioural profile and no history beyond the
  current dialog until the customer presses Accept on the current version of the consent
  text; the bot still answers, adapting to the current message only.
- `notice`: profiling with a clear notice (shown once per version) and an easy opt-out.
- An objection to profiling (`/profiling_off`) wins over both.
"""

from __future__ import annotations

from typing import Literal, Protocol

Mode = Literal["opt_in", "notice"]


class Choices(Protocol):
    """What a customer decided (the `customer` row has these fields)."""

    consent: bool | None
    consent_version: str | None
    profiling_opt_out: bool


def may_profile(customer: Choices, mode: Mode, version: str) -> bool:
    """Whether a behavioural profile may be kept (and history beyond the current dialog)."""
    if customer.profiling_opt_out:
        return False
    if mode == "notice":
        return customer.consent is not False
    return customer.consent is True and customer.consent_version == version


def keeps_history(customer: Choices, mode: Mode, version: str) -> bool:
    """Whether messages are kept beyond the current dialog: with consent (or in notice mode
    without a refusal). An objection to profiling alone keeps the history: the service
    (orders, the dialog) still needs it; only the profile goes."""
    if mode == "notice":
        return customer.consent is not False
    return customer.consent is True and customer.consent_version == version


def should_ask(customer: Choices, mode: Mode, version: str) -> bool:
    """Whether to show the consent message (opt_in) or the notice (notice): the customer has
    not decided on this version of the text yet."""
    return customer.consent_version != version
