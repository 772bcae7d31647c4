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
