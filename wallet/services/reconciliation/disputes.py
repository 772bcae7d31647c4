"""Paystack's disputes against ours, by Paystack's dispute id (compares; moves no money: the
dispute sync job applies what Paystack says)."""

from wallet.exceptions import PaystackAPIError
from wallet.models import Dispute, ReconciliationMismatch
from wallet.paystack import from_subunit
from wallet.services.reconciliation.findings import Finding, Kind, differences
from wallet.services.reconciliation.paystack_records import in_period_or_known, is_not_found

DISPUTE = ReconciliationMismatch.Record.DISPUTE


def their_status(item) -> str:
    """Paystack's dispute in our words: open until resolved; then won only when declined."""
    if item.get("status") != "resolved":
        return Dispute.Status.OPEN
    return Dispute.Status.WON if item.get("resolution") == "declined" else Dispute.Status.LOST


def dispute_findings(paystack, start, end, per_page):
    theirs = {}
    for item in paystack.iter_disputes(per_page=per_page, from_=start, to=end):
        if str(item.get("id") or "").isdigit():
            theirs[int(item["id"])] = item
    ours = in_period_or_known(
        Dispute.objects.select_related("deposit"), "paystack_id", start, end, theirs
    )
    findings = []
    for key, item in theirs.items():
        dispute = ours.get(key)
        if dispute is None:
            findings.append(_missing_here(key, item))
        else:
            findings.extend(_compare(dispute, item))
    for key, dispute in ours.items():
        if key not in theirs:
            findings.extend(_look_up(paystack, dispute))
    return len(theirs), findings


def _compare(dispute, item):
    lost = their_status(item) == Dispute.Status.LOST
    theirs_amount = _amount(item) if lost else None
    return differences(
        DISPUTE,
        str(dispute.paystack_id),
        ours=(dispute.lost_amount, dispute.currency, dispute.status),
        theirs=(theirs_amount, item.get("currency"), their_status(item)),
        transaction=dispute.deposit,
        detail={"charge_reference": dispute.deposit.reference},
    )


def _missing_here(key, item):
    tx = item.get("transaction") if isinstance(item.get("transaction"), dict) else {}
    return Finding(
        record=DISPUTE,
        reference=str(key),
        kind=Kind.MISSING_HERE,
        ours="no such dispute",
        theirs=f"{item.get('status')} {_amount(item)} {item.get('currency')}",
        detail={"charge_reference": tx.get("reference")},
    )


def _look_up(paystack, dispute):
    try:
        item = paystack.fetch_dispute(dispute.paystack_id)
    except PaystackAPIError as error:
        if not is_not_found(error):
            raise
        return [
            Finding(
                record=DISPUTE,
                reference=str(dispute.paystack_id),
                kind=Kind.MISSING_AT_PAYSTACK,
                ours=f"{dispute.status} {dispute.amount}",
                theirs="not found",
                transaction=dispute.deposit,
            )
        ]
    return _compare(dispute, item)


def _amount(item):
    try:
        return from_subunit(int(item.get("refund_amount")))
    except (TypeError, ValueError, ArithmeticError):
        return None
