"""The kinds of events the CRM receives (the `type` of a webhook payload)."""

from __future__ import annotations

from enum import StrEnum


class SignalType(StrEnum):
    CUSTOMER_UNHAPPY = "customer.unhappy"
    LEAD_HOT = "lead.hot"
    CHURN_RISK = "customer.churn_risk"
    NEED_DETECTED = "customer.need_detected"
    DIALOG_CONVERTED = "dialog.converted"
    HANDOFF_REQUESTED = "handoff.requested"
    CUSTOMER_ERASED = "customer.erased"
