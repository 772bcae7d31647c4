"""Reconciliation of money coming in: the jobs that finish what a lost callback, a dropped
webhook or a Paystack outage left open. Every step is idempotent (the services credit or move
each charge / refund / event at most once), so a job may run twice or in two workers."""

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
    once, a final failure marked failed; after `abandon_after` an unpaid one is abandoned."""
    now = timezone.now()
    pending = Transaction.objects.filter(
        transaction_type=TransactionType.DEPOSIT,
        channel__in=FUNDING_CHANNELS,
        status=TransactionStatus.PENDING,
        created_at__lt=now - verify_after,
    ).order_by("created_at")[:limit]
    report = Report()
    for tx in pending:
        report.checked += 1
        too_old = tx.created_at < now - abandon_after
        try:
            moved = _settle_pending_charge(paystack, tx, too_old)
        except (WalletError, PaystackAPIError) as error:
            report.errors.append(f"{tx.reference}: {error.message}")
            continue
        report.changed += moved.status != TransactionStatus.PENDING
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
        return mark_charge_failed(tx, "The payment never reached Paystack; nothing was charged.")
    return apply_charge_report(tx, data, abandon=too_old)


def _never_reached_paystack(error):
    return (
        error.code == "transaction_not_found"
        or error.http_status == 404
        or ("not found" in (error.message or "").lower())
    )


def reconcile_pending_refunds(service, older_than=timedelta(minutes=5), limit=100):
    """Finish refunds still pending: fetch their state at Paystack, or find / resend the
    request whose answer was lost; then give the refunds that id-less webhooks finished their
    Paystack id. `service` is a TransactionService."""
    report = Report()
    for refund in refunds.stale_pending_refunds(older_than)[:limit]:
        report.checked += 1
        try:
            settled = service.reconcile_refund(refund)
        except (WalletError, PaystackAPIError) as error:
            report.errors.append(f"refund {refund.pk}: {error.message}")
            Refund.objects.filter(pk=refund.pk).update(updated_at=timezone.now())
            continue
        report.changed += settled.status != Refund.Status.PENDING
    for refund in refunds.final_refunds_without_paystack_id()[:limit]:
        try:
            service.identify_refund(refund)
        except (WalletError, PaystackAPIError) as error:
            report.errors.append(f"refund {refund.pk}: {error.message}")
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
