"""When a settlement schedule fires next: pure date arithmetic, no database, no clock.

Times of day are wall-clock times in the site's time zone. A wall time that does not exist
(the hour skipped when clocks go forward) resolves to the same instant shifted by the gap;
an ambiguous one (clocks go back) resolves to its first occurrence. Results are aware UTC.
"""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
THRESHOLD = "threshold"

# A threshold schedule is a watch, not a calendar: it looks at the balance once a minute.
THRESHOLD_INTERVAL = timedelta(minutes=1)


def at_local_time(day: date, time_of_day: time, tz: ZoneInfo) -> datetime:
    """The instant (UTC) when the wall clock in `tz` shows `time_of_day` on `day`."""
    naive = datetime.combine(day, time_of_day.replace(tzinfo=None))
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def clamp_day_of_month(year: int, month: int, day_of_month: int) -> date:
    """`day_of_month` in that month, or its last day when the month is shorter (31 -> 30 Apr)."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day_of_month, last))


def next_daily(after: datetime, time_of_day: time, tz: ZoneInfo) -> datetime:
    day = after.astimezone(tz).date() - timedelta(days=1)
    while True:
        candidate = at_local_time(day, time_of_day, tz)
        if candidate > after:
            return candidate
        day += timedelta(days=1)


def next_weekly(after: datetime, time_of_day: time, tz: ZoneInfo, day_of_week: int) -> datetime:
    """`day_of_week` counts from Monday = 0, like `date.weekday()`."""
    day = after.astimezone(tz).date() - timedelta(days=1)
    day += timedelta(days=(day_of_week - day.weekday()) % 7)
    while True:
        candidate = at_local_time(day, time_of_day, tz)
        if candidate > after:
            return candidate
        day += timedelta(days=7)


def next_monthly(after: datetime, time_of_day: time, tz: ZoneInfo, day_of_month: int) -> datetime:
    local = after.astimezone(tz)
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    while True:
        candidate = at_local_time(clamp_day_of_month(year, month, day_of_month), time_of_day, tz)
        if candidate > after:
            return candidate
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


def next_threshold_check(after: datetime) -> datetime:
    truncated = after.astimezone(UTC).replace(second=0, microsecond=0)
    return truncated + THRESHOLD_INTERVAL


def next_settlement(
    schedule_type: str,
    *,
    after: datetime,
    time_of_day: time,
    tz: ZoneInfo,
    day_of_week: int | None = None,
    day_of_month: int | None = None,
) -> datetime:
    """The first firing strictly after `after` (an aware datetime) for this kind of schedule."""
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    if schedule_type == DAILY:
        return next_daily(after, time_of_day, tz)
    if schedule_type == WEEKLY:
        return next_weekly(after, time_of_day, tz, day_of_week)
    if schedule_type == MONTHLY:
        return next_monthly(after, time_of_day, tz, day_of_month)
    if schedule_type == THRESHOLD:
        return next_threshold_check(after)
    raise ValueError(f"unknown schedule type {schedule_type!r}")
