"""The JSON API's Idempotency-Key records: how long an answer is replayed, and forgetting it."""

import datetime as dt

from django.utils import timezone

from wallet.models import IdempotencyKey

# How long a key is remembered (Stripe's choice too). A transfer retried later still cannot run
# twice: its reference is derived from the key, and the service replays a known reference.
KEY_LIFETIME = dt.timedelta(hours=24)


def forget_old_keys(*, older_than: dt.timedelta = KEY_LIFETIME) -> int:
    """Delete finished keys older than `older_than`; returns how many were deleted."""
    cutoff = timezone.now() - older_than
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=cutoff, status_code__isnull=False
    ).delete()
    return deleted
