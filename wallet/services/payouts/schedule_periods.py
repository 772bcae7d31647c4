"""Calendar periods of a settlement schedule: one settlement per schedule per day, ISO week or
month, whatever the edits (security review, finding 8).

A run's `period` is the instant it was due; moving a daily schedule from 09:00 to 10:00 after
today's run made a new instant today, and a second settlement. The calendar period (the local
day, week or month that instant falls in) does not move with the time of day: it is recorded
on each run (`SettlementRun.calendar_period`, unique among settled runs) and checked, under the
schedule's row lock, before a period is settled. Threshold schedules are a watch, not a
calendar: they have no calendar period.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from wallet.models import SettlementRun, SettlementRunOutcome
from wallet.services.payouts.schedule_time import DAILY, MONTHLY, WEEKLY, at_local_time

MIDNIGHT = datetime.min.time()


def period_bounds(schedule_type: str, instant: datetime, tz: ZoneInfo):
    """(start, end) in UTC of the local day, week or month holding `instant`; None for a
    threshold schedule."""
    day = instant.astimezone(tz).date()
    if schedule_type == DAILY:
        start, end = day, day + timedelta(days=1)
    elif schedule_type == WEEKLY:
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=7)
    elif schedule_type == MONTHLY:
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
    else:
        return None
    return at_local_time(start, MIDNIGHT, tz), at_local_time(end, MIDNIGHT, tz)


def period_label(schedule_type: str, instant: datetime, tz: ZoneInfo) -> str:
    """ "2026-12-01", "2026-W49" or "2026-12"; "" for a threshold schedule."""
    local = instant.astimezone(tz)
    if schedule_type == DAILY:
        return local.strftime("%Y-%m-%d")
    if schedule_type == WEEKLY:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    if schedule_type == MONTHLY:
        return local.strftime("%Y-%m")
    return ""


def settled_within(schedule, bounds) -> bool:
    """Whether the schedule already settled at a due time inside `bounds` (any type it had)."""
    start, end = bounds
    return SettlementRun.objects.filter(
        schedule=schedule,
        outcome=SettlementRunOutcome.SETTLED,
        period__gte=start.astimezone(UTC),
        period__lt=end.astimezone(UTC),
    ).exists()
