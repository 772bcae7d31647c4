"""A request paid through its link: closed by the charge that credited it (called inside
`funding.charges.credit_charge`, with the deposit row and the wallet locked)."""

from django.utils import timezone

from wallet.models import MoneyRequest, MoneyRequestStatus


def settle_request_paid_by_link(tx) -> bool:
    """Mark the request this deposit paid as paid, once. A request already paid another way
    (or cancelled meanwhile) stays as it is: the money Paystack took is credited regardless,
    as a plain link payment. Returns whether the request was closed by this payment."""
    closed = MoneyRequest.objects.filter(
        pk=tx.metadata["money_request_id"],
        requester_id=tx.wallet_id,
        status=MoneyRequestStatus.OPEN,
    ).update(status=MoneyRequestStatus.PAID, paid_transaction=tx, closed_at=timezone.now())
    return bool(closed)
