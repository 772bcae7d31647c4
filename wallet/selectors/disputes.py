"""What a customer may read about disputes of their card payments and their problem reports:
always starting from their own wallet or user, never by a bare id."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from wallet.models import Channel, Dispute, SupportCase, Transaction, TransactionType, Wallet


def dispute_for_transaction(*, wallet: Wallet, transaction: Transaction) -> Dispute | None:
    """The dispute a row of this wallet belongs to (the disputed deposit, its hold, its
    release, or a repayment), newest first; None for any other row (without a query: only
    card deposits are disputed, and only dispute rows hold or release)."""
    disputable = transaction.transaction_type == TransactionType.DISPUTE or (
        transaction.transaction_type == TransactionType.DEPOSIT
        and transaction.channel == Channel.CARD
    )
    if not disputable:
        return None
    pk = transaction.pk
    related = transaction.related_transaction_id
    return (
        Dispute.objects.filter(wallet=wallet)
        .filter(Q(deposit_id=pk) | Q(hold_id=pk) | Q(release_id=pk) | Q(deposit_id=related))
        .order_by("-id")
        .first()
    )


def case_for_user(*, user, pk: int) -> SupportCase:
    """One of the user's own problem reports, or 404."""
    return get_object_or_404(
        SupportCase.objects.filter(user=user).select_related("transaction"), pk=pk
    )


def cases_for_transaction(*, user, transaction: Transaction):
    return SupportCase.objects.filter(user=user, transaction=transaction).order_by("-id")
