"""Paystack's transactions against our card and bank-transfer deposits, by reference."""

from wallet.exceptions import PaystackAPIError
from wallet.models import ReconciliationMismatch, Transaction, TransactionStatus, TransactionType
from wallet.services.funding.charges import FUNDING_CHANNELS
from wallet.services.reconciliation.findings import differences
from wallet.services.reconciliation.paystack_records import (
    amount_of,
    in_period_or_known,
    is_not_found,
    match,
    missing_at_paystack,
    missing_here,
)

S = TransactionStatus
CHARGE = ReconciliationMismatch.Record.CHARGE

# Which of our deposit states agree with each Paystack transaction status. Any other Paystack
# status (ongoing, pending, processing, queued) means the payer is still at it: ours is pending.
AGREEING_STATES = {
    "success": {S.SUCCESS},
    "reversed": {S.SUCCESS},  # refunded after success: the refunds are compared on their own
    "failed": {S.FAILED},
    "abandoned": {S.PENDING, S.ABANDONED, S.FAILED},
}
STILL_PAYING = {S.PENDING}
# Deposits that say Paystack took the money: Paystack must have them.
PAYSTACK_ACTED = {S.SUCCESS}


def deposits():
    return Transaction.objects.filter(
        transaction_type=TransactionType.DEPOSIT, channel__in=FUNDING_CHANNELS
    )


def charge_findings(paystack, start, end, per_page):
    """(how many Paystack transactions were compared, the findings)."""
    theirs = {
        str(item.get("reference")): item
        for item in paystack.iter_transactions(per_page=per_page, from_=start, to=end)
    }
    ours = in_period_or_known(deposits(), "reference", start, end, theirs)
    findings = match(
        theirs,
        ours,
        compare=_compare,
        missing_here=lambda reference, item: missing_here(
            CHARGE, reference, item, ours="no such deposit", detail=_detail(item)
        ),
        must_be_listed=lambda tx: tx.status in PAYSTACK_ACTED,
        look_up=lambda tx: _look_up(paystack, tx),
    )
    return len(theirs), findings


def _compare(tx, item):
    status = str(item.get("status") or "")
    agreeing = AGREEING_STATES.get(status, STILL_PAYING)
    theirs_status = tx.status if tx.status in agreeing else f"{status} at Paystack"
    return differences(
        CHARGE,
        tx.reference,
        ours=(tx.amount, tx.currency, tx.status),
        theirs=(amount_of(item), item.get("currency"), theirs_status),
        transaction=tx,
        detail=_detail(item),
    )


def _look_up(paystack, tx):
    """A deposit outside Paystack's window (its clock runs a moment behind ours) or missing."""
    try:
        return _compare(tx, paystack.verify_transaction(tx.reference))
    except PaystackAPIError as error:
        if error.inconclusive or not is_not_found(error):
            raise
    ours = f"{tx.status} {tx.amount} {tx.currency}"
    return [
        missing_at_paystack(
            CHARGE, tx.reference, ours=ours, theirs="no such transaction", transaction=tx
        )
    ]


def _detail(item):
    customer = item.get("customer") or {}
    return {
        "paystack_id": item.get("id"),
        "status": item.get("status"),
        "amount_kobo": item.get("amount"),
        "currency": item.get("currency"),
        "channel": item.get("channel"),
        "customer_email": customer.get("email") if isinstance(customer, dict) else None,
        "created_at": item.get("created_at") or item.get("createdAt"),
    }
