"""Whether a planned check-in may go out now: the customer's choices, the caps, the hour.

A check-in is contact the customer did not ask for, built on their profile, so it needs
everything a profile needs (`bot.privacy.consent.may_profile`) and more: no opt-out from
check-ins, not blocked, no human already talking to them, not too often, and never in quiet
hours. The hour is checked again at send time because a sweep that runs late (a restart, a
backlog) must not deliver a 20:00 message at 23:30.

The verdict's reason is machine-readable, so the caller can tell "drop it" (opted_out,
blocked, no_consent, holdout, stale) from "try later" (not_due, handoff, cap, too_soon,
quiet_hours).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, cast

from bot.checkins.slots import local_hour_quiet
from bot.privacy.consent import Mode, may_profile

DROP = frozenset({"opted_out", "blocked", "no_consent", "holdout", "stale"})
LATER = frozenset({"not_due", "handoff", "cap", "too_soon", "quiet_hours"})


class CheckinCustomer(Protocol):
    """The customer row's fields a decision reads."""

    checkins_opt_out: bool
    blocked: bool
    consent: bool | None
    consent_version: str | None
    profiling_opt_out: bool
    holdout: bool


@dataclass(slots=True)
class Customerish:
    """A plain stand-in with the fields `decide` reads (the `customer` row has the same)."""

    checkins_opt_out: bool = False
    blocked: bool = False
    consent: bool | None = None
    consent_version: str | None = None
    profiling_opt_out: bool = False
    holdout: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """`send`, or why not: one of DROP (give the check-in up) or LATER (reschedule)."""

    send: bool
    reason: str | None = None


_SEND = Verdict(True)


def decide(
    customer: CheckinCustomer,
    *,
    now: datetime,
    handoff_open: bool,
    sent_recently: int,
    last_sent_at: datetime | None,
    max_per_week: int,
    min_gap_hours: float,
    holdout_gets_checkins: bool,
    consent_mode: str,
    consent_version: str,
    due_at: datetime,
    stale_after_s: float,
    utc_offset_minutes: int,
    quiet_start: int = 22,
    quiet_end: int = 9,
) -> Verdict:
    """May the check-in due at `due_at` be sent at `now`?

    `sent_recently` counts check-ins sent to this customer in the last 7 days. Permanent
    reasons are checked first, then whether it is still worth sending (stale), then the
    reasons to wait.
    """
    if customer.checkins_opt_out:
        return Verdict(False, "opted_out")
    if customer.blocked:
        return Verdict(False, "blocked")
    if not may_profile(customer, cast(Mode, consent_mode), consent_version):
        return Verdict(False, "no_consent")
    if customer.holdout and not holdout_gets_checkins:
        return Verdict(False, "holdout")
    if now < due_at:
        return Verdict(False, "not_due")
    if (now - due_at).total_seconds() > stale_after_s:
        return Verdict(False, "stale")
    if handoff_open:
        return Verdict(False, "handoff")
    if sent_recently >= max_per_week:
        return Verdict(False, "cap")
    if last_sent_at is not None and now - last_sent_at < timedelta(hours=min_gap_hours):
        return Verdict(False, "too_soon")
    if local_hour_quiet(now, utc_offset_minutes, quiet_start, quiet_end):
        return Verdict(False, "quiet_hours")
    return _SEND
