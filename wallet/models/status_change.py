"""Each status change of a money row (issue 21): from what, to what, when, and what caused it
(Paystack's answer to a send, a webhook, a reconcile check, a staff action). Append-only,
written in the same database transaction as the move; read by the back-office timeline."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from wallet.models.ledger import AppendOnlyQuerySet, AppendOnlyRows
from wallet.models.transaction import TransactionStatus


class TransactionStatusChange(AppendOnlyRows, models.Model):
    append_only_message = "Status changes are append-only."

    transaction = models.ForeignKey(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=TransactionStatus.choices)
    to_status = models.CharField(max_length=12, choices=TransactionStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    # Staff words at most (a staff action's name, Paystack's reason): back office only.
    cause = models.CharField(max_length=255)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="status_change_moves"
            ),
        ]

    def __str__(self):
        return f"{self.transaction_id}: {self.from_status} → {self.to_status}"
