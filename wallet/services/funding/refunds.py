"""Refunds and Paystack verification (mixed into TransactionService).

A card (or dedicated-account) deposit is refunded through Paystack's refund API in three
steps, never calling Paystack inside a database transaction:
1. reserve: lock the deposit row, cap the amount at what is left to refund, debit the wallet
   into refunds_in_flight, create the pending Refund (commit);
2. ask Paystack (an inconclusive answer leaves the refund pending for reconciliation);
3. Paystack's answer, a `refund.*` webhook or the reconcile job finishes it exactly once:
   processed -> refunds_in_flight to paystack; failed -> back to the wallet.
An internal transfer is reversed through the ledger by core's `reverse_transaction`.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.db import transaction as db
from django.db.models import Sum
from django.utils import timezone

from wallet.exceptions import (
    PaystackAPIError,
    PaystackUnavailable,
    RefundExceedsCharge,
    RefundNotAllowed,
)
from wallet.models import (
    Direction,
    Refund,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from wallet.paystack import from_subunit, to_subunit
from wallet.services.funding.charges import FUNDING_CHANNELS, apply_charge_report, find_charge
from wallet.services.ledger.limits import check_amount
from wallet.services.ledger.posting import Leg, lock_wallets, new_reference, post
from wallet.services.ledger.retry import retry_on_conflict

logger = logging.getLogger(__name__)

PROCESSED = ("processed",)
FAILED = ("failed",)


class RefundOperations:
    """Verification of Paystack charges and refunds (mixed into TransactionService)."""

    def verify_paystack_transaction(self, reference, wallet=None) -> dict:
        """Paystack's verification `data` for `reference`; when the reference is one of this
        site's deposits (of `wallet`, if given) its local state is settled too: a success is
        credited once, a final failure marked. Raises PaystackAPIError (unknown reference,
        gateway down), ChargeBelongsToAnotherWallet, ChargeAmountMismatch."""
        tx = None
        if wallet is not None:
            tx = find_charge(reference, wallet)
        else:
            tx = Transaction.objects.filter(
                reference=str(reference or ""),
                transaction_type=TransactionType.DEPOSIT,
                channel__in=FUNDING_CHANNELS,
            ).first()
        data = self.paystack.verify_transaction(reference)
        if tx is not None and tx.status != TransactionStatus.SUCCESS:
            apply_charge_report(tx, data)
        return data

    def refund_transaction(self, transaction, amount=None, reason=None):
        """Refund a deposit (full when `amount` is None, or partial) or reverse an internal
        transfer; returns the refund (or reversal) Transaction.

        Card/bank deposits: the wallet is debited now into refunds_in_flight; the returned
        Transaction is `pending` until Paystack reports processed (then `success`) or failed
        (then `failed`, and the wallet is credited back once). Raises RefundNotAllowed,
        RefundExceedsCharge / InvalidAmount, InsufficientFunds (the money was spent), or
        PaystackAPIError when Paystack refuses (the wallet is then credited back).
        """
        if transaction.transaction_type == TransactionType.TRANSFER:
            return self._reverse_transfer(transaction, amount, reason)
        if transaction.transaction_type != TransactionType.DEPOSIT or (
            transaction.channel not in FUNDING_CHANNELS
        ):
            raise RefundNotAllowed(
                "Only card or bank-transfer deposits and transfers can be refunded."
            )
        amount = None if amount is None else check_amount(amount)
        refund = reserve_refund(transaction.pk, amount, reason or "")
        return self.send_refund(refund).transaction

    def _reverse_transfer(self, transaction, amount, reason):
        if amount is not None and check_amount(amount) != transaction.amount:
            raise RefundNotAllowed("A transfer can only be reversed in full.")
        return self.reverse_transaction(transaction, reason=reason or "Refund")

    def send_refund(self, refund) -> Refund:
        """Ask Paystack to refund a reserved refund; apply a conclusive answer at once."""
        try:
            data = self.paystack.create_refund(
                transaction=refund.charge.reference,
                amount_kobo=to_subunit(refund.amount),
                merchant_note=refund.reason or "Refund",
            )
        except PaystackUnavailable as error:
            logger.warning("Refund %s outcome unknown: %s", refund.pk, error.message)
            note = "Paystack did not confirm the refund yet; it is held and will be checked."
            Refund.objects.filter(pk=refund.pk).update(failure_reason=note)
            refund.refresh_from_db()
            return refund
        except PaystackAPIError as error:
            finish_refund(refund.pk, "failed", f"Paystack refused the refund: {error.message}")
            raise PaystackAPIError(
                f"Paystack refused the refund ({error.message}); the amount is back in the wallet.",
                http_status=error.http_status,
                code=error.code,
            )
        return apply_refund_answer(refund.pk, data)

    def reconcile_refund(self, refund) -> Refund:
        """Settle a pending refund from Paystack's records (used by the reconcile job)."""
        if refund.paystack_refund_id:
            return apply_refund_answer(
                refund.pk, self.paystack.fetch_refund(refund.paystack_refund_id)
            )
        remote = _unclaimed_remote_refund(
            refund, self.paystack.list_refunds(transaction=refund.charge.reference)
        )
        if remote is not None:
            return apply_refund_answer(refund.pk, remote)
        return self.send_refund(refund)


@retry_on_conflict
def reserve_refund(charge_id, amount, reason) -> Refund:
    """Lock the deposit, cap the amount at what is left, debit the wallet into
    refunds_in_flight and create the pending Refund (one database transaction)."""
    with db.atomic():
        charge = Transaction.objects.select_for_update().get(pk=charge_id)
        if charge.status != TransactionStatus.SUCCESS:
            raise RefundNotAllowed(
                f"Only a successful payment can be refunded (this one is {charge.status})."
            )
        left = charge.amount - refunded_amount(charge)
        if left <= 0:
            raise RefundNotAllowed("This payment has already been refunded in full.")
        amount = left if amount is None else amount
        if amount > left:
            raise RefundExceedsCharge(
                f"At most {left} {charge.currency} can still be refunded on this payment."
            )
        wallet = lock_wallets([charge.wallet_id])[charge.wallet_id]
        tx = Transaction.objects.create(
            wallet=wallet,
            reference=new_reference("rfd"),
            transaction_type=TransactionType.REFUND,
            direction=Direction.DEBIT,
            status=TransactionStatus.PENDING,
            amount=amount,
            fee=Decimal("0.00"),
            currency=charge.currency,
            channel=charge.channel,
            description=f"Refund of {charge.reference}",
            related_transaction=charge,
            metadata={"reason": reason},
        )
        post(
            journal=tx,
            legs=[
                Leg(wallet=wallet, amount=-amount),
                Leg(account=SystemAccount.REFUNDS_IN_FLIGHT, amount=amount),
            ],
        )
        return Refund.objects.create(
            charge=charge, transaction=tx, amount=amount, currency=charge.currency, reason=reason
        )


def refunded_amount(charge) -> Decimal:
    """What is refunded or being refunded on `charge` (failed refunds do not count)."""
    total = (
        Refund.objects.filter(charge=charge)
        .exclude(status=Refund.Status.FAILED)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal("0.00")


def apply_refund_answer(refund_id, data) -> Refund:
    """Record Paystack's refund object (create/fetch answer or webhook data) on the refund."""
    status = str(data.get("status") or "")
    remote_id = _remote_id(data)
    with db.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        known = (refund.paystack_refund_id, refund.paystack_status)
        claimed = Refund.objects.filter(paystack_refund_id=remote_id).exclude(pk=refund_id)
        if remote_id and not refund.paystack_refund_id and not claimed.exists():
            refund.paystack_refund_id = remote_id
        refund.paystack_status = status or refund.paystack_status
        # Saved only when Paystack told us something new: `updated_at` is the refund's last
        # change, from which the reconcile job backs off (wallet/services/rechecks.py).
        if (refund.paystack_refund_id, refund.paystack_status) != known:
            refund.save(update_fields=["paystack_refund_id", "paystack_status", "updated_at"])
    if status in PROCESSED or status in FAILED:
        reason = (
            "" if status in PROCESSED else str(data.get("message") or "Paystack: refund failed")
        )
        return finish_refund(refund_id, status, reason)
    return refund


@retry_on_conflict
def finish_refund(refund_id, status, reason="") -> Refund:
    """pending -> processed (refunds_in_flight -> paystack) or failed (back to the wallet);
    exactly once: a final refund never changes again."""
    with db.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.is_final:
            return refund
        tx = Transaction.objects.select_for_update().get(pk=refund.transaction_id)
        wallet = lock_wallets([tx.wallet_id])[tx.wallet_id]
        in_flight = Leg(account=SystemAccount.REFUNDS_IN_FLIGHT, amount=-refund.amount)
        if status in PROCESSED:
            post(
                journal=tx,
                legs=[in_flight, Leg(account=SystemAccount.PAYSTACK, amount=refund.amount)],
            )
            refund.status, tx.status = Refund.Status.PROCESSED, TransactionStatus.SUCCESS
        else:
            post(journal=tx, legs=[in_flight, Leg(wallet=wallet, amount=refund.amount)])
            refund.status, tx.status = Refund.Status.FAILED, TransactionStatus.FAILED
            refund.failure_reason = tx.failure_reason = reason or "Refund failed"
        refund.completed_at = tx.completed_at = timezone.now()
        refund.paystack_status = status
        refund.save()
        tx.save(update_fields=["status", "failure_reason", "completed_at"])
        return refund


def refund_for_event(data):
    """The local Refund a `refund.*` webhook is about (by Paystack id, else by the charge
    reference and amount), or None."""
    remote_id = _remote_id(data)
    if remote_id:
        found = Refund.objects.filter(paystack_refund_id=remote_id).first()
        if found:
            return found
    reference = data.get("transaction_reference") or (data.get("transaction") or {}).get(
        "reference"
    )
    if not reference:
        return None
    candidates = Refund.objects.filter(charge__reference=str(reference)).order_by("created_at")
    amount = _amount(data)
    if amount is not None:
        candidates = candidates.filter(amount=amount)
    unlinked = candidates.filter(paystack_refund_id__isnull=True, status=Refund.Status.PENDING)
    return unlinked.first() or candidates.filter(status=Refund.Status.PENDING).first()


def stale_pending_refunds(older_than=timedelta(minutes=5)):
    cutoff = timezone.now() - older_than
    return Refund.objects.select_related("charge").filter(
        status=Refund.Status.PENDING, updated_at__lt=cutoff
    )


def _unclaimed_remote_refund(refund, remote_refunds):
    """A refund Paystack has for the charge that no local refund claims yet (same amount)."""
    claimed = set(
        Refund.objects.filter(
            charge_id=refund.charge_id, paystack_refund_id__isnull=False
        ).values_list("paystack_refund_id", flat=True)
    )
    for remote in remote_refunds or []:
        if _remote_id(remote) not in claimed and _amount(remote) == refund.amount:
            return remote
    return None


def _remote_id(data):
    value = data.get("id") or data.get("refund_id")
    if not value and str(data.get("refund_reference") or "").isdigit():
        value = data["refund_reference"]
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _amount(data):
    try:
        return from_subunit(int(data.get("amount")))
    except (TypeError, ValueError, ArithmeticError):
        return None
