"""Settlements: money sent from a wallet to its own bank account, on request or by a schedule.

A settlement is a payout (see `transfers`) with a Settlement row beside its Transaction, so it
shares the reserve -> send -> record machinery, the webhooks and the reconcile job.
"""

from django.db import IntegrityError
from django.db import transaction as db

from wallet.exceptions import SettlementNotRetryable
from wallet.models import Payout, Settlement, TransactionStatus, TransactionType
from wallet.services.ledger.limits import check_amount
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.payouts.transfers import (
    PayoutRequest,
    check_payout_target,
    existing_payout_for_reference,
    reconcile_payout,
    reserve_payout,
    send_after_commit,
)


def create_settlement(paystack, wallet, bank_account, amount, reason=None, reference=None):
    """See SettlementService.create_settlement."""
    amount = check_amount(amount)
    check_payout_target(wallet, bank_account)
    request = PayoutRequest(
        wallet_id=wallet.pk,
        bank_account=bank_account,
        amount=amount,
        reason=(reason or "Manual settlement").strip(),
        transaction_type=TransactionType.SETTLEMENT,
        reference=reference,
    )
    original = existing_payout_for_reference(reference, request)
    if original is not None:
        return Settlement.objects.get(transaction=original)
    settlement = reserve_settlement(request)
    send_after_commit(paystack, settlement.transaction)
    return refreshed(settlement)


def verify_settlement(paystack, settlement) -> Settlement:
    """See SettlementService.verify_settlement."""
    reconcile_payout(paystack, Payout.objects.get(transaction=settlement.transaction_id))
    return refreshed(settlement)


def retry_settlement(paystack, settlement) -> Settlement:
    """See SettlementService.retry_settlement."""
    settlement = Settlement.objects.select_related("transaction", "bank_account").get(
        pk=settlement.pk
    )
    if settlement.status not in (TransactionStatus.FAILED, TransactionStatus.REVERSED):
        raise SettlementNotRetryable("Only a failed or reversed settlement can be retried.")
    if Settlement.objects.filter(retry_of=settlement).exists():
        raise SettlementNotRetryable("This settlement has already been retried.")
    request = PayoutRequest(
        wallet_id=settlement.wallet_id,
        bank_account=settlement.bank_account,
        amount=settlement.amount,
        reason=settlement.reason,
        transaction_type=TransactionType.SETTLEMENT,
    )
    check_payout_target(settlement.wallet, settlement.bank_account)
    try:
        retry = reserve_settlement(request, retry_of=settlement)
    except IntegrityError:  # a concurrent retry won (retry_of is unique); it moved nothing
        raise SettlementNotRetryable("This settlement has already been retried.")
    send_after_commit(paystack, retry.transaction)
    return refreshed(retry)


@retry_on_conflict
def reserve_settlement(request, *, schedule=None, retry_of=None) -> Settlement:
    with db.atomic():
        tx = reserve_payout(request)
        return Settlement.objects.create(
            wallet_id=request.wallet_id,
            bank_account=request.bank_account,
            transaction=tx,
            schedule=schedule,
            retry_of=retry_of,
            amount=request.amount,
            reason=request.reason,
        )


def refreshed(settlement: Settlement) -> Settlement:
    return Settlement.objects.select_related("transaction", "bank_account__bank").get(
        pk=settlement.pk
    )
