"""django-q2 tasks for money coming in: each calls one service."""

from wallet.services.funding import reconcile as reconcile_charges
from wallet.services.funding import webhooks
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService


def process_webhook_event(event_id):
    """After a webhook is stored: apply it (the outcome is recorded on the event)."""
    event = webhooks.process_event(event_id)
    return event.status if event else "already handled"


def reconcile_pending_charges():
    """Every few minutes: settle deposits whose callback and webhook never came."""
    report = reconcile_charges.reconcile_pending_charges(WalletService().paystack)
    return f"{report.checked} checked, {report.changed} settled, {len(report.errors)} errors"


def reconcile_pending_refunds():
    """Every few minutes: finish refunds whose answer was lost."""
    report = reconcile_charges.reconcile_pending_refunds(TransactionService())
    return f"{report.checked} checked, {report.changed} settled, {len(report.errors)} errors"


def retry_failed_webhooks():
    """Every few minutes: process again webhook events that failed or were never picked up."""
    return reconcile_charges.retry_failed_webhooks()


def sync_disputes():
    """Every few minutes: apply Paystack's dispute list (lost webhooks), recover exposure."""
    from wallet.services.disputes.reconcile import sync_disputes as sync

    report = sync()
    return f"{report.listed} listed, {report.opened} opened, {report.resolved} resolved"
