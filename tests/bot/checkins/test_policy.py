"""Whether a due check-in may go out: choices first, then staleness, then when."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.checkins.policy import DROP, LATER, Customerish, Verdict, decide

# 17:00 UTC = 20:00 in UTC+3: a good evening hour.
NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
OK = Customerish(consent=True, consent_version="1")


def verdict(customer: Customerish = OK, **changes: Any) -> Verdict:
    kwargs: dict[str, Any] = {
        "now": NOW,
        "handoff_open": False,
        "sent_recently": 0,
        "last_sent_at": None,
        "max_per_week": 2,
        "min_gap_hours": 48,
        "holdout_gets_checkins": False,
        "consent_mode": "opt_in",
        "consent_version": "1",
        "due_at": NOW - timedelta(minutes=5),
        "stale_after_s": 6 * 3600,
        "utc_offset_minutes": 180,
        "quiet_start": 22,
        "quiet_end": 9,
    }
    kwargs.update(changes)
    return decide(customer, **kwargs)


@pytest.mark.parametrize(
    ("customer", "changes", "reason"),
    [
        (OK, {}, None),
        (replace(OK, checkins_opt_out=True), {}, "opted_out"),
        (replace(OK, blocked=True), {}, "blocked"),
        (Customerish(), {}, "no_consent"),
        (replace(OK, consent_version="0"), {}, "no_consent"),  # consent to an old text
        (replace(OK, profiling_opt_out=True), {}, "no_consent"),
        (Customerish(), {"consent_mode": "notice"}, None),  # notice mode: no refusal is enough
        (Customerish(consent=False), {"consent_mode": "notice"}, "no_consent"),
        (replace(OK, holdout=True), {}, "holdout"),
        (replace(OK, holdout=True), {"holdout_gets_checkins": True}, None),
        (OK, {"due_at": NOW + timedelta(minutes=1)}, "not_due"),
        (OK, {"due_at": NOW - timedelta(hours=7)}, "stale"),
        (OK, {"handoff_open": True}, "handoff"),
        (OK, {"sent_recently": 2}, "cap"),
        (OK, {"sent_recently": 1}, None),
        (OK, {"last_sent_at": NOW - timedelta(hours=47)}, "too_soon"),
        (OK, {"last_sent_at": NOW - timedelta(hours=49)}, None),
        # A sweep that ran late: 23:30 local is quiet, although the slot was 20:00.
        (
            OK,
            {"now": NOW + timedelta(hours=3, minutes=30), "due_at": NOW},
            "quiet_hours",
        ),
        (OK, {"now": NOW + timedelta(hours=1, minutes=59), "due_at": NOW}, None),  # 21:59
        # 08:30 local, still quiet; 09:00 is not.
        (
            OK,
            {"now": datetime(2026, 12, 4, 5, 30, tzinfo=UTC), "due_at": NOW + timedelta(hours=9)},
            "quiet_hours",
        ),
        (
            OK,
            {"now": datetime(2026, 12, 4, 6, 0, tzinfo=UTC), "due_at": NOW + timedelta(hours=9)},
            None,
        ),
        # The same UTC moment is daytime for a customer in UTC-5.
        (
            OK,
            {
                "now": NOW + timedelta(hours=3, minutes=30),
                "due_at": NOW,
                "utc_offset_minutes": -300,
            },
            None,
        ),
    ],
)
def test_decide(customer: Customerish, changes: dict[str, Any], reason: str | None) -> None:
    result = verdict(customer, **changes)
    assert result == Verdict(reason is None, reason)


def test_permanent_reasons_win_over_waiting_ones() -> None:
    result = verdict(
        replace(OK, checkins_opt_out=True, blocked=True),
        handoff_open=True,
        sent_recently=5,
        due_at=NOW - timedelta(days=2),
    )
    assert result.reason == "opted_out"
    assert verdict(handoff_open=True, sent_recently=5).reason == "handoff"


def test_reasons_split_into_drop_and_later() -> None:
    assert not DROP & LATER
    assert {
        "opted_out",
        "blocked",
        "no_consent",
        "holdout",
        "stale",
        "not_due",
        "handoff",
        "cap",
        "too_soon",
        "quiet_hours",
    } == DROP | LATER
