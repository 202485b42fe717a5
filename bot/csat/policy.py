"""Whether a customer may be asked to rate a dialog, as a plain function of the facts.

The rules, in the order they are checked:

- **declined consent** (`customer.consent is False`): never. They said no to us keeping
  things about them; a survey would ask them for more.
- **check-in opt-out** (`/stop_checkins`, "don't message me first"): never. The question is a
  message the bot starts, which is exactly what they turned off. An objection to profiling
  alone (`/profiling_off`) does not forbid it: a rating is not a behavioural profile, and the
  customer still hears from the bot in the dialog.
- **blocked**: never (nothing can reach them).
- **a person holds the dialog** (an open handoff): not now; an operator's /done asks then.
- **asked already** for this dialog: never twice (the database's unique dialog id enforces
  it across processes too; this is the cheap early answer).
- **asked recently**: an inactivity survey waits `CSAT_MIN_GAP_HOURS` after the customer's
  previous survey (a regular who writes daily is not asked daily). A hand-back survey skips
  this rule too.
- **too short**: an inactivity survey needs at least `min_messages` customer messages in the
  dialog (a lone "hi" is not worth rating). A hand-back survey skips this rule: a person
  talked with them, which is worth rating however short.
- **quiet hours**: an inactivity survey waits for the morning (it is a message the bot
  starts, like a check-in); a hand-back survey follows the operator's last words at once.

The holdout group IS asked: CSAT is one of the metrics compared between the groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from storage.models.analytics import SURVEY_HANDBACK, SURVEY_TRIGGERS

# Reasons for not asking, machine-readable (the sweep counts them).
CONSENT_DECLINED = "consent_declined"
OPTED_OUT = "opted_out"
BLOCKED = "blocked"
HANDOFF = "handoff"
ASKED = "asked"
TOO_SHORT = "too_short"
QUIET_HOURS = "quiet_hours"
TOO_SOON = "too_soon"


class SurveyedCustomer(Protocol):
    """The customer row's fields a decision reads."""

    consent: bool | None
    checkins_opt_out: bool
    blocked: bool


@dataclass(slots=True)
class Customerish:
    """A plain stand-in with the fields `may_ask` reads (the `customer` row has the same)."""

    consent: bool | None = None
    checkins_opt_out: bool = False
    blocked: bool = False
    profiling_opt_out: bool = False
    holdout: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    ask: bool
    reason: str | None = None


_ASK = Verdict(True)


def may_ask(
    customer: SurveyedCustomer,
    *,
    trigger: str,
    handoff_open: bool,
    asked: bool,
    customer_messages: int,
    min_messages: int,
    quiet_hours: bool = False,
    asked_recently: bool = False,
) -> Verdict:
    """May the customer be asked to rate the dialog now? `customer_messages`: their
    conversational messages in the dialog; `asked`: the dialog has a survey already."""
    if trigger not in SURVEY_TRIGGERS:
        raise ValueError(f"unknown survey trigger {trigger!r}")
    if customer.consent is False:
        return Verdict(False, CONSENT_DECLINED)
    if customer.checkins_opt_out:
        return Verdict(False, OPTED_OUT)
    if customer.blocked:
        return Verdict(False, BLOCKED)
    if handoff_open:
        return Verdict(False, HANDOFF)
    if asked:
        return Verdict(False, ASKED)
    handback = trigger == SURVEY_HANDBACK
    if not handback and customer_messages < min_messages:
        return Verdict(False, TOO_SHORT)
    if not handback and asked_recently:
        return Verdict(False, TOO_SOON)
    if not handback and quiet_hours:
        return Verdict(False, QUIET_HOURS)
    return _ASK
