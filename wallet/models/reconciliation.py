from django.conf import settings
from django.db import models
from django.db.models import Q


class ReconciliationRun(models.Model):
    """One comparison of Paystack's lists with our records for a period (both ends inclusive)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Empty for the daily schedule; the staff member who asked for it otherwise.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    charges_compared = models.PositiveIntegerField(default=0)
    transfers_compared = models.PositiveIntegerField(default=0)
    refunds_compared = models.PositiveIntegerField(default=0)
    disputes_compared = models.PositiveIntegerField(default=0)
    mismatches_found = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="reconciliation_period_ordered",
            )
        ]

    def __str__(self):
        from wallet.dates import lagos_time

        return f"Reconciliation {lagos_time(self.period_start)} to {lagos_time(self.period_end)}"


class MismatchQuerySet(models.QuerySet):
    def open(self):
        """Open mismatches (the dashboard counts them), newest first."""
        return self.filter(status=ReconciliationMismatch.Status.OPEN)


class ReconciliationMismatch(models.Model):
    """One difference between a Paystack record and ours, open until staff resolve it.

    At most one open mismatch per (record, kind): re-running a period finds the same one again
    (`last_seen_run`) instead of adding a copy.
    """

    class Record(models.TextChoices):
        CHARGE = "charge", "Charge"
        TRANSFER = "transfer", "Transfer"
        REFUND = "refund", "Refund"
        DISPUTE = "dispute", "Dispute"

    class Kind(models.TextChoices):
        MISSING_HERE = "missing_here", "At Paystack, not in our records"
        MISSING_AT_PAYSTACK = "missing_at_paystack", "In our records, not at Paystack"
        AMOUNT = "amount", "Amount differs"
        CURRENCY = "currency", "Currency differs"
        STATUS = "status", "Status differs"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    record = models.CharField(max_length=10, choices=Record.choices)
    # The charge or transfer reference; for a refund, Paystack's refund id.
    reference = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ours = models.CharField(max_length=100, blank=True)
    theirs = models.CharField(max_length=100, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    transaction = models.ForeignKey(
        "wallet.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconciliation_mismatches",
    )
    found_by_run = models.ForeignKey(
        ReconciliationRun, on_delete=models.PROTECT, related_name="mismatches"
    )
    last_seen_run = models.ForeignKey(ReconciliationRun, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MismatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "reference", "kind"],
                condition=Q(status="open"),
                name="one_open_mismatch_per_record_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(resolved_at__isnull=False) & ~Q(resolution_note="")),
                name="resolved_mismatch_has_note",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="mismatch_status_idx")]

    def __str__(self):
        return f"{self.get_record_display()} {self.reference}: {self.get_kind_display()}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN
