"""The one writer of TransactionStatusChange: every service that moves an existing money row's
status calls `record_status_change` inside the atomic block that moves it, so the back-office
timeline shows each step with when and what caused it (issue 21)."""

from django.utils import timezone

from wallet.models import Transaction, TransactionStatusChange


def record_status_change(
    tx: Transaction | int, from_status: str, to_status: str, cause: str, *, at=None
) -> TransactionStatusChange | None:
    """Append one step (nothing when the status did not move). `cause` is back-office words:
    what moved it ("webhook transfer.success", "reconcile check", "staff: reverse")."""
    if from_status == to_status:
        return None
    return TransactionStatusChange.objects.create(
        transaction_id=tx if isinstance(tx, int) else tx.pk,
        from_status=from_status,
        to_status=to_status,
        at=at or timezone.now(),
        cause=(cause or "not recorded")[:255],
    )


def cause_with_reason(via: str, reason: str = "") -> str:
    """ "webhook charge.failed: Declined" — what moved it, then the reason given, if any."""
    return ": ".join(part for part in (via, reason) if part) or "not recorded"
