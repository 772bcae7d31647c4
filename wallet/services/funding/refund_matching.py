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


def refund_for_event(data):
    """The local Refund a `refund.*` webhook is about, or None: by Paystack's refund id when
    the event has one, else the oldest pending refund of that charge and amount (one Paystack
    has acknowledged first, so a refund whose create answer was lost is matched only by its
    own event); an event about a refund already final finds it, to be a no-op."""
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
    candidates = Refund.objects.filter(charge__reference=str(reference)).order_by("created_at")
    amount = remote_amount(data)
    if amount is not None:
        candidates = candidates.filter(amount=amount)
    pending = candidates.filter(status=Refund.Status.PENDING)
    status = str(data.get("status") or "")
    return (
        pending.filter(paystack_refund_id__isnull=False).first()
        or pending.first()
        or candidates.filter(paystack_status=status).last()
    )


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
