"""What CSAT needs from the settings, in one value (the core and the sweep do not read the
settings each time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.settings import Settings

# Candidates one sweep takes at most (the channel's proactive budget paces the sends anyway).
BATCH = 100
# Surveys sent at once by one sweep.
SEND_CONCURRENCY = 8
# A rating is taken this long after the question at most; later presses are told it expired.
ANSWER_WITHIN = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class CsatConfig:
    enabled: bool
    after: timedelta  # silence that ends a dialog and brings the question
    min_messages: int  # customer messages a dialog needs to be asked about
    max_age: timedelta  # a dialog that ended longer ago is not asked about
    sweep_seconds: float
    follow_up: timedelta  # how long "what went wrong?" waits for an answer
    crm: bool  # a CRM listens: a low rating enqueues `customer.unhappy`
    # After a survey, the same customer's next dialogs go unasked this long (no fatigue);
    # an operator's hand-back is asked about regardless.
    min_gap: timedelta = timedelta(hours=72)
    # No survey in the quiet hours (the check-ins' ones, in the customers' zone).
    quiet_start: int = 22
    quiet_end: int = 9
    utc_offset_minutes: int = 0
    batch: int = BATCH

    @classmethod
    def default(cls) -> CsatConfig:
        """Surveys off; a press on a button sent earlier is still taken as usual."""
        return cls(
            enabled=False,
            after=timedelta(minutes=30),
            min_messages=2,
            max_age=timedelta(hours=24),
            sweep_seconds=60.0,
            follow_up=timedelta(minutes=30),
            crm=False,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> CsatConfig:
        offset = settings.checkin_timezone_offset_minutes
        return cls(
            enabled=settings.csat_enabled,
            after=timedelta(minutes=settings.csat_after_minutes),
            min_messages=settings.csat_min_messages,
            max_age=timedelta(hours=settings.csat_max_age_hours),
            sweep_seconds=settings.csat_sweep_seconds,
            follow_up=timedelta(minutes=settings.csat_follow_up_minutes),
            crm=bool(settings.crm_webhook_url),
            min_gap=timedelta(hours=settings.csat_min_gap_hours),
            quiet_start=settings.checkin_quiet_start,
            quiet_end=settings.checkin_quiet_end,
            utc_offset_minutes=settings.timezone_offset_minutes if offset is None else offset,
        )
