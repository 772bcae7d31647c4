"""Which local refund a Paystack refund (an answer, a list row or a `refund.*` webhook) is.

Paystack names a refund by its `id` in create / fetch / list answers and in the
needs-attention webhook only. Every other refund webhook carries the charge's
`transaction_reference`, the amount, and a `refund_reference` that is the *processor's*
reference (a card-scheme number such as "132013318360", or a `TRF_...` code), never the refund
id. So a refund is linked by its id when there is one, else by charge reference plus amount.

While Paystack's answer is unknown `Refund.paystack_status` holds one of our own markers:
UNCONFIRMED (a create whose answer was lost: Paystack may or may not have the refund) or
REFUSED (Paystack refused the create: it has no such refund, or, on a pending refund, refused a
resend after an unconfirmed attempt, which proves nothing until its records are read again).
"""

from wallet.models import Refund
from wallet.paystack import from_subunit

UNCONFIRMED = "unconfirmed"
REFUSED = "refused"
OUR_MARKERS = ("", UNCONFIRMED, REFUSED)


def remote_id(data):
    """Paystack's refund id in `data`, or None (a `refund_reference` is never one)."""
    value = data.get("id") or data.get("refund_id")
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def remote_amount(data):
    """The refund's amount in naira (webhooks send kobo as a string), or None."""
    try:
        return from_subunit(int(data.get("amount")))
    except (TypeError, ValueError, ArithmeticError):
        return None


class AmbiguousRefundEvent(Exception):
    """An id-less `refund.*` event that two or more local refunds (same charge, same amount)
    could each be about."""


def refund_for_event(data):
    """The local Refund a `refund.*` webhook is about, or None: by Paystack's refund id when
    the event has one, else by charge and amount: the one such refund; else, of several, a
    pending one Paystack acknowledged (it has the id: equal refunds of one charge are
    interchangeable for the money); else, when all are final, one with the event's status
    (the event is then a no-op).

    Raises AmbiguousRefundEvent when the only pending candidates have no id yet: one of them
    may be a refund Paystack never received, and giving it a sibling's status would mark it
    processed, or leave it waiting forever for a list entry that is its sibling's. The refund
    reconciliation tells them apart by Paystack's list, which has ids.
    """
    found_id = remote_id(data)
    if found_id:
        found = Refund.objects.filter(paystack_refund_id=found_id).first()
        if found:
            return found
    reference = data.get("transaction_reference") or (data.get("transaction") or {}).get(
        "reference"
    )
    if not reference:
        return None
    candidates = (
        Refund.objects.filter(charge__reference=str(reference))
        .exclude(status=Refund.Status.FAILED, paystack_status=REFUSED)  # Paystack never had it
        .order_by("created_at")
    )
    amount = remote_amount(data)
    if amount is not None:
        candidates = candidates.filter(amount=amount)
    several = list(candidates[:2])
    if len(several) < 2:
        return several[0] if several else None
    pending = candidates.filter(status=Refund.Status.PENDING)
    acknowledged = pending.filter(paystack_refund_id__isnull=False).first()
    if acknowledged is not None:
        return acknowledged
    if pending.exists():
        raise AmbiguousRefundEvent()
    status = str(data.get("status") or "")
    return candidates.filter(paystack_status=status).last() or candidates.last()


def unclaimed_remote_refund(refund, remote_refunds, status=None):
    """The refund Paystack has for `refund`'s charge and amount (and `status`, when given)
    that no other local refund owns, or None. Another local refund owns a remote one by its
    id, or (when only webhooks without an id told us about it) by being one of the same amount
    Paystack acknowledged."""
    same_amount = [
        r
        for r in remote_refunds
        if remote_amount(r) == refund.amount and status in (None, r.get("status"))
    ]
    others = Refund.objects.filter(charge_id=refund.charge_id, amount=refund.amount).exclude(
        pk=refund.pk
    )
    if status is not None:
        others = others.filter(status=status)
    claimed = set(
        others.filter(paystack_refund_id__isnull=False).values_list("paystack_refund_id", flat=True)
    )
    unclaimed = sorted(
        (r for r in same_amount if remote_id(r) not in claimed), key=lambda r: remote_id(r) or 0
    )
    owned_without_id = (
        others.filter(paystack_refund_id__isnull=True).exclude(paystack_status__in=OUR_MARKERS)
    ).count()
    if len(unclaimed) <= owned_without_id:
        return None
    return unclaimed[owned_without_id]
