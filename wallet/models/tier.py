"""KYC tiers (the Central Bank of Nigeria's tiered KYC): the limits each wallet runs under.

Staff edit a tier through `wallet.services.outflows.tiers.change_tier_limits`, which writes a
`KycTierVersion` row per edit (the version history); a wallet's move between tiers is a
`TierChange` row (identification, staff override). Both are append-only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from wallet.models.ledger import AppendOnlyError


class KycTier(models.Model):
    """One tier's rules. A null limit means "no limit"."""

    level = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=40)
    daily_limit = models.DecimalField(max_digits=19, decimal_places=2, null=True, blank=True)
    single_limit = models.DecimalField(max_digits=19, decimal_places=2, null=True, blank=True)
    balance_cap = models.DecimalField(max_digits=19, decimal_places=2, null=True, blank=True)
    allows_transfer = models.BooleanField(default=True)
    allows_withdrawal = models.BooleanField(default=True)
    allows_settlement = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    # The back office's History page, as for fee rules and schedules (who, when, from what);
    # KycTierVersion keeps each edit's reason beside it.
    history = HistoricalRecords()

    class Meta:
        ordering = ["level"]
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_limit__isnull=True) | Q(daily_limit__gt=0),
                name="kyc_tier_daily_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(balance_cap__isnull=True) | Q(balance_cap__gt=0),
                name="kyc_tier_balance_cap_positive",
            ),
        ]

    def __str__(self):
        return f"Tier {self.level} ({self.name})"


class AppendOnly(models.Model):
    """A record that is written once and never changed (an audit trail)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")


class KycTierVersion(AppendOnly):
    """A tier's limits as they were from `created_at` on: one row per staff edit."""

    tier = models.ForeignKey(KycTier, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    limits = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tier", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "version"], name="one_row_per_tier_version")
        ]

    def __str__(self):
        return f"Tier {self.tier_id} v{self.version}"


class TierChange(AppendOnly):
    """A wallet moved from one tier to another, and why."""

    class Source(models.TextChoices):
        IDENTIFICATION = "identification", "Customer identification"
        STAFF = "staff", "Staff override"

    wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="tier_changes"
    )
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("override_tier", "Can move a wallet to another KYC tier")]

    def __str__(self):
        return f"Wallet {self.wallet_id}: tier {self.from_level} -> {self.to_level}"
