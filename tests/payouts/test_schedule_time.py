"""Schedule arithmetic: every type, month ends, leap years and DST, plus properties over dates."""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wallet.services.payouts import schedule_time as st_time
from wallet.services.payouts.schedule_time import next_settlement

LAGOS = ZoneInfo("Africa/Lagos")


@pytest.fixture(autouse=True)
def _forget_cached_fee_rules():
    """These tests never touch the database (or fees): skip the wallet fixtures' cache reset."""
    yield


LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_daily_fires_later_the_same_day_when_the_time_is_still_ahead():
    after = utc(2026, 3, 10, 6, 0)  # 07:00 in Lagos
    assert next_settlement("daily", after=after, time_of_day=time(9, 0), tz=LAGOS) == utc(
        2026, 3, 10, 8, 0
    )


def test_daily_fires_tomorrow_when_today_has_passed_including_exactly_now():
    after = utc(2026, 3, 10, 8, 0)  # exactly 09:00 in Lagos
    assert next_settlement("daily", after=after, time_of_day=time(9, 0), tz=LAGOS) == utc(
        2026, 3, 11, 8, 0
    )


def test_daily_crosses_the_end_of_the_year():
    after = utc(2026, 12, 31, 23, 30)
    assert next_settlement("daily", after=after, time_of_day=time(0, 15), tz=LAGOS) == utc(
        2026, 12, 31, 23, 15
    ) + timedelta(days=1)


def test_daily_across_spring_forward_is_23_hours_apart_in_real_time():
    saturday = next_settlement("daily", after=utc(2026, 3, 28, 0), time_of_day=time(9), tz=LONDON)
    sunday = next_settlement("daily", after=saturday, time_of_day=time(9), tz=LONDON)
    assert saturday == utc(2026, 3, 28, 9)  # GMT
    assert sunday == utc(2026, 3, 29, 8)  # BST: 09:00 local is 08:00 UTC
    assert sunday - saturday == timedelta(hours=23)


def test_a_wall_time_skipped_by_spring_forward_fires_just_after_the_gap():
    # New York skips 02:00-03:00 on 8 March 2026; 02:30 does not exist that day.
    fired = next_settlement("daily", after=utc(2026, 3, 8, 0), time_of_day=time(2, 30), tz=NEW_YORK)
    assert fired == utc(2026, 3, 8, 7, 30)
    assert fired.astimezone(NEW_YORK).time() == time(3, 30)


def test_an_ambiguous_wall_time_at_fall_back_fires_once_at_its_first_occurrence():
    # New York repeats 01:00-02:00 on 1 November 2026.
    first = next_settlement(
        "daily", after=utc(2026, 11, 1, 0), time_of_day=time(1, 30), tz=NEW_YORK
    )
    assert first == utc(2026, 11, 1, 5, 30)  # 01:30 EDT
    following = next_settlement("daily", after=first, time_of_day=time(1, 30), tz=NEW_YORK)
    assert following.astimezone(NEW_YORK).date() == date(2026, 11, 2)


def test_weekly_fires_on_the_requested_weekday():
    after = utc(2026, 11, 27, 12)  # a Friday
    fired = next_settlement("weekly", after=after, time_of_day=time(9), tz=LAGOS, day_of_week=0)
    assert fired == utc(2026, 11, 30, 8)  # Monday 09:00 Lagos
    assert fired.astimezone(LAGOS).weekday() == 0


def test_weekly_on_the_same_weekday_after_the_time_waits_a_week():
    after = utc(2026, 11, 27, 12)  # Friday 13:00 Lagos
    fired = next_settlement("weekly", after=after, time_of_day=time(9), tz=LAGOS, day_of_week=4)
    assert fired == utc(2026, 12, 4, 8)


def test_monthly_on_the_31st_is_clamped_to_short_months():
    fired = []
    after = utc(2026, 1, 1)
    for _ in range(5):
        after = next_settlement(
            "monthly", after=after, time_of_day=time(9), tz=LAGOS, day_of_month=31
        )
        fired.append(after.astimezone(LAGOS).date())
    assert fired == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]


def test_monthly_on_the_29th_fires_on_29_february_in_a_leap_year():
    fired = next_settlement(
        "monthly", after=utc(2028, 2, 1), time_of_day=time(9), tz=LAGOS, day_of_month=29
    )
    assert fired.astimezone(LAGOS).date() == date(2028, 2, 29)


def test_monthly_crosses_december_into_january():
    fired = next_settlement(
        "monthly", after=utc(2026, 12, 20), time_of_day=time(9), tz=LAGOS, day_of_month=5
    )
    assert fired.astimezone(LAGOS).date() == date(2027, 1, 5)


def test_threshold_checks_again_at_the_next_minute():
    fired = next_settlement(
        "threshold", after=utc(2026, 5, 1, 10, 4, 59), time_of_day=time(0), tz=LAGOS
    )
    assert fired == utc(2026, 5, 1, 10, 5)


def test_a_naive_after_or_an_unknown_type_is_refused():
    with pytest.raises(ValueError):
        next_settlement("daily", after=datetime(2026, 1, 1), time_of_day=time(9), tz=LAGOS)
    with pytest.raises(ValueError):
        next_settlement("hourly", after=utc(2026, 1, 1), time_of_day=time(9), tz=LAGOS)


# --- properties over dates (bounded examples keep the suite fast) ------------------------------

instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 1), timezones=st.just(UTC)
)
times_of_day = st.times().map(lambda t: t.replace(microsecond=0))
zones = st.sampled_from([LAGOS, LONDON, NEW_YORK, ZoneInfo("Australia/Lord_Howe")])
PROPERTY = settings(max_examples=150, deadline=None)


def is_skipped_wall_time(day, time_of_day, tz):
    fired = st_time.at_local_time(day, time_of_day, tz)
    return fired.astimezone(tz).replace(tzinfo=None) != datetime.combine(day, time_of_day)


@PROPERTY
@given(after=instants, time_of_day=times_of_day, tz=zones)
def test_property_daily_is_the_first_matching_wall_time_after(after, time_of_day, tz):
    fired = next_settlement("daily", after=after, time_of_day=time_of_day, tz=tz)
    assert fired > after
    assert fired - after <= timedelta(days=1, hours=3)
    local_day = fired.astimezone(tz).date()
    if not is_skipped_wall_time(local_day, time_of_day, tz):
        assert fired.astimezone(tz).time() == time_of_day
    earlier = st_time.at_local_time(local_day - timedelta(days=1), time_of_day, tz)
    assert earlier <= after


@PROPERTY
@given(after=instants, time_of_day=times_of_day, tz=zones, day_of_week=st.integers(0, 6))
def test_property_weekly_fires_on_its_weekday_within_a_week(after, time_of_day, tz, day_of_week):
    fired = next_settlement(
        "weekly", after=after, time_of_day=time_of_day, tz=tz, day_of_week=day_of_week
    )
    assert fired > after
    assert fired - after <= timedelta(days=7, hours=3)
    local = fired.astimezone(tz)
    if not is_skipped_wall_time(local.date(), time_of_day, tz):
        assert local.weekday() == day_of_week
        assert local.time() == time_of_day
    assert st_time.at_local_time(local.date() - timedelta(days=7), time_of_day, tz) <= after


@PROPERTY
@given(after=instants, time_of_day=times_of_day, tz=zones, day_of_month=st.integers(1, 31))
def test_property_monthly_fires_on_the_day_or_the_months_last_day(
    after, time_of_day, tz, day_of_month
):
    fired = next_settlement(
        "monthly", after=after, time_of_day=time_of_day, tz=tz, day_of_month=day_of_month
    )
    assert fired > after
    assert fired - after <= timedelta(days=31, hours=3)
    local = fired.astimezone(tz)
    if not is_skipped_wall_time(local.date(), time_of_day, tz):
        last = calendar.monthrange(local.year, local.month)[1]
        assert local.day == min(day_of_month, last)


@PROPERTY
@given(after=instants)
def test_property_threshold_checks_within_a_minute(after):
    fired = next_settlement("threshold", after=after, time_of_day=time(0), tz=LAGOS)
    assert after < fired <= after + timedelta(minutes=1)
    assert fired.second == 0 and fired.microsecond == 0


@PROPERTY
@given(start=instants, time_of_day=times_of_day, tz=zones)
def test_property_consecutive_daily_firings_are_one_local_day_apart(start, time_of_day, tz):
    first = next_settlement("daily", after=start, time_of_day=time_of_day, tz=tz)
    second = next_settlement("daily", after=first, time_of_day=time_of_day, tz=tz)
    assert second.astimezone(tz).date() - first.astimezone(tz).date() == timedelta(days=1)
