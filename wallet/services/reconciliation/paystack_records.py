"""Reading Paystack's list items and finding our records for them."""

from decimal import Decimal

from django.db.models import Q

from wallet.paystack import from_subunit
from wallet.services.reconciliation.findings import Finding, Kind


def amount_of(item) -> Decimal | None:
    """A list item's amount in naira (Paystack sends integer kobo, sometimes as a string)."""
    try:
        return from_subunit(int(item.get("amount")))
    except (TypeError, ValueError, ArithmeticError):
        return None


def in_period_or_known(queryset, key, start, end, theirs) -> dict:
    """Our records created in [start, end], and any other whose `key` Paystack listed: the two
    clocks differ by a moment, so a record near an edge may sit in one window only."""
    keys = [value for value in theirs if value not in (None, "")]
    found = queryset.filter(Q(created_at__range=(start, end)) | Q(**{f"{key}__in": keys}))
    return {getattr(record, key): record for record in found}


def is_not_found(error) -> bool:
    """Paystack's answer when it has no such object (verify says 400, fetch says 404)."""
    return (
        error.http_status == 404
        or error.code in ("transaction_not_found", "not_found")
        or "not found" in (error.message or "").lower()
    )


def match(theirs: dict, ours: dict, *, compare, missing_here, must_be_listed, look_up) -> list:
    """Each Paystack item against our record of the same key (`compare`), or a finding that we
    have none (`missing_here`); then each record of ours that Paystack did not list but must
    have (`must_be_listed`), asked for on its own (`look_up`: outside the window, or missing)."""
    findings = []
    for key, item in theirs.items():
        record = ours.get(key)
        if record is None:
            findings.append(missing_here(key, item))
        else:
            findings.extend(compare(record, item))
    for key, record in ours.items():
        if key not in theirs and must_be_listed(record):
            findings.extend(look_up(record))
    return findings


def missing_here(record: str, key, item, *, ours: str, detail: dict):
    """Paystack has `item` and we have no record of it."""
    return Finding(
        record=record,
        reference=str(key),
        kind=Kind.MISSING_HERE,
        ours=ours,
        theirs=f"{item.get('status')} {amount_of(item)} {item.get('currency')}",
        detail=detail,
    )


def missing_at_paystack(record: str, key, *, ours: str, theirs: str, transaction, detail=None):
    """We have a record Paystack must have and does not."""
    return Finding(
        record=record,
        reference=str(key),
        kind=Kind.MISSING_AT_PAYSTACK,
        ours=ours,
        theirs=theirs,
        transaction=transaction,
        detail=detail or {},
    )
