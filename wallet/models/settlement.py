from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords


class Settlement(models.Model):
    """Money sent from a wallet to its bank account on request or by a schedule.

    It is paid through the payout machinery: `transaction` is its settlement Transaction (whose
    status is the settlement's) and `transaction.payout` the Paystack transfer.
    """

    wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="settlements"
    )
    bank_account = models.ForeignKey(
        "wallet.BankAccount", on_delete=models.PROTECT, related_name="settlements"
    )
    transaction = models.OneToOneField(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="settlement"
    )
    schedule = models.ForeignKey(
        "wallet.SettlementSchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settlements",
    )
    retry_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="retried_by"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="settlement_amount_positive"
            )
        ]

    def __str__(self):
        return f"Settlement {self.reference}"

    @property
    def reference(self) -> str:
        return self.transaction.reference

    @property
    def status(self) -> str:
        return self.transaction.status

    @property
    def fee(self) -> Decimal:
        return self.transaction.fee


class ScheduleType(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    THRESHOLD = "threshold", "When the balance passes an amount"


class AmountMode(models.TextChoices):
    ALL_AVAILABLE = "all", "Everything available"
    FIXED = "fixed", "A fixed amount"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class SettlementSchedule(models.Model):
    """A standing instruction to settle a wallet to a bank account (`next_settlement` is UTC)."""

    wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="settlement_schedules"
    )
    bank_account = models.ForeignKey(
        "wallet.BankAccount", on_delete=models.PROTECT, related_name="settlement_schedules"
    )
    schedule_type = models.CharField(max_length=10, choices=ScheduleType.choices)
    time_of_day = models.TimeField(help_text="Wall-clock time in the site's time zone.")
    day_of_week = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(null=True, blank=True)
    threshold_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    amount_mode = models.CharField(
        max_length=5, choices=AmountMode.choices, default=AmountMode.ALL_AVAILABLE
    )
    fixed_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    minimum_balance = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    maximum_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    next_settlement = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Staff edits are versioned; the processor's own bookkeeping skips history (schedules.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_settlement"],
                condition=models.Q(is_active=True),
                name="schedule_due_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(schedule_type="weekly") | models.Q(day_of_week__isnull=False),
                name="schedule_weekly_has_day_of_week",
            ),
            models.CheckConstraint(
                condition=~models.Q(schedule_type="monthly")
                | models.Q(day_of_month__gte=1, day_of_month__lte=31),
                name="schedule_monthly_has_day_of_month",
            ),
            models.CheckConstraint(
                condition=~models.Q(schedule_type="threshold") | models.Q(threshold_amount__gt=0),
                name="schedule_threshold_has_amount",
            ),
            models.CheckConstraint(
                condition=~models.Q(amount_mode="fixed") | models.Q(fixed_amount__gt=0),
                name="schedule_fixed_mode_has_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_balance__gte=0), name="schedule_minimum_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.get_schedule_type_display()} settlement to {self.bank_account}"


class SettlementRunOutcome(models.TextChoices):
    SETTLED = "settled", "Settled"
    SKIPPED = "skipped", "Skipped"


class SettlementRun(models.Model):
    """One period of one schedule, processed once: the unique key is what makes a rerun or a
    second worker harmless."""

    schedule = models.ForeignKey(
        "wallet.SettlementSchedule", on_delete=models.CASCADE, related_name="runs"
    )
    period = models.DateTimeField(help_text="The due time this run answers for (UTC).")
    calendar_period = models.CharField(
        max_length=10,
        blank=True,
        help_text="The local day, ISO week or month of `period` (empty for threshold schedules).",
    )
    outcome = models.CharField(max_length=10, choices=SettlementRunOutcome.choices)
    reason = models.CharField(max_length=200, blank=True)
    settlement = models.OneToOneField(
        "wallet.Settlement", on_delete=models.PROTECT, null=True, blank=True, related_name="run"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period"], name="settlement_run_once_per_period"
            ),
            # One settlement per calendar period, whatever edits moved the time of day.
            models.UniqueConstraint(
                fields=["schedule", "calendar_period"],
                condition=models.Q(outcome="settled") & ~models.Q(calendar_period=""),
                name="settlement_run_one_settlement_per_calendar_period",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="skipped") | models.Q(settlement__isnull=False),
                name="settlement_run_settled_has_settlement",
            ),
        ]

    def __str__(self):
        return f"{self.schedule_id} @ {self.period:%Y-%m-%d %H:%M}: {self.outcome}"
