"""What the check-ins need from the settings, in one value (so the core and the sweeper do
not read the settings each time)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.checkins.slots import local_tz_offset
from bot.settings import Settings

# A claimed check-in's lease: a process that holds it longer has died, and the check-in is
# recorded as lost (never resent).
LEASE_S = 300.0
# What a customer does this soon after a check-in is its outcome (a reply, an order, an opt-out).
OUTCOME_WINDOW_S = 48 * 3600.0


@dataclass(frozen=True, slots=True)
class CheckinConfig:
    enabled: bool
    quiet_start: int
    quiet_end: int
    utc_offset_minutes: int
    max_per_week: int
    min_gap_hours: float
    delivered_days: int
    stale_after_s: float
    batch: int
    holdout_gets_checkins: bool
    consent_mode: str
    consent_version: str

    @classmethod
    def from_settings(cls, settings: Settings) -> CheckinConfig:
        return cls(
            enabled=settings.checkins_enabled,
            quiet_start=settings.checkin_quiet_start,
            quiet_end=settings.checkin_quiet_end,
            utc_offset_minutes=local_tz_offset(
                settings.checkin_timezone_offset_minutes, settings.timezone_offset_minutes
            ),
            max_per_week=settings.checkin_max_per_week,
            min_gap_hours=settings.checkin_min_gap_hours,
            delivered_days=settings.checkin_delivered_days,
            stale_after_s=settings.checkin_stale_hours * 3600.0,
            batch=settings.checkin_batch,
            holdout_gets_checkins=settings.checkins_for_holdout,
            consent_mode=settings.consent_mode,
            consent_version=settings.consent_version,
        )
