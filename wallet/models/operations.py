"""What operations staff read beyond the money rows (issue 21): staff notes on a customer,
each call made to Paystack (for a money object's timeline), and the alert digests sent."""

from django.conf import settings
from django.db import models

from wallet.models.ledger import AppendOnlyError, AppendOnlyQuerySet


class CustomerNote(models.Model):
    """A staff note on a customer: append-only, audited, never shown to the customer."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "-created_at"], name="note_customer")]

    def __str__(self):
        return f"Note on {self.customer_id} by {self.author_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Staff notes are append-only.")
        super().save(*args, **kwargs)


class PaystackCall(models.Model):
    """One request to Paystack about a reference: what was asked, how it ended, how long it
    took. Written by the transport after the answer (never inside a money transaction)."""

    class Outcome(models.TextChoices):
        OK = "ok", "Answered"
        REFUSED = "refused", "Refused by Paystack"
        UNAVAILABLE = "unavailable", "No answer (error or timeout)"

    created_at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=6)
    path = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, db_index=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    message = models.CharField(max_length=255, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.method} {self.path} → {self.get_outcome_display()}"


class AlertDigest(models.Model):
    """One alert e-mail sent to OPS_ALERT_EMAILS: which alerts it named (their keys), so the
    next run sends again only when that set changes."""

    created_at = models.DateTimeField(auto_now_add=True)
    keys = models.JSONField(default=list)
    body = models.TextField()
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"Alert digest of {self.created_at:%Y-%m-%d %H:%M}"
