from django.conf import settings
from django.db import models


class WebhookEvent(models.Model):
    """Every request that reached /wallet/webhook/, stored before anything is done with it.

    Accepted events carry a unique `event_key` (event name + Paystack id/reference + status),
    so a redelivery is recognised; rejected attempts (bad signature, no secret configured,
    address not allowed) are kept too, with `event_key` empty, for the back office.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSING = "processing", "Processing"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed (will be retried)"
        REFUSED = "refused", "Refused (needs staff attention)"
        IGNORED = "ignored", "Ignored (event not used)"
        REJECTED = "rejected", "Rejected (not from Paystack)"
        # A refused event staff looked at and closed with a note (the audit entry keeps it).
        ACKNOWLEDGED = "acknowledged", "Acknowledged by staff"

    event_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    event = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    payload = models.JSONField(null=True, blank=True)
    raw_body = models.TextField(blank=True)
    signature = models.CharField(max_length=200, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    deliveries = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the back office searches by: the event's reference (set when stored, in the same
    # INSERT) and the customer it concerns (set when processed).
    reference = models.CharField(max_length=100, blank=True, default="", db_index=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "updated_at"], name="webhook_status_idx")]

    def __str__(self):
        return f"{self.event or 'unsigned request'} · {self.get_status_display()}"

    @property
    def data(self):
        payload = self.payload if isinstance(self.payload, dict) else {}
        data = payload.get("data")
        return data if isinstance(data, dict) else {}


class WebhookRefusal(models.Model):
    """Refused requests to /wallet/webhook/ (unsigned, forged, wrong sender), one row per
    source address: a count, when, why, and the digest and first bytes of the latest body.

    Bounded by design (security review, finding 5): a refused body is never stored whole,
    a source has one row however often it calls, and once `SOURCES_MAX` sources have rows,
    any new one is counted on the shared `OVERFLOW` row.
    """

    UNKNOWN = "unknown"
    OVERFLOW = "other sources"
    SOURCES_MAX = 1000
    FIRST_BYTES = 256

    source = models.CharField(max_length=45, unique=True)
    count = models.PositiveBigIntegerField(default=1)
    reason = models.CharField(max_length=200)
    body_sha256 = models.CharField(max_length=64)
    body_length = models.PositiveIntegerField(default=0)
    first_bytes = models.CharField(max_length=2000, blank=True)  # escaped: up to 7 per byte
    signature_prefix = models.CharField(max_length=24, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.source}: {self.count} refused ({self.reason})"
