"""The reconcile jobs: every open payout untouched for a while is verified with Paystack, and
recent successes are checked again, since Paystack can reverse a transfer after success."""

import logging
from datetime import timedelta

from django.utils import timezone

from wallet.models import Payout, TransactionStatus
from wallet.services.payouts.transfers import OPEN_STATES, reconcile_payout

logger = logging.getLogger(__name__)


def payouts_to_reconcile(older_than: timedelta):
    cutoff = timezone.now() - older_than
    return (
        Payout.objects.filter(transaction__status__in=OPEN_STATES, updated_at__lte=cutoff)
        .select_related("transaction")
        .order_by("updated_at")
    )


def reconcile_open_payouts(
    client, *, older_than: timedelta = timedelta(minutes=1), limit=200
) -> int:
    """Verify every open payout untouched for `older_than`; returns how many were checked."""
    checked = 0
    for payout in payouts_to_reconcile(older_than)[:limit]:
        try:
            reconcile_payout(client, payout)
        except Exception:  # one bad payout must not stop the others; it stays listed for staff
            logger.exception("reconcile of %s failed", payout.reference)
        checked += 1
    return checked


def recent_successes_to_recheck(within: timedelta, every: timedelta):
    now = timezone.now()
    return (
        Payout.objects.filter(
            transaction__status=TransactionStatus.SUCCESS,
            transaction__completed_at__gte=now - within,
        )
        .exclude(last_checked_at__gt=now - every)
        .select_related("transaction")
        .order_by("last_checked_at")
    )


def recheck_recent_successes(
    client,
    *,
    within: timedelta = timedelta(days=3),
    every: timedelta = timedelta(hours=6),
    limit=500,
) -> int:
    """Verify payouts that succeeded within `within`, each at most once per `every`.

    A `transfer.reversed` webhook that never arrives (our endpoint down past Paystack's
    retries) would otherwise leave the money reversed at Paystack but paid out in our books:
    the customer's money lost. Verify sees the reversal and returns it, once.
    """
    checked = 0
    for payout in recent_successes_to_recheck(within, every)[:limit]:
        try:
            reconcile_payout(client, payout)
        except Exception:  # one bad payout must not stop the others
            logger.exception("recheck of %s failed", payout.reference)
        checked += 1
    return checked
