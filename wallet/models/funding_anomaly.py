from django.db import models


class ChargeAnomaly(models.Model):
    """A charge report that was not credited, kept for staff: an unknown reference, an amount
    or currency different from what was initialized, another wallet's reference, or a report
    whose status was not success. Nothing moves when one is recorded."""

    class Kind(models.TextChoices):
        UNKNOWN_REFERENCE = "unknown_reference", "Unknown reference"
        AMOUNT_MISMATCH = "amount_mismatch", "Amount differs"
        CURRENCY_MISMATCH = "currency_mismatch", "Currency differs"
        WRONG_WALLET = "wrong_wallet", "Another wallet's reference"
        NOT_SUCCESSFUL = "not_successful", "Not successful"
        NOT_CREDITABLE = "not_creditable", "Not in a creditable state"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=100, db_index=True)
    detail = models.TextField()
    wallet = models.ForeignKey(
        "wallet.Wallet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transaction = models.ForeignKey(
        "wallet.Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.reference}"
