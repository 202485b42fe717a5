"""How fast each part of a customer's profile forgets: the time horizons of the engine.

Old habits should fade instead of weighing forever, and moods fade much faster than habits,
so every decayed quantity of the profile state has its own half-life. The engine takes one
`HalfLives` in its configuration and passes it to every update and read of a profile.
"""

from __future__ import annotations

from dataclasses import dataclass

HOUR = 3600.0
DAY = 24 * HOUR


@dataclass(frozen=True, slots=True)
class HalfLives:
    """How fast each part of the profile forgets, in seconds."""

    long_term_s: float = 30 * DAY  # style averages, intent mix, active hours, dialogs
    irritation_s: float = 6 * HOUR  # two days later an outburst is down to 1/256
    negativity_s: float = 12 * HOUR  # negative sentiment, waiting complaints
    problem_s: float = 3 * DAY  # an order problem stays open for days unless resolved
    intents_s: float = 3 * DAY  # recent intents: buying interest cools within days
    activity_fast_s: float = 7 * DAY  # recent message rate ...
    activity_slow_s: float = 60 * DAY  # ... against the usual one, for a decline of activity
    feedback_s: float = 14 * DAY  # "shorter please" is remembered for weeks
    override_s: float = 60 * DAY  # an operator's label fades slowly
    threat_s: float = 14 * DAY  # "never ordering again" is a warning for weeks
    # What the site shows (product views, price and information pages, comparisons): "three
    # views of one product in about a week" is a doubt, three over a month is not.
    site_interest_s: float = 7 * DAY
    # Moods (urgent, irritated) lean back on their prior as the customer stays silent: a
    # hurry of three months ago says nothing about the next conversation.
    mood_s: float = 1 * DAY
