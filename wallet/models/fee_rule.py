from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class FeeOperation(models.TextChoices):
    """What a fee rule prices. Bank payouts and internal payments differ though both debit."""

    TRANSFER = "transfer", "Wallet-to-wallet transfer"
    WITHDRAWAL = "withdrawal", "Withdrawal to a bank account"
    SETTLEMENT = "settlement", "Settlement to a bank account"
    PAYMENT = "payment", "Internal payment (withdraw())"
    DEPOSIT = "deposit", "Deposit"


class FeeBearer(models.TextChoices):
    CUSTOMER = "customer", "The sender pays it on top"
    RECIPIENT = "recipient", "Deducted from what the recipient gets"


class FeeRule(models.Model):
    """A fee band for one transaction type, editable by staff in the back office.

    The rule whose [min_amount, max_amount] band holds the amount applies:
    fee = flat + amount * percentage / 100, raised to `minimum`, capped at `cap`.
    """

    transaction_type = models.CharField(max_length=20, choices=FeeOperation.choices)
    min_amount = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    max_amount = models.DecimalField(
        max_digits=19, decimal_places=2, null=True, blank=True, help_text="Empty: no upper bound."
    )
    flat = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    percentage = models.DecimalField(max_digits=6, decimal_places=3, default=Decimal("0.000"))
    minimum = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    cap = models.DecimalField(max_digits=19, decimal_places=2, null=True, blank=True)
    bearer = models.CharField(max_length=10, choices=FeeBearer.choices, default=FeeBearer.CUSTOMER)
    is_active = models.BooleanField(default=True)

    # Who changed a fee, when, and from what (the back office shows each version).
    history = HistoricalRecords()

    class Meta:
        ordering = ["transaction_type", "min_amount"]
        constraints = [
            models.CheckConstraint(
                condition=Q(flat__gte=0) & Q(percentage__gte=0) & Q(minimum__gte=0),
                name="fee_rule_not_negative",
            ),
        ]

    def __str__(self):
        upper = f"{self.max_amount}" if self.max_amount is not None else "∞"
        return (
            f"{self.transaction_type} {self.min_amount}–{upper}: {self.flat} + {self.percentage}%"
        )

    def covers(self, amount):
        return amount >= self.min_amount and (self.max_amount is None or amount <= self.max_amount)
