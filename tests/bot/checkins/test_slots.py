"""Planning the next check-in slot: the customer's hours, never the quiet ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.checkins.slots import Slot, local_hour_quiet, local_tz_offset, next_slot

# 2026-12-03 is a Thursday; in UTC+3 its 07:00 UTC is 10:00 local.
THU_0700 = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
MSK = 180


def week(days: range | tuple[int, ...], hours: tuple[int, ...]) -> list[int]:
    return [d * 24 + h for d in days for h in hours]


EVENINGS = week(range(5), (20, 21))  # "comes back every evening after eight", weekdays
WEEKENDS = week((5, 6), (11, 12))


@pytest.mark.parametrize(
    ("active", "offset", "earliest", "expected", "reason_bits"),
    [
        # The seed: weekday evenings 20-22 local; Thursday 10:00 local -> Thursday 20:00.
        (
            EVENINGS,
            MSK,
            THU_0700,
            datetime(2026, 12, 3, 17, 0, tzinfo=UTC),
            ("weekday evenings 20:00–22:00", "UTC+3", "after 2026-12-03 10:00"),
        ),
        # Already inside an active hour: the moment itself, not the next hour.
        (
            EVENINGS,
            MSK,
            datetime(2026, 12, 3, 17, 25, tzinfo=UTC),
            datetime(2026, 12, 3, 17, 25, tzinfo=UTC),
            ("weekday evenings",),
        ),
        # Friday 23:00 local: past the evening, the weekend is not active -> Monday 20:00.
        (
            EVENINGS,
            MSK,
            datetime(2026, 12, 4, 20, 0, tzinfo=UTC),
            datetime(2026, 12, 7, 17, 0, tzinfo=UTC),
            ("weekday evenings",),
        ),
        # Weekend-only customer, Thursday -> Saturday 11:00 local (UTC+5).
        (
            WEEKENDS,
            300,
            THU_0700,
            datetime(2026, 12, 5, 6, 0, tzinfo=UTC),
            ("weekend mornings 11:00–13:00", "UTC+5"),
        ),
        # One day only: named.
        (
            [3 * 24 + 15],
            0,
            datetime(2026, 12, 4, 0, 0, tzinfo=UTC),
            datetime(2026, 12, 10, 15, 0, tzinfo=UTC),
            ("Thursday afternoons 15:00–16:00", "UTC+0"),
        ),
        # Every day, negative offset.
        (
            week(range(7), (18,)),
            -300,
            THU_0700,
            datetime(2026, 12, 3, 23, 0, tzinfo=UTC),
            ("in the evenings 18:00–19:00", "UTC-5"),
        ),
    ],
)
def test_slot_in_the_customers_hours(
    active: list[int],
    offset: int,
    earliest: datetime,
    expected: datetime,
    reason_bits: tuple[str, ...],
) -> None:
    slot = next_slot(
        now=THU_0700, active_hours_of_week=active, utc_offset_minutes=offset, earliest=earliest
    )
    assert slot.at == expected
    assert slot.at.tzinfo is not None and slot.at.utcoffset() == timedelta(0)
    assert slot.reason.startswith("usually writes")
    for bit in reason_bits:
        assert bit in slot.reason


@pytest.mark.parametrize(
    ("active", "earliest", "expected", "what"),
    [
        # No pattern, 10:00 local is daytime: now.
        (None, THU_0700, THU_0700, "no activity pattern yet"),
        ([], THU_0700, THU_0700, "no activity pattern yet"),
        # No pattern, 06:00 local (quiet) -> 10:00 local.
        (
            None,
            datetime(2026, 12, 3, 3, 0, tzinfo=UTC),
            THU_0700,
            "no activity pattern yet",
        ),
        # No pattern, 21:30 local -> next day 10:00 local (20:00-22:00 is not daytime).
        (
            (),
            datetime(2026, 12, 3, 18, 30, tzinfo=UTC),
            datetime(2026, 12, 4, 7, 0, tzinfo=UTC),
            "no activity pattern yet",
        ),
        # A night owl (02:00-03:00 local): never at night, a daytime slot instead.
        (
            week(range(7), (2, 3)),
            datetime(2026, 12, 3, 19, 0, tzinfo=UTC),
            datetime(2026, 12, 4, 7, 0, tzinfo=UTC),
            "only writes in quiet hours",
        ),
    ],
)
def test_default_daytime_slot(
    active: list[int] | None, earliest: datetime, expected: datetime, what: str
) -> None:
    slot = next_slot(
        now=THU_0700, active_hours_of_week=active, utc_offset_minutes=MSK, earliest=earliest
    )
    assert slot.at == expected
    assert slot.reason.startswith(what)
    assert "10:00–20:00" in slot.reason


def test_quiet_hours_cut_an_active_habit_and_a_custom_window() -> None:
    # Active 21:00-23:00 local; default quiet 22-9 leaves 21:00 only.
    active = week(range(7), (21, 22))
    late = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)  # 21:30 local: inside 21:00, allowed
    slot = next_slot(
        now=THU_0700, active_hours_of_week=active, utc_offset_minutes=MSK, earliest=late
    )
    assert slot.at == late
    at_22 = datetime(2026, 12, 3, 19, 10, tzinfo=UTC)  # 22:10 local: quiet -> tomorrow 21:00
    slot = next_slot(
        now=THU_0700, active_hours_of_week=active, utc_offset_minutes=MSK, earliest=at_22
    )
    assert slot.at == datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
    # A shop that is quiet from 21:00: the habit is all quiet -> default daytime.
    slot = next_slot(
        now=THU_0700,
        active_hours_of_week=active,
        utc_offset_minutes=MSK,
        quiet_start=21,
        quiet_end=8,
        earliest=at_22,
    )
    assert slot.at == datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
    assert "21:00–08:00" in slot.reason


def test_never_before_now_and_never_quiet_over_a_week_of_starts() -> None:
    active = EVENINGS + WEEKENDS + [3, 4, 100]
    for step in range(0, 8 * 24 * 4):
        earliest = THU_0700 + timedelta(minutes=15 * step) - timedelta(days=1)
        now = THU_0700 + timedelta(minutes=15 * step)
        slot = next_slot(
            now=now, active_hours_of_week=active, utc_offset_minutes=MSK, earliest=earliest
        )
        assert slot.at >= now
        assert slot.at - now <= timedelta(days=8)
        assert not local_hour_quiet(slot.at, MSK, 22, 9)


def test_inputs_are_checked() -> None:
    naive = datetime(2026, 12, 3, 7, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_slot(now=naive, active_hours_of_week=None, utc_offset_minutes=0, earliest=naive)
    with pytest.raises(ValueError, match=r"0\.\.167"):
        next_slot(now=THU_0700, active_hours_of_week=[168], utc_offset_minutes=0, earliest=THU_0700)
    with pytest.raises(ValueError, match="quiet_end"):
        next_slot(
            now=THU_0700,
            active_hours_of_week=None,
            utc_offset_minutes=0,
            quiet_end=24,
            earliest=THU_0700,
        )


def test_any_aware_zone_in_utc_out() -> None:
    msk = timezone(timedelta(hours=3))
    slot = next_slot(
        now=THU_0700.astimezone(msk),
        active_hours_of_week=EVENINGS,
        utc_offset_minutes=MSK,
        earliest=THU_0700.astimezone(msk),
    )
    assert slot == Slot(at=datetime(2026, 12, 3, 17, 0, tzinfo=UTC), reason=slot.reason)
    assert slot.at.tzinfo is UTC


@pytest.mark.parametrize(
    ("explicit", "shop", "expected"), [(None, 180, 180), (0, 180, 0), (-300, 180, -300)]
)
def test_local_tz_offset_prefers_the_customers_own(
    explicit: int | None, shop: int, expected: int
) -> None:
    assert local_tz_offset(explicit, shop) == expected
