from django.db import models
from django.db.models import Q

from wallet.models.transaction import Transaction


class Refund(models.Model):
    """A card (or bank-transfer) deposit sent back to the payer through Paystack's refund API.

    `transaction` is the wallet-side debit (type refund) the user sees; `charge` is the deposit
    being refunded. States: pending (money in refunds_in_flight, Paystack asked or about to
    be) -> processed | failed (money back in the wallet). A final state never changes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"

    charge = models.ForeignKey(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="refunds"
    )
    transaction = models.OneToOneField(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="refund"
    )
    amount = models.DecimalField(max_digits=19, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Paystack's last word on it (pending, processing, processed, failed, needs-attention).
    paystack_status = models.CharField(max_length=30, blank=True)
    paystack_refund_id = models.BigIntegerField(null=True, blank=True, unique=True)
    reason = models.CharField(max_length=255, blank=True)
    failure_reason = models.TextField(blank=True)
    requested_by = models.CharField(max_length=254, blank=True)
    # While pending: when the reconcile job next asks Paystack (wallet/services/rechecks.py).
    next_check_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="refund_status_idx")]

    def __str__(self):
        return f"Refund {self.amount} {self.currency} of {self.charge_id} ({self.status})"

    @property
    def is_final(self):
        return self.status != self.Status.PENDING


class RefundableDeposit(Transaction):
    """Card and bank-transfer deposits, as the back office sees them to refund them."""

    class Meta:
        proxy = True
        verbose_name = "deposit (refundable)"
        verbose_name_plural = "deposits (refundable)"
