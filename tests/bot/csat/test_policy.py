"""Whether a customer may be asked to rate a dialog: a table of the rules, in their order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.csat.policy import (
    ASKED,
    BLOCKED,
    CONSENT_DECLINED,
    HANDOFF,
    OPTED_OUT,
    QUIET_HOURS,
    TOO_SHORT,
    TOO_SOON,
    Customerish,
    Verdict,
    may_ask,
)
from storage.models.analytics import SURVEY_HANDBACK, SURVEY_INACTIVITY

OK = Customerish()


def verdict(customer: Customerish = OK, **changes: Any) -> Verdict:
    kwargs: dict[str, Any] = {
        "trigger": SURVEY_INACTIVITY,
        "handoff_open": False,
        "asked": False,
        "customer_messages": 3,
        "min_messages": 2,
        "quiet_hours": False,
    }
    kwargs.update(changes)
    return may_ask(customer, **kwargs)


@pytest.mark.parametrize(
    ("customer", "changes", "reason"),
    [
        (OK, {}, None),
        # Consent: only a refusal forbids it (not yet asked, or accepted: asked).
        (Customerish(consent=True), {}, None),
        (Customerish(consent=False), {}, CONSENT_DECLINED),
        (Customerish(consent=False), {"trigger": SURVEY_HANDBACK}, CONSENT_DECLINED),
        # "Don't message me first" covers the survey; an objection to profiling alone does not.
        (replace(OK, checkins_opt_out=True), {}, OPTED_OUT),
        (replace(OK, checkins_opt_out=True), {"trigger": SURVEY_HANDBACK}, OPTED_OUT),
        (replace(OK, profiling_opt_out=True), {}, None),
        # The holdout group is asked: CSAT is compared between the groups.
        (replace(OK, holdout=True), {}, None),
        (replace(OK, blocked=True), {}, BLOCKED),
        (OK, {"handoff_open": True}, HANDOFF),
        (OK, {"asked": True}, ASKED),
        (OK, {"asked": True, "trigger": SURVEY_HANDBACK}, ASKED),
        # Too short for an inactivity survey; a hand-back is asked however short.
        (OK, {"customer_messages": 1}, TOO_SHORT),
        (OK, {"customer_messages": 2}, None),
        (OK, {"customer_messages": 0, "trigger": SURVEY_HANDBACK}, None),
        (OK, {"customer_messages": 1, "min_messages": 1}, None),
        # Quiet hours hold an inactivity survey back, not a hand-back.
        (OK, {"quiet_hours": True}, QUIET_HOURS),
        (OK, {"quiet_hours": True, "trigger": SURVEY_HANDBACK}, None),
        # A survey shortly before holds an inactivity survey back, not a hand-back.
        (OK, {"asked_recently": True}, TOO_SOON),
        (OK, {"asked_recently": True, "trigger": SURVEY_HANDBACK}, None),
        # The order: permanent reasons before passing ones.
        (Customerish(consent=False, checkins_opt_out=True, blocked=True), {}, CONSENT_DECLINED),
        (replace(OK, blocked=True), {"handoff_open": True}, BLOCKED),
        (OK, {"handoff_open": True, "asked": True}, HANDOFF),
        (OK, {"asked": True, "customer_messages": 0}, ASKED),
    ],
)
def test_policy(customer: Customerish, changes: dict[str, Any], reason: str | None) -> None:
    assert verdict(customer, **changes) == Verdict(reason is None, reason)


def test_an_unknown_trigger_is_a_mistake() -> None:
    with pytest.raises(ValueError):
        verdict(trigger="birthday")
