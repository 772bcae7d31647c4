"""Refunds and Paystack verification (mixed into TransactionService).

A card (or dedicated-account) deposit is refunded through Paystack's refund API in three
steps, never calling Paystack inside a database transaction:
1. reserve: lock the deposit row, cap the amount at what is left to refund, debit the wallet
   into refunds_in_flight, create the pending Refund (commit);
2. ask Paystack (an inconclusive answer leaves the refund pending for reconciliation);
3. Paystack's answer, a `refund.*` webhook or the reconcile job finishes it exactly once:
   processed -> refunds_in_flight to paystack; failed -> back to the wallet.
A refund is never sent twice: after an inconclusive create (timeout, 5xx) it is sent again only
once Paystack's records show no refund for that charge and amount, and a refusal of such a
resend credits the wallet back only after the records are read again and still show none
(refund_matching says how a Paystack refund is matched to ours).
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
from wallet.paystack import to_subunit
from wallet.services.funding.charges import FUNDING_CHANNELS, apply_charge_report, find_charge
from wallet.services.funding.refund_matching import (
    OUR_MARKERS,
    REFUSED,
    UNCONFIRMED,
    remote_id,
    unclaimed_remote_refund,
)
from wallet.services.ledger.limits import check_amount
from wallet.services.ledger.posting import Leg, lock_wallets, new_reference, post
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.ledger.status_log import cause_with_reason, record_status_change
from wallet.services.notifications import events as notification_events

logger = logging.getLogger(__name__)

PROCESSED = ("processed",)
FAILED = ("failed",)
# What moved a refund, for its status changes (the back-office timeline).
REFUND_SEND_VIA = "Paystack's answer to the refund request"
RECHECK_VIA = "reconcile check (Paystack's refund records)"


class RefundOperations:
    """Verification of Paystack charges and refunds (mixed into TransactionService)."""

    def verify_paystack_transaction(
        self, reference, wallet=None, *, via="Paystack's verify"
    ) -> dict:
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
            apply_charge_report(tx, data, via=via)
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
        return self.reverse_transaction(
            transaction, reason=reason or "Refund", via="refund of a transfer"
        )

    def send_refund(self, refund) -> Refund:
        """Ask Paystack to refund a reserved refund; apply a conclusive answer at once.

        An inconclusive answer leaves it pending, marked UNCONFIRMED. A refusal credits the
        wallet back and raises PaystackAPIError, except after an unconfirmed attempt: the first
        request may have gone through (so "amount exceeds" proves nothing), and the refund stays
        pending, marked REFUSED, until reconciliation reads Paystack's records."""
        unsure = refund.paystack_status == UNCONFIRMED
        try:
            data = self.paystack.create_refund(
                transaction=refund.charge.reference,
                amount_kobo=to_subunit(refund.amount),
                merchant_note=refund.reason or "Refund",
            )
        except PaystackUnavailable as error:
            logger.warning("Refund %s outcome unknown: %s", refund.pk, error.message)
            note = "Paystack did not confirm the refund yet; it is held and will be checked."
            return _mark(refund, UNCONFIRMED, note)
        except PaystackAPIError as error:
            if unsure:
                logger.warning("Refund %s resend refused: %s", refund.pk, error.message)
                note = (
                    f"Paystack refused a resend ({error.message}); the refund is held until "
                    "Paystack's records show whether the first request went out."
                )
                return _mark(refund, REFUSED, note)
            finish_refund(
                refund.pk,
                "failed",
                f"Paystack refused the refund: {error.message}",
                paystack_status=REFUSED,
                via=REFUND_SEND_VIA,
            )
            raise PaystackAPIError(
                f"Paystack refused the refund ({error.message}); the amount is back in the wallet.",
                http_status=error.http_status,
                code=error.code,
            )
        return apply_refund_answer(refund.pk, data, via=REFUND_SEND_VIA)

    def reconcile_refund(self, refund) -> Refund:
        """Settle a pending refund from Paystack's records (used by the reconcile job): by its
        Paystack id; else a refund Paystack has for the charge and amount that no other local
        refund owns; else, when Paystack never acknowledged it, send it (again). A resend
        Paystack refused, with still no such refund in its records, fails (wallet credited)."""
        if refund.paystack_refund_id:
            return apply_refund_answer(
                refund.pk, self.paystack.fetch_refund(refund.paystack_refund_id), via=RECHECK_VIA
            )
        remote = unclaimed_remote_refund(refund, self._remote_refunds_of(refund.charge))
        if remote is not None:
            return apply_refund_answer(refund.pk, remote, via=RECHECK_VIA)
        if refund.paystack_status == REFUSED:
            note = refund.failure_reason or "Paystack refused the refund."
            return finish_refund(
                refund.pk, "failed", note, paystack_status=REFUSED, via=RECHECK_VIA
            )
        if refund.paystack_status not in OUR_MARKERS:
            # A webhook said Paystack has it, but its list does not show it yet: wait.
            return refund
        return self.send_refund(refund)

    def identify_refund(self, refund) -> Refund:
        """Link a final refund that only id-less webhooks finished to its Paystack id, found
        in Paystack's records (same charge, amount and status); moves no money."""
        remotes = self._remote_refunds_of(refund.charge)
        remote = unclaimed_remote_refund(refund, remotes, status=refund.status)
        if remote is not None:
            Refund.objects.filter(pk=refund.pk, paystack_refund_id__isnull=True).update(
                paystack_refund_id=remote_id(remote)
            )
            refund.refresh_from_db()
        return refund

    def _remote_refunds_of(self, charge):
        """Every refund Paystack has for `charge` (all pages; none can predate the charge)."""
        since = (charge.created_at - timedelta(days=1)).date().isoformat()
        return list(self.paystack.iter_refunds(transaction=charge.reference, from_=since))


def _mark(refund, marker, note) -> Refund:
    Refund.objects.filter(pk=refund.pk, status=Refund.Status.PENDING).update(
        paystack_status=marker, failure_reason=note, updated_at=timezone.now()
    )
    refund.refresh_from_db()
    return refund


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


def apply_refund_answer(refund_id, data, *, via="") -> Refund:
    """Record Paystack's refund object (create/fetch answer or webhook data) on the refund;
    `via` (where it came from) is kept with the status change it makes."""
    status = str(data.get("status") or "")
    found_id = remote_id(data)
    with db.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        known = (refund.paystack_refund_id, refund.paystack_status)
        claimed = Refund.objects.filter(paystack_refund_id=found_id).exclude(pk=refund_id)
        if found_id and not refund.paystack_refund_id and not claimed.exists():
            refund.paystack_refund_id = found_id
        refund.paystack_status = status or refund.paystack_status
        # Saved only when Paystack told us something new: `updated_at` is the refund's last
        # change, from which the reconcile job backs off (wallet/services/rechecks.py).
        if (refund.paystack_refund_id, refund.paystack_status) != known:
            refund.save(update_fields=["paystack_refund_id", "paystack_status", "updated_at"])
    if status in PROCESSED or status in FAILED:
        reason = (
            "" if status in PROCESSED else str(data.get("message") or "Paystack: refund failed")
        )
        return finish_refund(refund_id, status, reason, via=via)
    return refund


@retry_on_conflict
def finish_refund(refund_id, status, reason="", paystack_status=None, *, via="") -> Refund:
    """pending -> processed (refunds_in_flight -> paystack) or failed (back to the wallet);
    exactly once: a final refund never changes again. `paystack_status` overrides what is
    recorded as Paystack's word (REFUSED: Paystack never created it)."""
    with db.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.is_final:
            return refund
        tx = Transaction.objects.select_for_update().get(pk=refund.transaction_id)
        previous = tx.status
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
        refund.paystack_status = paystack_status or status
        refund.save()
        tx.save(update_fields=["status", "failure_reason", "completed_at"])
        cause = cause_with_reason(via or f"Paystack said {status}", tx.failure_reason)
        record_status_change(tx, previous, tx.status, cause, at=tx.completed_at)
        notification_events.refund_finished(refund)
        return refund


def final_refunds_without_paystack_id(within=timedelta(days=3)):
    """Refunds finished by webhooks that named no refund id (Paystack has them: not the ones it
    refused), completed in the last `within`."""
    return (
        Refund.objects.select_related("charge")
        .filter(paystack_refund_id__isnull=True, completed_at__gte=timezone.now() - within)
        .exclude(status=Refund.Status.PENDING)
        .exclude(paystack_status=REFUSED)
    )


def stale_pending_refunds(older_than=timedelta(minutes=5)):
    cutoff = timezone.now() - older_than
    return Refund.objects.select_related("charge").filter(
        status=Refund.Status.PENDING, updated_at__lt=cutoff
    )
