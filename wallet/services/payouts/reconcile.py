"""The reconcile jobs: every open payout untouched for a while is verified with Paystack, and
recent successes are checked again, since Paystack can reverse a transfer after success.

Each open payout is rechecked on a schedule of its own (`next_check_at`, see
wallet/services/rechecks.py) and each recent success at most once per `every`, least recently
checked first: a run never spends its `limit` on the same payouts while others wait."""

import logging
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from wallet.models import Payout, TransactionStatus
from wallet.services.payouts.transfers import OPEN_STATES, reconcile_payout
from wallet.services.rechecks import due_for_check, schedule_next_check

logger = logging.getLogger(__name__)


def payouts_to_reconcile(older_than: timedelta):
    """Open payouts untouched for `older_than` whose next check is due, longest due first."""
    cutoff = timezone.now() - older_than
    open_payouts = Payout.objects.filter(
        transaction__status__in=OPEN_STATES, updated_at__lte=cutoff
    ).select_related("transaction")
    return due_for_check(open_payouts, "updated_at")


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
        _schedule_next_check(payout, older_than)
        checked += 1
    return checked


def _schedule_next_check(payout: Payout, older_than: timedelta) -> None:
    # A payout's quiet time runs from its last change (an answer, a re-send, an error).
    quiet_since = Payout.objects.values_list("updated_at", flat=True).get(pk=payout.pk)
    schedule_next_check(Payout, payout.pk, quiet_since=quiet_since, at_least=older_than)


def recent_successes_to_recheck(within: timedelta, every: timedelta):
    now = timezone.now()
    return (
        Payout.objects.filter(
            transaction__status=TransactionStatus.SUCCESS,
            transaction__completed_at__gte=now - within,
        )
        .exclude(last_checked_at__gt=now - every)
        .select_related("transaction")
        # Never-checked first (PostgreSQL would sort NULL last and starve them), then the
        # least recently checked.
        .order_by(F("last_checked_at").asc(nulls_first=True), "pk")
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
            reconcile_payout(client, payout, via="recheck of a recent success (Paystack's verify)")
        except Exception:  # one bad payout must not stop the others
            logger.exception("recheck of %s failed", payout.reference)
        checked += 1
    return checked
