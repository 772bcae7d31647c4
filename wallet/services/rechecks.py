"""When a reconcile job asks Paystack again about an item it could not settle yet.

Every open item a reconcile job looks at (a pending charge, a pending refund, an open payout)
carries its own `next_check_at`. A job takes only the items that are due, those never checked
first, then the longest-waiting, and after asking pushes each one back. So a run never
rechecks the same oldest items while newer ones wait: the whole backlog is covered in turn,
however much larger than one run's limit it grows.

Items that keep not changing (a checkout nobody pays, a transfer stuck at the bank) are asked
less often: once an item has sat unchanged for `BACKOFF_AFTER`, it waits half that quiet time
before the next check, at most `MAX_DELAY`. A job's own minimum (`verify_after`,
`older_than`) always applies.
"""

from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

BACKOFF_AFTER = timedelta(minutes=10)
MAX_DELAY = timedelta(hours=1)


def due_for_check(queryset, *then_by: str, now: datetime | None = None):
    """The items of `queryset` whose next check is due, never-checked first, then oldest due."""
    now = now or timezone.now()
    return queryset.filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)).order_by(
        F("next_check_at").asc(nulls_first=True), *then_by, "pk"
    )


def delay_before_next_check(quiet_for: timedelta, at_least: timedelta) -> timedelta:
    """How long to wait before asking again about an item unchanged for `quiet_for`."""
    backoff = quiet_for / 2 if quiet_for >= BACKOFF_AFTER else timedelta(0)
    return max(at_least, min(backoff, MAX_DELAY))


def schedule_next_check(model, pk, *, quiet_since: datetime, at_least: timedelta) -> datetime:
    """Record when the item `pk` of `model` is next due; returns that time."""
    now = timezone.now()
    due = now + delay_before_next_check(now - quiet_since, at_least)
    model.objects.filter(pk=pk).update(next_check_at=due)
    return due
