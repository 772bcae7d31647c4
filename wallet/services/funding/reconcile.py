"""Reconciliation of money coming in: the jobs that finish what a lost callback, a dropped
webhook or a Paystack outage left open. Every step is idempotent (the services credit or move
each charge / refund / event at most once), so a job may run twice or in two workers.

Each pending charge and refund is rechecked on a schedule of its own (`next_check_at`, see
wallet/services/rechecks.py), so a run takes the items due longest, never the same oldest
`limit` again and again."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from wallet.exceptions import PaystackAPIError, WalletError
from wallet.models import Refund, Transaction, TransactionStatus, TransactionType
from wallet.services.funding import refunds, webhooks
from wallet.services.funding.charges import (
    FUNDING_CHANNELS,
    apply_charge_report,
    mark_charge_failed,
)
from wallet.services.rechecks import due_for_check, schedule_next_check

logger = logging.getLogger(__name__)

VERIFY_AFTER = timedelta(minutes=3)
ABANDON_AFTER = timedelta(days=1)


@dataclass
class Report:
    checked: int = 0
    changed: int = 0
    errors: list = field(default_factory=list)


def reconcile_pending_charges(
    paystack, verify_after=VERIFY_AFTER, abandon_after=ABANDON_AFTER, limit=200
):
    """Ask Paystack about deposits still pending after `verify_after`: success is credited
    once, a final failure marked failed; after `abandon_after` an unpaid one is abandoned.
    At most `limit` charges per run, those due for a check longest first."""
    now = timezone.now()
    pending = Transaction.objects.filter(
        transaction_type=TransactionType.DEPOSIT,
        channel__in=FUNDING_CHANNELS,
        status=TransactionStatus.PENDING,
        created_at__lt=now - verify_after,
    )
    report = Report()
    for tx in due_for_check(pending, "created_at", now=now)[:limit]:
        report.checked += 1
        too_old = tx.created_at < now - abandon_after
        try:
            moved = _settle_pending_charge(paystack, tx, too_old)
        except (WalletError, PaystackAPIError) as error:
            report.errors.append(f"{tx.reference}: {error.message}")
            moved = tx
        if moved.status == TransactionStatus.PENDING:
            # A pending charge changes only at Paystack: its quiet time is its age.
            schedule_next_check(
                Transaction, tx.pk, quiet_since=tx.created_at, at_least=verify_after
            )
        else:
            report.changed += 1
    _log("charges", report)
    return report


def _settle_pending_charge(paystack, tx, too_old):
    try:
        data = paystack.verify_transaction(tx.reference)
    except PaystackAPIError as error:
        if error.inconclusive:
            raise
        if not _never_reached_paystack(error):
            raise
        # The initialize / charge call failed before Paystack recorded it: nobody can pay it.
        return mark_charge_failed(
            tx, "The payment never reached Paystack; nothing was charged.", via="reconcile check"
        )
    return apply_charge_report(tx, data, abandon=too_old, via="reconcile check (Paystack's verify)")


def _never_reached_paystack(error):
    return (
        error.code == "transaction_not_found"
        or error.http_status == 404
        or ("not found" in (error.message or "").lower())
    )


def reconcile_pending_refunds(service, older_than=timedelta(minutes=5), limit=100):
    """Finish refunds still pending: fetch their state at Paystack, or find / resend the
    request whose answer was lost; then give the refunds that id-less webhooks finished their
    Paystack id. `service` is a TransactionService. At most `limit` pending refunds per run,
    those due for a check longest first."""
    report = Report()
    stale = refunds.stale_pending_refunds(older_than)
    for refund in due_for_check(stale, "updated_at")[:limit]:
        report.checked += 1
        try:
            settled = service.reconcile_refund(refund)
        except (WalletError, PaystackAPIError) as error:
            report.errors.append(f"refund {refund.pk}: {error.message}")
            settled = refund
        if settled.status == Refund.Status.PENDING:
            quiet_since = Refund.objects.values_list("updated_at", flat=True).get(pk=refund.pk)
            schedule_next_check(Refund, refund.pk, quiet_since=quiet_since, at_least=older_than)
        else:
            report.changed += 1
    unidentified = refunds.final_refunds_without_paystack_id()
    for refund in due_for_check(unidentified, "completed_at")[:limit]:
        try:
            refund = service.identify_refund(refund)
        except (WalletError, PaystackAPIError) as error:
            report.errors.append(f"refund {refund.pk}: {error.message}")
        if refund.paystack_refund_id is None:  # not found yet: its turn comes again later
            schedule_next_check(
                Refund, refund.pk, quiet_since=refund.completed_at, at_least=older_than
            )
    _log("refunds", report)
    return report


def retry_failed_webhooks():
    """Process again webhook events that failed or were never picked up."""
    return webhooks.retry_failed_events()


def _log(what, report):
    if report.checked:
        logger.info(
            "Reconciled %s: %s checked, %s settled, %s errors",
            what,
            report.checked,
            report.changed,
            len(report.errors),
        )
