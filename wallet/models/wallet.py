from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


def default_currency():
    return settings.WALLET_CURRENCY


class Wallet(models.Model):
    """A user's store of money in one currency. `balance` caches the sum of its ledger rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wallets"
    )
    currency = models.CharField(max_length=3, default=default_currency)
    balance = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    is_locked = models.BooleanField(default=False)
    # The daily outflow counter lives on the row so the limit is checked under the row lock.
    outflow_date = models.DateField(null=True, blank=True)
    outflow_total = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    # KycTier.level; a plain number (not a foreign key) so the SQL transfer reads it in place.
    tier = models.PositiveSmallIntegerField(default=1)
    # Set when a card or bank-transfer credit took the balance past the tier's cap.
    over_tier_since = models.DateTimeField(null=True, blank=True)
    # Safety mode after a sign-in on a new device: outflows capped until `safety_until`.
    safety_until = models.DateTimeField(null=True, blank=True)
    safety_spent = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "currency"], name="one_wallet_per_user_currency"
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="wallet_balance_not_negative"),
            models.CheckConstraint(
                condition=Q(outflow_total__gte=0), name="wallet_outflow_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.currency} wallet #{self.pk}"

    def lock(self):
        """Stop the wallet from sending or receiving money (staff action, fraud hold...)."""
        Wallet.objects.filter(pk=self.pk).update(is_locked=True)
        self.is_locked = True

    def unlock(self):
        Wallet.objects.filter(pk=self.pk).update(is_locked=False)
        self.is_locked = False
