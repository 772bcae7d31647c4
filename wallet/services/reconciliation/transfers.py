"""Paystack's transfers against our payouts (withdrawals and settlements), by reference."""

from wallet.models import Payout, ReconciliationMismatch, TransactionStatus
from wallet.paystack import from_subunit
from wallet.services.payouts import gateway
from wallet.services.payouts.transfers import PAYSTACK_TO_STATE
from wallet.services.reconciliation.findings import differences
from wallet.services.reconciliation.paystack_records import (
    amount_of,
    in_period_or_known,
    match,
    missing_at_paystack,
    missing_here,
)

S = TransactionStatus
TRANSFER = ReconciliationMismatch.Record.TRANSFER

# Payouts that say Paystack accepted the transfer: Paystack must have them. A pending payout
# was never confirmed sent (the open-payout job sends it) and a failed one may have been
# refused before Paystack recorded anything.
PAYSTACK_ACTED = {S.PROCESSING, S.OTP, S.SUCCESS, S.REVERSED}


def payouts():
    return Payout.objects.select_related("transaction")


def transfer_findings(paystack, start, end, per_page):
    """(how many Paystack transfers were compared, the findings)."""
    theirs = {
        str(item.get("reference")): item
        for item in paystack.iter_transfers(per_page=per_page, from_=start, to=end)
    }
    ours = in_period_or_known(payouts(), "reference", start, end, theirs)
    findings = match(
        theirs,
        ours,
        compare=_compare,
        missing_here=lambda reference, item: missing_here(
            TRANSFER, reference, item, ours="no such payout", detail=_detail(item)
        ),
        must_be_listed=lambda payout: payout.transaction.status in PAYSTACK_ACTED,
        look_up=lambda payout: _look_up(paystack, payout),
    )
    return len(theirs), findings


def _compare(payout, item):
    tx = payout.transaction
    status = str(item.get("status") or "")
    state = PAYSTACK_TO_STATE.get(status.lower(), f"{status} at Paystack")
    # Paystack has it queued while our answer was lost: the open-payout job catches up.
    if state == S.PROCESSING and tx.status == S.PENDING:
        state = S.PENDING
    return differences(
        TRANSFER,
        payout.reference,
        ours=(from_subunit(payout.amount_kobo), tx.currency, tx.status),
        theirs=(amount_of(item), item.get("currency"), state),
        transaction=tx,
        detail=_detail(item),
    )


def _look_up(paystack, payout):
    """A payout outside Paystack's window (the clocks differ by a moment), or missing there."""
    item = gateway.verify_transfer(paystack, reference=payout.reference)
    if item is not None:
        return _compare(payout, item)
    tx = payout.transaction
    ours = f"{tx.status} {tx.amount} {tx.currency}"
    return [
        missing_at_paystack(
            TRANSFER, payout.reference, ours=ours, theirs="no such transfer", transaction=tx
        )
    ]


def _detail(item):
    recipient = item.get("recipient")
    return {
        "paystack_id": item.get("id"),
        "transfer_code": item.get("transfer_code"),
        "status": item.get("status"),
        "amount_kobo": item.get("amount"),
        "currency": item.get("currency"),
        "recipient": recipient.get("recipient_code") if isinstance(recipient, dict) else recipient,
        "created_at": item.get("createdAt") or item.get("created_at"),
    }
