"""The reconcile job: every open payout untouched for a while is verified with Paystack."""

import logging
from datetime import timedelta

from django.utils import timezone

from wallet.models import Payout
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
