from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a user sent to the JSON API, and the answer it got.

    The row is inserted (and committed) before the request runs, so a concurrent request
    with the same key hits the unique constraint instead of running twice. `status_code` is
    empty while the first request is still running.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user"),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key} -> {self.status_code or 'running'}"

    @property
    def is_complete(self) -> bool:
        return self.status_code is not None
