"""Tier upgrades: a BVN checked through Paystack's customer identification (Tier 2), or a NIN
or document reviewed by staff (Tier 3).

The full BVN/NIN is never stored: only its last digits, to show the customer what they entered.
"""

from django.conf import settings
from django.db import models


class CustomerIdentification(models.Model):
    class Kind(models.TextChoices):
        BVN = "bvn", "BVN"
        NIN = "nin", "NIN"
        DOCUMENT = "document", "Document reviewed by staff"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the answer"
        SUCCESS = "success", "Verified"
        FAILED = "failed", "Not verified"

    wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="identifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_level = models.PositiveSmallIntegerField()
    customer_code = models.CharField(max_length=64, blank=True)
    number_last4 = models.CharField(max_length=4)
    # Tier 2 asks it (CBN); Paystack's bank-account identification does not take it.
    date_of_birth = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["customer_code", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} ••••{self.number_last4} for wallet {self.wallet_id}"
