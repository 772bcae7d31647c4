"""Paystack's refunds against ours, by Paystack's refund id."""

from wallet.exceptions import PaystackAPIError
from wallet.models import ReconciliationMismatch, Refund
from wallet.services.reconciliation.findings import differences
from wallet.services.reconciliation.paystack_records import (
    amount_of,
    in_period_or_known,
    is_not_found,
    match,
    missing_at_paystack,
    missing_here,
)

REFUND = ReconciliationMismatch.Record.REFUND

# Paystack's refund statuses in our words; any other (pending, processing, needs-attention)
# is not final yet: ours is pending.
PAYSTACK_TO_STATUS = {"processed": Refund.Status.PROCESSED, "failed": Refund.Status.FAILED}


def refunds():
    return Refund.objects.select_related("transaction", "charge")


def refund_findings(paystack, start, end, per_page):
    """(how many Paystack refunds were compared, the findings). A refund of ours without a
    Paystack id was never acknowledged: the pending-refund job finds or resends it."""
    theirs = {}
    for item in paystack.iter_refunds(per_page=per_page, from_=start, to=end):
        if str(item.get("id") or "").isdigit():
            theirs[int(item["id"])] = item
    ours = in_period_or_known(refunds(), "paystack_refund_id", start, end, theirs)
    findings = match(
        theirs,
        ours,
        compare=_compare,
        missing_here=lambda refund_id, item: missing_here(
            REFUND, refund_id, item, ours="no such refund", detail=_detail(item)
        ),
        must_be_listed=lambda refund: refund.paystack_refund_id is not None,
        look_up=lambda refund: _look_up(paystack, refund),
    )
    return len(theirs), findings


def _compare(refund, item):
    status = str(item.get("status") or "")
    theirs_status = PAYSTACK_TO_STATUS.get(status, Refund.Status.PENDING)
    return differences(
        REFUND,
        str(refund.paystack_refund_id),
        ours=(refund.amount, refund.currency, refund.status),
        theirs=(amount_of(item), item.get("currency"), theirs_status),
        transaction=refund.transaction,
        detail={**_detail(item), "charge_reference": refund.charge.reference},
    )


def _look_up(paystack, refund):
    """A refund outside Paystack's window (the clocks differ by a moment), or missing there."""
    try:
        return _compare(refund, paystack.fetch_refund(refund.paystack_refund_id))
    except PaystackAPIError as error:
        if error.inconclusive or not is_not_found(error):
            raise
    return [
        missing_at_paystack(
            REFUND,
            refund.paystack_refund_id,
            ours=f"{refund.status} {refund.amount} {refund.currency}",
            theirs="no such refund",
            transaction=refund.transaction,
            detail={"charge_reference": refund.charge.reference},
        )
    ]


def _detail(item):
    return {
        "paystack_id": item.get("id"),
        "paystack_transaction_id": item.get("transaction"),
        "status": item.get("status"),
        "amount_kobo": item.get("amount"),
        "currency": item.get("currency"),
        "created_at": item.get("createdAt") or item.get("created_at"),
    }
