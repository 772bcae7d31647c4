"""Reading Paystack's list items and finding our records for them."""

from decimal import Decimal

from django.db.models import Q

from wallet.paystack import from_subunit


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
