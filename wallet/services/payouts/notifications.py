"""E-mails about payouts. A payout's outcome is told through the notifications
(services/notifications/events.payout_finished); this sends one again on staff request."""

from wallet.models import Transaction, TransactionStatus, TransactionType
from wallet.services.notifications.emails import send_customer_email

S = TransactionStatus

TEMPLATES = {
    (TransactionType.WITHDRAWAL, S.SUCCESS): "withdrawal_completed",
    (TransactionType.WITHDRAWAL, S.FAILED): "withdrawal_failed",
    (TransactionType.WITHDRAWAL, S.REVERSED): "withdrawal_failed",
    (TransactionType.BANK_SEND, S.SUCCESS): "bank_send_completed",
    (TransactionType.BANK_SEND, S.FAILED): "bank_send_failed",
    (TransactionType.BANK_SEND, S.REVERSED): "bank_send_failed",
    (TransactionType.SETTLEMENT, S.SUCCESS): "settlement_paid",
    (TransactionType.SETTLEMENT, S.FAILED): "settlement_failed",
    (TransactionType.SETTLEMENT, S.REVERSED): "settlement_failed",
}


def send_payout_notification(transaction_id: int, status: str) -> bool:
    """Mail the wallet owner that a payout reached `status`; False when there is nothing to say."""
    tx = Transaction.objects.select_related(
        "wallet__user", "payout__bank_account__bank", "payout__beneficiary__bank"
    ).get(pk=transaction_id)
    name = TEMPLATES.get((tx.transaction_type, status))
    if name is None or not tx.wallet.user.email:
        return False
    context = {"transaction": tx, "status": status, "bank_account": tx.payout.destination}
    return send_customer_email(tx.wallet.user, name, context)
